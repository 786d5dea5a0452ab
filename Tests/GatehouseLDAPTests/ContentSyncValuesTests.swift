import Foundation
@testable import GatehouseLDAP
import Testing

/// RFC 4533 control values. The vectors were captured from slapd 2.5.13 with syncprov
/// (`ldapsearch -E sync=ro`, which prints the controls base64-encoded) and checked against the
/// ASN.1 of RFC 4533 §2.
@Suite struct ContentSyncValuesTests {
    static func bytes(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64)!) }

    @Test func syncStateOfAnAddedEntry() throws {
        let state = try ContentSyncValues.decodeState(Self.bytes("MBUKAQEEECYUBCx+8xBBkzzh7a7xpK8="))
        #expect(state == .init(state: .add, entryUUID: "2614042c-7ef3-1041-933c-e1edaef1a4af", cookie: nil))
    }

    @Test func syncDoneWithCookieAndRefreshDeletes() throws {
        let done = try ContentSyncValues.decodeDone(Self.bytes("MDkENHJpZD0wMDAsY3NuPTIwMjYxMTI3MjExMzM0LjI2ODA1NFojMDAwMDAwIzAwMCMwMDAwMDABAf8="))
        #expect(done.cookie.map { String(decoding: $0, as: UTF8.self) } == "rid=000,csn=20261127211334.268054Z#000000#000#000000")
        #expect(done.refreshDeletes)
    }

    /// After a refresh from an outdated cookie slapd ends with a present phase: refreshDeletes
    /// left out, so FALSE (its DEFAULT).
    @Test func syncDoneOfAPresentPhase() throws {
        let done = try ContentSyncValues.decodeDone(Self.bytes("MDYENHJpZD0wMDAsY3NuPTIwMjYxMTI3MjExMzM4Ljk1MDYwMFojMDAwMDAwIzAwMCMwMDAwMDA="))
        #expect(done.cookie.map { String(decoding: $0, as: UTF8.self) } == "rid=000,csn=20261127211338.950600Z#000000#000#000000")
        #expect(!done.refreshDeletes)
    }

    @Test func refreshOnlyRequestWithAndWithoutCookie() {
        #expect(ContentSyncValues.refreshOnlyRequest(cookie: nil) == [0x30, 0x03, 0x0A, 0x01, 0x01])
        #expect(ContentSyncValues.refreshOnlyRequest(cookie: Array("c".utf8)) == [0x30, 0x06, 0x0A, 0x01, 0x01, 0x04, 0x01, 0x63])
    }

    @Test func syncIdSetListsUUIDsDeletedOrPresent() throws {
        let first = [UInt8](repeating: 0xAB, count: 16), second = Array(0..<16).map(UInt8.init)
        for deletes in [true, false] {
            let value = BER.element(BER.context(3, constructed: true),
                                    BER.octetString(Array("cookie".utf8)) + BER.boolean(deletes)
                                        + BER.element(BER.setTag, BER.octetString(first) + BER.octetString(second)))
            let info = try ContentSyncValues.decodeInfo(value)
            #expect(info == .idSet(cookie: Array("cookie".utf8), refreshDeletes: deletes, uuids: [
                "abababab-abab-abab-abab-abababababab", "00010203-0405-0607-0809-0a0b0c0d0e0f",
            ]))
        }
    }

    @Test func otherSyncInfoChoices() throws {
        #expect(try ContentSyncValues.decodeInfo(BER.element(BER.context(0), [1, 2])) == .newCookie([1, 2]))
        #expect(try ContentSyncValues.decodeInfo(BER.element(BER.context(1, constructed: true), [])) == .refreshDelete(cookie: nil, refreshDone: true))
        #expect(try ContentSyncValues.decodeInfo(BER.element(BER.context(2, constructed: true), BER.boolean(false)))
            == .refreshPresent(cookie: nil, refreshDone: false))
    }

    @Test func longLengthsUseTheLongForm() throws {
        let cookie = [UInt8](repeating: 0x41, count: 300)
        let encoded = ContentSyncValues.refreshOnlyRequest(cookie: cookie)
        #expect(Array(encoded.prefix(2)) == [0x30, 0x82])
        var outer = BER.Reader(encoded)
        var body = try outer.sequence()
        #expect(try body.enumerated() == 1)
        #expect(try body.octetString() == cookie)
        #expect(body.isAtEnd)
    }

    @Test func malformedValuesAreRefused() {
        // Truncated: the length says 0x15 bytes, four follow.
        #expect(throws: LDAPError(.decodingError)) { try ContentSyncValues.decodeState([0x30, 0x15, 0x0A, 0x01]) }
        // A UUID of 4 bytes instead of 16.
        #expect(throws: LDAPError(.decodingError)) {
            try ContentSyncValues.decodeState(BER.sequence([BER.enumerated(1), BER.octetString([1, 2, 3, 4])]))
        }
        // An unknown state.
        #expect(throws: LDAPError(.decodingError)) {
            try ContentSyncValues.decodeState(BER.sequence([BER.enumerated(9), BER.octetString(Array(repeating: 0, count: 16))]))
        }
        // The wrong outer tag.
        #expect(throws: LDAPError(.decodingError)) { try ContentSyncValues.decodeDone([0x31, 0x00]) }
        #expect(throws: LDAPError(.decodingError)) { try ContentSyncValues.decodeInfo([0xA7, 0x00]) }
    }
}

/// The control and message values of the LDAP Content Synchronization Operation (RFC 4533 §2),
/// encoded and decoded with `BER`.
enum ContentSyncValues {
    /// RFC 4533 §2.2 Sync Request Control.
    static let requestOID = "1.3.6.1.4.1.4203.1.9.1.1"
    /// RFC 4533 §2.3 Sync State Control, on each entry.
    static let stateOID = "1.3.6.1.4.1.4203.1.9.1.2"
    /// RFC 4533 §2.4 Sync Done Control, on the search result.
    static let doneOID = "1.3.6.1.4.1.4203.1.9.1.3"
    /// RFC 4533 §2.5 Sync Info Message, an intermediate response.
    static let infoOID = "1.3.6.1.4.1.4203.1.9.1.4"

    /// `syncRequestValue ::= SEQUENCE { mode ENUMERATED { refreshOnly (1), refreshAndPersist (3) },
    /// cookie syncCookie OPTIONAL, reloadHint BOOLEAN DEFAULT FALSE }` with refreshOnly mode:
    /// Gatehouse polls, it does not keep a search open.
    static func refreshOnlyRequest(cookie: [UInt8]?) -> [UInt8] {
        var parts = [BER.enumerated(1)]
        if let cookie { parts.append(BER.octetString(cookie)) }
        return BER.sequence(parts)
    }

    /// `syncStateValue ::= SEQUENCE { state ENUMERATED { present (0), add (1), modify (2),
    /// delete (3) }, entryUUID syncUUID, cookie syncCookie OPTIONAL }`
    struct State: Equatable {
        var state: ContentSyncState
        var entryUUID: String
        var cookie: [UInt8]?
    }

    static func decodeState(_ value: [UInt8]) throws(LDAPError) -> State {
        var outer = BER.Reader(value)
        var reader = try outer.sequence()
        let raw = try reader.enumerated()
        guard let state = ContentSyncState(rawValue: raw) else { throw BER.Reader.malformed("unknown sync state \(raw)") }
        let uuid = try formatUUID(try reader.octetString())
        let cookie = reader.nextTag == BER.octetStringTag ? try reader.octetString() : nil
        return State(state: state, entryUUID: uuid, cookie: cookie)
    }

    /// `syncInfoValue ::= CHOICE { newcookie [0] syncCookie, refreshDelete [1] SEQUENCE {…},
    /// refreshPresent [2] SEQUENCE {…}, syncIdSet [3] SEQUENCE { cookie syncCookie OPTIONAL,
    /// refreshDeletes BOOLEAN DEFAULT FALSE, syncUUIDs SET OF syncUUID } }`
    enum Info: Equatable {
        case newCookie([UInt8])
        /// The end of a delete phase (`refreshDone` FALSE: a present phase follows).
        case refreshDelete(cookie: [UInt8]?, refreshDone: Bool)
        /// The end of a present phase.
        case refreshPresent(cookie: [UInt8]?, refreshDone: Bool)
        /// Many entries at once, by UUID: deleted (`refreshDeletes`) or present.
        case idSet(cookie: [UInt8]?, refreshDeletes: Bool, uuids: [String])
    }

    static func decodeInfo(_ value: [UInt8]) throws(LDAPError) -> Info {
        var reader = BER.Reader(value)
        switch reader.nextTag {
        case BER.context(0):
            return .newCookie(try reader.readBytes(BER.context(0)))
        case BER.context(1, constructed: true):
            var body = try reader.read(BER.context(1, constructed: true))
            let (cookie, done) = try phaseEnd(&body)
            return .refreshDelete(cookie: cookie, refreshDone: done)
        case BER.context(2, constructed: true):
            var body = try reader.read(BER.context(2, constructed: true))
            let (cookie, done) = try phaseEnd(&body)
            return .refreshPresent(cookie: cookie, refreshDone: done)
        case BER.context(3, constructed: true):
            var body = try reader.read(BER.context(3, constructed: true))
            let cookie = body.nextTag == BER.octetStringTag ? try body.octetString() : nil
            let deletes = body.nextTag == BER.booleanTag ? try body.boolean() : false
            var set = try body.read(BER.setTag)
            var uuids: [String] = []
            while !set.isAtEnd { uuids.append(try formatUUID(try set.octetString())) }
            return .idSet(cookie: cookie, refreshDeletes: deletes, uuids: uuids)
        default:
            throw BER.Reader.malformed("unknown sync info choice")
        }
    }

    /// `SEQUENCE { cookie syncCookie OPTIONAL, refreshDone BOOLEAN DEFAULT TRUE }`
    private static func phaseEnd(_ body: inout BER.Reader) throws(LDAPError) -> ([UInt8]?, Bool) {
        let cookie = body.nextTag == BER.octetStringTag ? try body.octetString() : nil
        let done = body.nextTag == BER.booleanTag ? try body.boolean() : true
        return (cookie, done)
    }

    /// `syncDoneValue ::= SEQUENCE { cookie syncCookie OPTIONAL, refreshDeletes BOOLEAN DEFAULT FALSE }`
    struct Done: Equatable {
        var cookie: [UInt8]?
        var refreshDeletes: Bool
    }

    static func decodeDone(_ value: [UInt8]) throws(LDAPError) -> Done {
        var outer = BER.Reader(value)
        var reader = try outer.sequence()
        let cookie = reader.nextTag == BER.octetStringTag ? try reader.octetString() : nil
        let deletes = reader.nextTag == BER.booleanTag ? try reader.boolean() : false
        return Done(cookie: cookie, refreshDeletes: deletes)
    }

    /// `syncUUID ::= OCTET STRING (SIZE(16))` in the text form of `entryUUID` (RFC 4530):
    /// lowercase 8-4-4-4-12 hex.
    static func formatUUID(_ bytes: [UInt8]) throws(LDAPError) -> String {
        guard bytes.count == 16 else { throw BER.Reader.malformed("a syncUUID of \(bytes.count) bytes, not 16") }
        let digits = Array("0123456789abcdef")
        var out = ""
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { out.append("-") }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return out
    }
}

/// What a content-synchronisation refresh says about an entry (RFC 4533 §2.3).
public enum ContentSyncState: Int, Sendable, Hashable {
    /// Unchanged and still there (present phase); sent without attributes.
    case present = 0
    /// New to the client.
    case add = 1
    /// Changed.
    case modify = 2
    /// Gone, or no longer matching the search.
    case delete = 3
}

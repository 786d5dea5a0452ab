import GatehouseCrypto
import Testing
@testable import GatehouseMFA

@Suite("Recovery codes: keyed storage and single use")
struct RecoveryCodeHasherTests {
    let key = Array(repeating: UInt8(0x42), count: 32)

    @Test("the stored value is HMAC-SHA-256(key, normalised code) in hex")
    func storedForm() throws {
        let hasher = try RecoveryCodeHasher(key: key)
        let code = try #require(RecoveryCode("7qk2m-xw0da"))
        let stored = hasher.hash(code)
        #expect(stored == Digest.hmacSHA256(key: key, message: Array("7QK2MXW0DA".utf8)).hexString)
        #expect(stored.count == 64)
        #expect(!stored.contains("7QK2M"))
    }

    @Test("without the key the stored values are different: another key gives other hashes")
    func keyMatters() throws {
        let code = RecoveryCode.generate()
        let a = try RecoveryCodeHasher(key: key).hash(code)
        let b = try RecoveryCodeHasher(key: Array(repeating: UInt8(0x43), count: 32)).hash(code)
        #expect(a != b)
        #expect(a != Digest.sha256(code.normalized).hexString)   // not a plain, brute-forceable hash
    }

    @Test("keys shorter than 32 bytes are refused")
    func shortKey() {
        #expect(throws: RecoveryCodeError.keyTooShort) { try RecoveryCodeHasher(key: Array(repeating: 1, count: 31)) }
        #expect(throws: RecoveryCodeError.keyTooShort) { try RecoveryCodeHasher(key: []) }
    }

    @Test("verification finds the index of the typed code, however it is typed")
    func verify() throws {
        let hasher = try RecoveryCodeHasher(key: key)
        let codes = RecoveryCode.generateSet()
        let stored = codes.map(hasher.hash)
        for (index, code) in codes.enumerated() {
            #expect(hasher.verify(code.formatted, against: stored) == index)
            #expect(hasher.verify(code.normalized.lowercased(), against: stored) == index)
        }
    }

    @Test("a used code, once removed, is refused; the others still work")
    func singleUse() throws {
        let hasher = try RecoveryCodeHasher(key: key)
        let codes = RecoveryCode.generateSet()
        var stored = codes.map(hasher.hash)
        let used = try #require(hasher.verify(codes[3].formatted, against: stored))
        stored.remove(at: used)
        #expect(hasher.verify(codes[3].formatted, against: stored) == nil)
        #expect(hasher.verify(codes[4].formatted, against: stored) == 3)
        #expect(stored.count == 9)
    }

    @Test("unknown, malformed and foreign-key codes are refused")
    func refused() throws {
        let hasher = try RecoveryCodeHasher(key: key)
        let codes = RecoveryCode.generateSet()
        let stored = codes.map(hasher.hash)
        let other = RecoveryCode.generateSet(count: 1)[0]
        #expect(hasher.verify(other.formatted, against: stored) == nil)
        #expect(hasher.verify("", against: stored) == nil)
        #expect(hasher.verify(codes[0].formatted + "X", against: stored) == nil)
        #expect(hasher.verify(stored[0], against: stored) == nil)   // the stored hash itself is no code
        #expect(hasher.verify(codes[0].formatted, against: []) == nil)
        let otherKey = try RecoveryCodeHasher(key: Array(repeating: UInt8(0x43), count: 32))
        #expect(otherKey.verify(codes[0].formatted, against: stored) == nil)
    }
}

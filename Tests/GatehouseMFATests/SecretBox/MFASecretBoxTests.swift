import GatehouseCrypto
import Testing
@testable import GatehouseMFA

@Suite("TOTP secret encryption at rest")
struct MFASecretBoxTests {
    let key = (0..<32).map { UInt8($0) }
    let secret = TOTPSecret(bytes: Array("12345678901234567890".utf8))!

    private func box() throws -> MFASecretBox { try MFASecretBox(key: key) }

    /// Replaces one base64url part of a sealed value after changing one bit in it.
    private func flip(_ sealed: String, part: Int, byte: Int) -> String {
        var parts = sealed.split(separator: ".").map(String.init)
        var bytes = Base64URL.decode(parts[part])!
        bytes[byte] ^= 0x01
        parts[part] = Base64URL.encode(bytes)
        return parts.joined(separator: ".")
    }

    @Test("round trip, in the v1.<nonce>.<ciphertext‖tag> form")
    func roundTrip() throws {
        let sealed = try box().seal(secret, accountID: "acct-42")
        let parts = sealed.split(separator: ".")
        #expect(parts.count == 3 && parts[0] == "v1")
        #expect(Base64URL.decode(parts[1])?.count == 12)
        #expect(Base64URL.decode(parts[2])?.count == 20 + 16)
        #expect(try box().open(sealed, accountID: "acct-42").bytes == secret.bytes)
        #expect(!sealed.contains(secret.base32))
    }

    @Test("every seal draws a new nonce")
    func freshNonce() throws {
        let a = try box().seal(secret, accountID: "acct-42"), b = try box().seal(secret, accountID: "acct-42")
        #expect(a != b)
        #expect(a.split(separator: ".")[1] != b.split(separator: ".")[1])
    }

    @Test("the associated data binds the account: documented prefix plus account id")
    func associatedData() throws {
        let sealed = try box().seal(secret, accountID: "acct-42")
        let parts = sealed.split(separator: ".")
        let body = Base64URL.decode(parts[2])!
        let opened = try AESGCM.open(AESGCM.SealedBox(ciphertext: Array(body.prefix(20)), tag: Array(body.suffix(16))),
                                     key: key, nonce: Base64URL.decode(parts[1])!,
                                     authenticating: Array("gatehouse-mfa-totp/v1/acct-42".utf8))
        #expect(opened == secret.bytes)
    }

    @Test("a secret copied to another account's row does not open")
    func otherAccount() throws {
        let sealed = try box().seal(secret, accountID: "acct-42")
        #expect(throws: MFASecretBoxError.cannotOpen) { try box().open(sealed, accountID: "acct-43") }
        #expect(throws: MFASecretBoxError.cannotOpen) { try box().open(sealed, accountID: "acct-4") }
        #expect(throws: MFASecretBoxError.cannotOpen) { try box().open(sealed, accountID: "") }
    }

    @Test("another key does not open it")
    func otherKey() throws {
        let sealed = try box().seal(secret, accountID: "acct-42")
        var other = key
        other[0] ^= 0x80
        #expect(throws: MFASecretBoxError.cannotOpen) { try MFASecretBox(key: other).open(sealed, accountID: "acct-42") }
    }

    @Test("a changed nonce, ciphertext or tag byte does not open")
    func tampering() throws {
        let sealed = try box().seal(secret, accountID: "acct-42")
        for (part, byte) in [(1, 0), (1, 11), (2, 0), (2, 19), (2, 20), (2, 35)] {
            #expect(throws: MFASecretBoxError.cannotOpen, "part \(part), byte \(byte)") {
                try box().open(flip(sealed, part: part, byte: byte), accountID: "acct-42")
            }
        }
    }

    @Test("malformed values are refused before decryption", arguments: [
        "", "v1", "v1..", "v1.AAAAAAAAAAAAAAAA", "v1.AAAAAAAAAAAAAAAA.AAAA.AAAA", "v1.AAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA",
        "v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAA", "v1.AAAAAAAAAAAAAAA*.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA+/AAAAAAAAAAAAAAAAAAA=",
    ])
    func malformed(_ sealed: String) throws {
        #expect(throws: MFASecretBoxError.malformed) { try box().open(sealed, accountID: "acct-42") }
    }

    @Test("another version prefix is refused as unsupported")
    func version() throws {
        let sealed = try box().seal(secret, accountID: "acct-42")
        #expect(throws: MFASecretBoxError.unsupportedVersion) {
            try box().open("v2" + sealed.dropFirst(2), accountID: "acct-42")
        }
        #expect(throws: MFASecretBoxError.unsupportedVersion) {
            try box().open("V1" + sealed.dropFirst(2), accountID: "acct-42")
        }
    }

    @Test("keys other than 32 bytes are refused")
    func keyLength() {
        #expect(throws: MFASecretBoxError.invalidKeyLength) { try MFASecretBox(key: Array(repeating: 0, count: 16)) }
        #expect(throws: MFASecretBoxError.invalidKeyLength) { try MFASecretBox(key: Array(repeating: 0, count: 64)) }
    }
}

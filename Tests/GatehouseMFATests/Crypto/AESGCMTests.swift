import GatehouseCrypto
import Testing

/// AES-256-GCM against the test cases of "The Galois/Counter Mode of Operation (GCM)",
/// D. McGrew and J. Viega, revised 2005, Appendix B (test cases 13–16, 256-bit keys),
/// the vectors NIST SP 800-38D refers to.
@Suite("AES-256-GCM")
struct AESGCMTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let number: Int
        let key, iv, aad, plaintext, ciphertext, tag: String
        var testDescription: String { "GCM spec test case \(number)" }
    }

    static let key15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
    static let plaintext64 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
    static let ciphertext64 = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"

    static let vectors: [Vector] = [
        Vector(number: 13, key: String(repeating: "0", count: 64), iv: String(repeating: "0", count: 24), aad: "",
               plaintext: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"),
        Vector(number: 14, key: String(repeating: "0", count: 64), iv: String(repeating: "0", count: 24), aad: "",
               plaintext: String(repeating: "0", count: 32), ciphertext: "cea7403d4d606b6e074ec5d3baf39d18",
               tag: "d0d1c8a799996bf0265b98b5d48ab919"),
        Vector(number: 15, key: key15, iv: "cafebabefacedbaddecaf888", aad: "",
               plaintext: plaintext64, ciphertext: ciphertext64, tag: "b094dac5d93471bdec1a502270e3cc6c"),
        Vector(number: 16, key: key15, iv: "cafebabefacedbaddecaf888", aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
               plaintext: String(plaintext64.prefix(120)), ciphertext: String(ciphertext64.prefix(120)),
               tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
    ]

    private func bytes(_ hex: String) -> [UInt8] { [UInt8](hexString: hex)! }

    @Test("sealing gives the published ciphertext and tag", arguments: vectors)
    func seal(_ v: Vector) throws {
        let box = try AESGCM.seal(bytes(v.plaintext), key: bytes(v.key), nonce: bytes(v.iv), authenticating: bytes(v.aad))
        #expect(box.ciphertext.hexString == v.ciphertext)
        #expect(box.tag.hexString == v.tag)
    }

    @Test("opening the published ciphertext gives the plaintext", arguments: vectors)
    func open(_ v: Vector) throws {
        let box = AESGCM.SealedBox(ciphertext: bytes(v.ciphertext), tag: bytes(v.tag))
        #expect(try AESGCM.open(box, key: bytes(v.key), nonce: bytes(v.iv), authenticating: bytes(v.aad)) == bytes(v.plaintext))
    }

    private var case16: (box: AESGCM.SealedBox, key: [UInt8], nonce: [UInt8], aad: [UInt8]) {
        let v = Self.vectors[3]
        return (AESGCM.SealedBox(ciphertext: bytes(v.ciphertext), tag: bytes(v.tag)), bytes(v.key), bytes(v.iv), bytes(v.aad))
    }

    @Test("a flipped bit anywhere in the ciphertext is refused")
    func tamperedCiphertext() {
        let c = case16
        for index in [0, c.box.ciphertext.count / 2, c.box.ciphertext.count - 1] {
            var box = c.box
            box.ciphertext[index] ^= 0x01
            #expect(throws: AESGCMError.authenticationFailed) { try AESGCM.open(box, key: c.key, nonce: c.nonce, authenticating: c.aad) }
        }
    }

    @Test("a flipped, truncated or missing tag is refused")
    func tamperedTag() {
        let c = case16
        var flipped = c.box
        flipped.tag[15] ^= 0x80
        var truncated = c.box
        truncated.tag.removeLast()
        var missing = c.box
        missing.tag = []
        for box in [flipped, truncated, missing] {
            #expect(throws: AESGCMError.authenticationFailed) { try AESGCM.open(box, key: c.key, nonce: c.nonce, authenticating: c.aad) }
        }
    }

    @Test("another nonce, key or associated data is refused")
    func wrongInputs() {
        let c = case16
        var nonce = c.nonce
        nonce[0] ^= 1
        var key = c.key
        key[31] ^= 1
        #expect(throws: AESGCMError.authenticationFailed) { try AESGCM.open(c.box, key: c.key, nonce: nonce, authenticating: c.aad) }
        #expect(throws: AESGCMError.authenticationFailed) { try AESGCM.open(c.box, key: key, nonce: c.nonce, authenticating: c.aad) }
        #expect(throws: AESGCMError.authenticationFailed) { try AESGCM.open(c.box, key: c.key, nonce: c.nonce, authenticating: []) }
        #expect(throws: AESGCMError.authenticationFailed) {
            try AESGCM.open(c.box, key: c.key, nonce: c.nonce, authenticating: c.aad + [0])
        }
    }

    @Test("keys other than 256 bits and nonces other than 96 bits are refused")
    func lengths() {
        let plaintext = Array("x".utf8)
        #expect(throws: AESGCMError.invalidKeyLength) { try AESGCM.seal(plaintext, key: Array(repeating: 0, count: 16), nonce: AESGCM.randomNonce()) }
        #expect(throws: AESGCMError.invalidKeyLength) { try AESGCM.seal(plaintext, key: Array(repeating: 0, count: 33), nonce: AESGCM.randomNonce()) }
        #expect(throws: AESGCMError.invalidNonceLength) { try AESGCM.seal(plaintext, key: Array(repeating: 0, count: 32), nonce: Array(repeating: 0, count: 16)) }
        #expect(throws: AESGCMError.invalidNonceLength) { try AESGCM.seal(plaintext, key: Array(repeating: 0, count: 32), nonce: []) }
    }

    @Test("random nonces are 96 bits and differ")
    func randomNonces() {
        let a = AESGCM.randomNonce(), b = AESGCM.randomNonce()
        #expect(a.count == 12 && b.count == 12)
        #expect(a != b)
    }
}

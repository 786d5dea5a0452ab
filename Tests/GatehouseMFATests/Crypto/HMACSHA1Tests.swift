import GatehouseCrypto
import Testing

/// RFC 2202 §3, test cases 1–7 for HMAC-SHA-1.
@Suite("HMAC-SHA-1 (RFC 2202)")
struct HMACSHA1Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let number: Int
        let key: [UInt8]
        let data: [UInt8]
        let digest: String
        var testDescription: String { "test case \(number)" }
    }

    static let vectors: [Vector] = [
        Vector(number: 1, key: Array(repeating: 0x0B, count: 20), data: Array("Hi There".utf8),
               digest: "b617318655057264e28bc0b6fb378c8ef146be00"),
        Vector(number: 2, key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
               digest: "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        Vector(number: 3, key: Array(repeating: 0xAA, count: 20), data: Array(repeating: 0xDD, count: 50),
               digest: "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
        Vector(number: 4, key: Array(1...25), data: Array(repeating: 0xCD, count: 50),
               digest: "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
        Vector(number: 5, key: Array(repeating: 0x0C, count: 20), data: Array("Test With Truncation".utf8),
               digest: "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"),
        Vector(number: 6, key: Array(repeating: 0xAA, count: 80),
               data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
               digest: "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
        Vector(number: 7, key: Array(repeating: 0xAA, count: 80),
               data: Array("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".utf8),
               digest: "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"),
    ]

    @Test("RFC 2202 §3 digest", arguments: vectors)
    func digest(_ vector: Vector) {
        #expect(Digest.hmacSHA1(key: vector.key, message: vector.data).hexString == vector.digest)
    }

    @Test("RFC 2202 test case 5: the first 96 bits are the published HMAC-SHA-1-96")
    func truncated() {
        let mac = Digest.hmacSHA1(key: Array(repeating: 0x0C, count: 20), message: Array("Test With Truncation".utf8))
        #expect(Array(mac.prefix(12)).hexString == "4c1a03424b55e07fe7f27be1")
    }

    @Test("a one-bit change in the key or the message changes the MAC")
    func keyAndMessageMatter() {
        let key = Array("Jefe".utf8), message = Array("what do ya want for nothing?".utf8)
        let mac = Digest.hmacSHA1(key: key, message: message)
        #expect(Digest.hmacSHA1(key: Array("Jeff".utf8), message: message) != mac)
        var flipped = message
        flipped[0] ^= 1
        #expect(Digest.hmacSHA1(key: key, message: flipped) != mac)
    }
}

import GatehouseCrypto
import Testing
@testable import GatehouseMFA

/// RFC 4226 Appendix D: the secret "12345678901234567890" and counters 0–9.
@Suite("HOTP (RFC 4226)")
struct HOTPTests {
    static let secret = Array("12345678901234567890".utf8)

    private func mac(counter: UInt64) -> [UInt8] {
        Digest.hmacSHA1(key: Self.secret, message: (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64($0))) })
    }

    @Test("Appendix D: HOTP values for counters 0 to 9")
    func appendixD() {
        let expected = ["755224", "287082", "359152", "969429", "338314",
                        "254676", "287922", "162583", "399871", "520489"]
        #expect((0..<10).map { HOTP.code(secret: Self.secret, counter: UInt64($0)) } == expected)
    }

    @Test("Appendix D: the intermediate HMAC-SHA-1 values and their dynamic truncations")
    func appendixDIntermediates() {
        #expect(mac(counter: 0).hexString == "cc93cf18508d94934c64b65d8ba7667fb7cde4b0")
        #expect(mac(counter: 9).hexString == "1637409809a679dc698207310c8c7fc07290d9e5")
        let truncated: [UInt32] = [1_284_755_224, 1_094_287_082, 137_359_152, 1_726_969_429, 1_640_338_314,
                                   868_254_676, 1_918_287_922, 82_162_583, 673_399_871, 645_520_489]
        #expect((0..<10).map { HOTP.truncate(mac(counter: UInt64($0))) } == truncated)
    }

    @Test("§5.4: the worked example truncates to 0x50ef7f19, 872921 at 6 digits")
    func section54Example() {
        let mac = [UInt8](hexString: "1f8698690e02ca16618550ef7f19da8e945b555a")!
        #expect(HOTP.truncate(mac) == 0x50EF_7F19)
        #expect(HOTP.truncate(mac) % 1_000_000 == 872_921)
    }

    @Test("7 and 8 digits take more of the same truncated value")
    func longerCodes() {
        #expect(HOTP.code(secret: Self.secret, counter: 0, digits: 7) == "4755224")
        #expect(HOTP.code(secret: Self.secret, counter: 0, digits: 8) == "84755224")
        #expect(HOTP.code(secret: Self.secret, counter: 7, digits: 8) == "82162583")
    }
}

import Testing
@testable import GatehouseMFA

@Suite("TOTP secrets")
struct TOTPSecretTests {
    @Test("generated secrets are 160 bits (RFC 4226 §4 R6) and differ")
    func generated() {
        let a = TOTPSecret.generate(), b = TOTPSecret.generate()
        #expect(a.bytes.count == 20)
        #expect(a.bytes != b.bytes)
        #expect(a.base32.count == 32)   // 160 bits / 5 bits per symbol, no padding
        #expect(TOTPSecret(base32: a.base32)?.bytes == a.bytes)
    }

    @Test("secrets shorter than 128 bits are refused (RFC 4226 §4 R6)")
    func tooShort() {
        #expect(TOTPSecret(bytes: Array(repeating: 7, count: 15)) == nil)
        #expect(TOTPSecret(bytes: []) == nil)
        #expect(TOTPSecret(bytes: Array(repeating: 7, count: 16)) != nil)
        #expect(TOTPSecret(base32: "JBSWY3DPEHPK3PXP") == nil)             // 10 bytes
        #expect(TOTPSecret(base32: "JBSWY3DPEHPK3PXPJBSWY3DPEE") != nil)   // 16 bytes
    }

    @Test("a secret typed by hand from an app is read with spaces and any case")
    func manualEntry() {
        let secret = TOTPSecret(bytes: Array("12345678901234567890".utf8))!
        #expect(secret.base32 == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(TOTPSecret(base32: "gezd gnbv gy3t qojq gezd gnbv gy3t qojq")?.bytes == secret.bytes)
        #expect(TOTPSecret(base32: "GEZDGNBVGY3TQOJ!GEZDGNBVGY3TQOJQ") == nil)
    }

    @Test("the description never shows the key")
    func redacted() {
        let secret = TOTPSecret(bytes: Array("12345678901234567890".utf8))!
        let shown = "\(secret) \(String(describing: secret)) \(String(reflecting: secret))"
        #expect(!shown.contains(secret.base32))
        #expect(!shown.contains("1234567890"))
        #expect(!shown.contains("49, 50, 51"))
    }
}

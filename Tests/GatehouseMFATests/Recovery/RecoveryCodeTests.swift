import Testing
@testable import GatehouseMFA

@Suite("Recovery codes: generation and input")
struct RecoveryCodeTests {
    @Test("a set is 10 distinct codes of 10 unambiguous characters, shown as XXXXX-XXXXX")
    func generation() {
        let codes = RecoveryCode.generateSet()
        #expect(codes.count == 10)
        #expect(Set(codes).count == 10)
        for code in codes {
            #expect(code.normalized.count == 10)
            #expect(code.normalized.allSatisfy { RecoveryCode.alphabet.contains($0) })
            #expect(code.formatted.count == 11)
            #expect(Array(code.formatted)[5] == "-")
            #expect(code.formatted.replacingOccurrences(of: "-", with: "") == code.normalized)
        }
    }

    @Test("the alphabet is Crockford's: 32 symbols without I, L, O or U")
    func alphabet() {
        #expect(RecoveryCode.alphabet.count == 32)
        #expect(Set(RecoveryCode.alphabet).count == 32)
        #expect(!RecoveryCode.alphabet.contains { "ILOU".contains($0) })
    }

    @Test("generated symbols cover the alphabet (no stuck bits)")
    func coverage() {
        let seen = Set((0..<60).flatMap { _ in RecoveryCode.generate().normalized })
        #expect(seen.count == 32)
    }

    @Test("typed codes are normalised: case, dashes, spaces and Crockford look-alikes")
    func normalisation() {
        #expect(RecoveryCode("7QK2M-XW0DA")?.normalized == "7QK2MXW0DA")
        #expect(RecoveryCode("7qk2m-xw0da")?.normalized == "7QK2MXW0DA")
        #expect(RecoveryCode(" 7QK2M XW0DA ")?.normalized == "7QK2MXW0DA")
        #expect(RecoveryCode("7-Q-K-2-M-X-W-0-D-A")?.normalized == "7QK2MXW0DA")
        #expect(RecoveryCode("7QK2M-XWODA")?.normalized == "7QK2MXW0DA")   // O typed for 0
        #expect(RecoveryCode("IL2MM-XW0DA")?.normalized == "112MMXW0DA")   // I and L typed for 1
    }

    @Test("other characters and other lengths are refused", arguments: [
        "", "7QK2M-XW0D", "7QK2M-XW0DAA", "7QK2U-XW0DA", "7QK2M_XW0DA", "7QK2M.XW0DA", "7QK2M-XW0D\u{0}",
        "7QK2M-XW0DẤ", "７QK2M-XW0DA", "7QK2M\tXW0DA", "7QK2M-XW0DA\n", String(repeating: "A", count: 10_000),
    ])
    func refused(_ input: String) {
        #expect(RecoveryCode(input) == nil)
    }

    @Test("the description never shows the code")
    func redacted() {
        let code = RecoveryCode.generate()
        #expect(!"\(code)".contains(code.normalized))
        #expect(!"\(code)".contains(String(code.normalized.prefix(5))))
    }
}

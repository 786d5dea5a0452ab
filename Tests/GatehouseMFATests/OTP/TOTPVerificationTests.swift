import Foundation
import Testing
@testable import GatehouseMFA

@Suite("TOTP verification: window and replay")
struct TOTPVerificationTests {
    let secret = TOTPSecret(bytes: Array("12345678901234567890".utf8))!
    /// 2009-03-18 01:58:29 UTC, inside step 37037036 (RFC 6238 Appendix B).
    let now = Date(timeIntervalSince1970: 1_111_111_109)
    let step: Int64 = 37_037_036

    private func code(_ step: Int64) -> String { TOTP.standard.code(secret: secret, step: step) }

    @Test("the current code is accepted and its step returned")
    func current() {
        #expect(TOTP.verify(code: "081804", secret: secret, at: now, lastUsedStep: nil) == step)
        #expect(TOTP.verify(code: code(step), secret: secret, at: now, lastUsedStep: step - 5) == step)
    }

    @Test("one step early or late is accepted and returns that step")
    func windowOfOne() {
        #expect(TOTP.verify(code: code(step - 1), secret: secret, at: now, lastUsedStep: nil) == step - 1)
        #expect(TOTP.verify(code: code(step + 1), secret: secret, at: now, lastUsedStep: nil) == step + 1)
    }

    @Test("two steps early or late are refused")
    func outsideWindow() {
        #expect(TOTP.verify(code: code(step - 2), secret: secret, at: now, lastUsedStep: nil) == nil)
        #expect(TOTP.verify(code: code(step + 2), secret: secret, at: now, lastUsedStep: nil) == nil)
    }

    @Test("with a window of 0 only the current step counts")
    func windowOfZero() {
        let strict = TOTP(window: 0)!
        #expect(strict.verify(code: code(step), secret: secret, at: now, lastUsedStep: nil) == step)
        #expect(strict.verify(code: code(step - 1), secret: secret, at: now, lastUsedStep: nil) == nil)
        #expect(strict.verify(code: code(step + 1), secret: secret, at: now, lastUsedStep: nil) == nil)
    }

    @Test("a code accepted once is refused the second time, also later in its window")
    func replay() {
        let used = TOTP.verify(code: code(step), secret: secret, at: now, lastUsedStep: nil)
        #expect(used == step)
        #expect(TOTP.verify(code: code(step), secret: secret, at: now, lastUsedStep: used) == nil)
        #expect(TOTP.verify(code: code(step), secret: secret, at: now.addingTimeInterval(30), lastUsedStep: used) == nil)
    }

    @Test("after a later step was used, codes of earlier steps are refused")
    func earlierSteps() {
        let used = TOTP.verify(code: code(step + 1), secret: secret, at: now, lastUsedStep: nil)
        #expect(used == step + 1)
        #expect(TOTP.verify(code: code(step), secret: secret, at: now, lastUsedStep: used) == nil)
        #expect(TOTP.verify(code: code(step - 1), secret: secret, at: now, lastUsedStep: used) == nil)
        // The next step's code still works once its time comes.
        #expect(TOTP.verify(code: code(step + 2), secret: secret, at: now.addingTimeInterval(30), lastUsedStep: used) == step + 2)
    }

    @Test("a wrong code is refused")
    func wrongCode() {
        let right = code(step)
        let wrong = String(right.dropLast()) + (right.last == "0" ? "1" : "0")
        #expect(TOTP.verify(code: wrong, secret: secret, at: now, lastUsedStep: nil) == nil)
        let otherSecret = TOTPSecret(bytes: Array("abcdefghijklmnopqrst".utf8))!
        #expect(TOTP.verify(code: right, secret: otherSecret, at: now, lastUsedStep: nil) == nil)
    }

    @Test("input that is not exactly six ASCII digits is refused", arguments: [
        "", "08180", "0818040", "081 804", " 081804", "081804\n", "08180a", "+81804", "-81804",
        "０８１８０４", "٠٨١٨٠٤", "81804.", "0x1804",
    ])
    func malformed(_ input: String) {
        #expect(TOTP.verify(code: input, secret: secret, at: now, lastUsedStep: nil) == nil)
    }

    @Test("8-digit parameters want 8 digits")
    func eightDigits() {
        let eight = TOTP(digits: 8)!
        #expect(eight.verify(code: "07081804", secret: secret, at: now, lastUsedStep: nil) == step)
        #expect(eight.verify(code: "081804", secret: secret, at: now, lastUsedStep: nil) == nil)
        #expect(TOTP.verify(code: "07081804", secret: secret, at: now, lastUsedStep: nil) == nil)
    }

    @Test("before 1970 or at absurd times nothing is accepted and nothing crashes")
    func beforeEpoch() {
        let early = Date(timeIntervalSince1970: -100)
        #expect(TOTP.verify(code: code(0), secret: secret, at: early, lastUsedStep: nil) == nil)
        #expect(TOTP.verify(code: "000000", secret: secret, at: Date.distantPast, lastUsedStep: nil) == nil)
        #expect(TOTP.verify(code: code(0), secret: secret, at: Date(timeIntervalSince1970: 10), lastUsedStep: nil) == 0)
        #expect(TOTP.verify(code: "000000", secret: secret, at: Date(timeIntervalSince1970: 1e300), lastUsedStep: nil) == nil)
        #expect(TOTP.verify(code: "000000", secret: secret, at: Date(timeIntervalSince1970: -.infinity), lastUsedStep: nil) == nil)
    }
}

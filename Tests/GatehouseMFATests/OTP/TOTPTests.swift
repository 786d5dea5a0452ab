import Foundation
import Testing
@testable import GatehouseMFA

/// RFC 6238 Appendix B, the SHA-1 rows: seed "12345678901234567890", X = 30, T0 = 0, 8 digits.
@Suite("TOTP (RFC 6238)")
struct TOTPTests {
    static let secret = TOTPSecret(bytes: Array("12345678901234567890".utf8))!
    static let eightDigits = TOTP(digits: 8)!

    struct Row: Sendable, CustomTestStringConvertible {
        let time: Int64
        let step: String
        let code: String
        var testDescription: String { "T = \(time)" }
    }

    static let appendixBRows: [Row] = [
        Row(time: 59, step: "0000000000000001", code: "94287082"),
        Row(time: 1_111_111_109, step: "00000000023523EC", code: "07081804"),
        Row(time: 1_111_111_111, step: "00000000023523ED", code: "14050471"),
        Row(time: 1_234_567_890, step: "000000000273EF07", code: "89005924"),
        Row(time: 2_000_000_000, step: "0000000003F940AA", code: "69279037"),
        Row(time: 20_000_000_000, step: "0000000027BC86AA", code: "65353130"),
    ]

    @Test("Appendix B: time step and 8-digit SHA-1 code", arguments: appendixBRows)
    func appendixB(_ row: Row) {
        let date = Date(timeIntervalSince1970: TimeInterval(row.time))
        #expect(Self.eightDigits.timeStep(at: date) == Int64(row.step, radix: 16))
        #expect(Self.eightDigits.code(secret: Self.secret, at: date) == row.code)
    }

    @Test("the standard parameters are SHA-1, 6 digits, 30 s: the last 6 digits of Appendix B")
    func standardSixDigits() {
        for row in Self.appendixBRows {
            #expect(TOTP.code(secret: Self.secret, at: Date(timeIntervalSince1970: TimeInterval(row.time))) == String(row.code.suffix(6)))
        }
        #expect(TOTP.standard.digits == 6 && TOTP.standard.period == 30 && TOTP.standard.window == 1)
    }

    @Test("codes with leading zeros keep them")
    func leadingZeros() {
        let date = Date(timeIntervalSince1970: 1_111_111_109)
        #expect(Self.eightDigits.code(secret: Self.secret, at: date) == "07081804")
        #expect(TOTP.code(secret: Self.secret, at: date) == "081804")
    }

    @Test("a step covers [30·T, 30·T + 30): T0 = 0, rounding down")
    func stepBoundaries() {
        let totp = TOTP.standard
        #expect(totp.timeStep(at: Date(timeIntervalSince1970: 0)) == 0)
        #expect(totp.timeStep(at: Date(timeIntervalSince1970: 29.999)) == 0)
        #expect(totp.timeStep(at: Date(timeIntervalSince1970: 30)) == 1)
        #expect(totp.timeStep(at: Date(timeIntervalSince1970: 59)) == 1)
        #expect(totp.timeStep(at: Date(timeIntervalSince1970: -1)) == -1)
        #expect(TOTP(period: 60)!.timeStep(at: Date(timeIntervalSince1970: 119)) == 1)
    }

    @Test("parameters outside RFC 4226 §4 and RFC 6238 §5.2 are refused")
    func invalidParameters() {
        #expect(TOTP(digits: 5) == nil)
        #expect(TOTP(digits: 9) == nil)
        #expect(TOTP(period: 0) == nil)
        #expect(TOTP(period: -30) == nil)
        #expect(TOTP(window: 2) == nil)
        #expect(TOTP(window: -1) == nil)
        #expect(TOTP(digits: 8, period: 60, window: 0) != nil)
    }
}

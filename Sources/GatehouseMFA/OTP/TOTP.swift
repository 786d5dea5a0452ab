public import Foundation

/// TOTP, the time-based one-time password of RFC 6238: HOTP (RFC 4226) with the counter
/// T = floor((unix time − T0) / X), T0 = 0 (RFC 6238 §4.2).
///
/// ``standard`` is what Google Authenticator, Microsoft Authenticator, FreeOTP and Aegis
/// assume when an `otpauth://` URI names nothing else: HMAC-SHA-1, 6 digits, X = 30 s.
///
/// ```swift
/// let secret = TOTPSecret.generate()
/// let code = TOTP.code(secret: secret, at: now)   // e.g. "081804"
/// ```
public struct TOTP: Sendable, Equatable {
    /// HMAC-SHA-1, 6 digits, 30-second steps, one step of tolerance either side.
    public static let standard = TOTP(checkedDigits: 6, period: 30, window: 1)

    /// Digits in a code (RFC 4226 §5.3), 6 to 8.
    public let digits: Int
    /// The time step X in seconds (RFC 6238 §4.1; §5.2 recommends 30).
    public let period: Int
    /// Time steps accepted either side of the current one, 0 or 1 (RFC 6238 §5.2
    /// recommends at most one step of transmission delay).
    public let window: Int

    /// Parameters other than ``standard``; `nil` when `digits` is outside 6...8
    /// (RFC 4226 §4 R4), `period` is not positive or `window` is not 0 or 1 (RFC 6238 §5.2).
    public init?(digits: Int = 6, period: Int = 30, window: Int = 1) {
        guard HOTP.allowedDigits.contains(digits), period > 0, (0...1).contains(window) else { return nil }
        self.init(checkedDigits: digits, period: period, window: window)
    }

    private init(checkedDigits digits: Int, period: Int, window: Int) {
        self.digits = digits
        self.period = period
        self.window = window
    }

    /// The time step T that `date` falls in (RFC 6238 §4.2), rounding down; negative before 1970.
    public func timeStep(at date: Date) -> Int64 {
        let step = (date.timeIntervalSince1970 / Double(period)).rounded(.down)
        guard step < 9.0e18 else { return .max }
        guard step > -9.0e18 else { return .min }
        return Int64(step)
    }

    /// The code for time step `step` (RFC 6238 §4.2: TOTP = HOTP(K, T)).
    ///
    /// - Precondition: `step` is not negative (TOTP starts at T0 = 1970-01-01).
    public func code(secret: TOTPSecret, step: Int64) -> String {
        precondition(step >= 0, "TOTP time steps start at T0 = 0 (RFC 6238 §4.2)")
        return HOTP.code(secret: secret.bytes, counter: UInt64(step), digits: digits)
    }

    /// The code valid at `date`.
    public func code(secret: TOTPSecret, at date: Date) -> String {
        code(secret: secret, step: timeStep(at: date))
    }

    /// The code valid at `date` with the ``standard`` parameters.
    public static func code(secret: TOTPSecret, at date: Date) -> String {
        standard.code(secret: secret, at: date)
    }
}

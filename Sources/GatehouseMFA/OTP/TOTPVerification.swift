public import Foundation
internal import GatehouseCrypto

extension TOTP {
    /// Checks a code that a person typed and returns the time step it belongs to, which the
    /// caller stores as the new `lastUsedStep`; `nil` refuses the code.
    ///
    /// - A code must be exactly ``digits`` ASCII digits; anything else is refused unread.
    /// - Codes of the steps `now − window ... now + window` are accepted (RFC 6238 §5.2).
    /// - A step at or before `lastUsedStep` is never accepted, so a code, or any code of an
    ///   earlier step, works only once (RFC 6238 §5.2: "the verifier MUST NOT accept the
    ///   second attempt of the same OTP after the successful validation").
    /// - Every candidate is computed and compared in constant time; when two steps of the
    ///   window share the code, the later one is returned so that neither can be replayed.
    ///
    /// ```swift
    /// guard let step = TOTP.verify(code: typed, secret: secret, at: now, lastUsedStep: account.lastTOTPStep)
    /// else { throw LoginError.wrongCode }
    /// account.lastTOTPStep = step
    /// ```
    public func verify(code: String, secret: TOTPSecret, at date: Date, lastUsedStep: Int64?) -> Int64? {
        let typed = Array(code.utf8)
        guard typed.count == digits, typed.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        let now = timeStep(at: date)
        guard now > Int64.min + Int64(window), now < Int64.max - Int64(window) else { return nil }
        let floor = lastUsedStep ?? -1
        var accepted: Int64?
        for step in (now - Int64(window))...(now + Int64(window)) where step >= 0 {
            let matches = ConstantTime.equals(Array(self.code(secret: secret, step: step).utf8), typed)
            if matches && step > floor { accepted = step }
        }
        return accepted
    }

    /// ``verify(code:secret:at:lastUsedStep:)`` with the ``standard`` parameters.
    public static func verify(code: String, secret: TOTPSecret, at date: Date, lastUsedStep: Int64?) -> Int64? {
        standard.verify(code: code, secret: secret, at: date, lastUsedStep: lastUsedStep)
    }
}

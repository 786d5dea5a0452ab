import Foundation
import GatehouseMFA

/// What a code typed on the second-factor page matches: the account's TOTP (RFC 6238) at a
/// time step after the last one accepted, or one of its unused recovery codes.
enum SecondFactorMatch: Sendable, Equatable {
    /// A TOTP code of time step `step`, the new replay guard.
    case totp(step: Int64)
    /// The recovery code stored at `index`, to be removed.
    case recoveryCode(index: Int)
    /// No match; `reason` is for the audit trail only.
    case wrong(reason: String)

    /// The longest input read; anything longer is refused unread.
    static let maximumLength = 64

    /// Checks `typed` against `secret` at `now` and the account's stored guard and codes.
    ///
    /// Spaces (and any white space) are dropped first, so `123 456` is `123456`. Six ASCII
    /// digits are a TOTP code, checked with one step of tolerance either side and never at or
    /// before `lastStep` (RFC 6238 §5.2); a code refused only because its step was already used
    /// is reported as `replayed_code`. Anything else is read as a recovery code
    /// (``RecoveryCode``: any case, dashes, look-alikes folded) and compared in constant time
    /// with every stored hash.
    static func check(_ typed: String, secret: TOTPSecret, lastStep: Int64?, recoveryCodes: [String], hasher: RecoveryCodeHasher,
                      now: Date) -> SecondFactorMatch {
        guard typed.utf8.count <= maximumLength else { return .wrong(reason: "malformed") }
        let compact = typed.filter { !$0.isWhitespace }
        if compact.utf8.count == TOTP.standard.digits, compact.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            if let step = TOTP.verify(code: compact, secret: secret, at: now, lastUsedStep: lastStep) { return .totp(step: step) }
            if lastStep != nil, TOTP.verify(code: compact, secret: secret, at: now, lastUsedStep: nil) != nil {
                return .wrong(reason: "replayed_code")
            }
            return .wrong(reason: "invalid_code")
        }
        if let index = hasher.verify(compact, against: recoveryCodes) { return .recoveryCode(index: index) }
        return .wrong(reason: RecoveryCode(compact) == nil ? "malformed" : "invalid_recovery_code")
    }
}

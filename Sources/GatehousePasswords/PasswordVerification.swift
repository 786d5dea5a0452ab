/// The outcome of checking a password against a stored hash.
///
/// ```swift
/// switch try hasher.verify(password, against: account.passwordHash) {
/// case .valid(needsRehash: true): store(try hasher.hash(password))   // upgrade on login
/// case .valid: break
/// case .invalid: reject()
/// }
/// ```
public enum PasswordVerification: Hashable, Sendable {
    /// The password matches. `needsRehash` is true when the stored hash uses a legacy scheme or
    /// Argon2id parameters other than the current ones: hash the password again and store it.
    case valid(needsRehash: Bool)
    /// The password does not match.
    case invalid

    /// True for `.valid`.
    public var isValid: Bool {
        if case .valid = self { true } else { false }
    }
}

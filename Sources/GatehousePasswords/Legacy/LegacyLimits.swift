/// The most work Gatehouse spends verifying one legacy hash. A stored hash asking for more is
/// refused with ``PasswordError/costOutOfBounds(scheme:reason:)``: each bound is a few seconds
/// of one core, comparable to the Argon2id bound, and far above what the source systems wrote
/// (SHA-crypt defaults to 5,000 rounds, bcrypt to cost 10–12, Django 5.2 to 1,000,000 PBKDF2
/// iterations).
enum LegacyLimits {
    static let maxSHACryptRounds = 5_000_000
    static let maxBcryptCost = 16
    static let maxPBKDF2Iterations = 10_000_000
    /// Longest stored hash accepted by any legacy parser.
    static let maxEncodedLength = 512
}

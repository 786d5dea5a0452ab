import Foundation
import GatehousePasswords

/// Whether a password hash from an import file is one Gatehouse can verify at login: Argon2id
/// (PHC string), `{SSHA}`, `{SSHA512}`, SHA-512/256-crypt (`$6$`, `$5$`, bare or after
/// `{CRYPT}`), bcrypt (`$2b$`, `$2a$`, `$2y$`) or PBKDF2-SHA256 (passlib `$pbkdf2-sha256$`,
/// Django `pbkdf2_sha256$`), well formed and within the cost limits of `GatehousePasswords`.
///
/// Anything else is refused, a plaintext password above all; the value itself never appears in
/// a message (it might be a password, or a verifier an attacker could attack offline).
enum LegacyHashCheck {
    /// A password longer than `PasswordText.maxBytes` in UTF-8: verifying it checks the hash's
    /// form and cost and returns without computing the hash, whatever the scheme's work factor.
    /// Made of a three-byte character that NFC leaves alone, so that the normalisation the
    /// verifier applies first has a third as many characters to go through as with ASCII.
    private static let overlong = String(repeating: "\u{4E00}", count: PasswordText.maxBytes / 3 + 1)
    private static let hasher = try! PasswordHasher()

    /// Throws a message naming the problem when `stored` is not a verifiable hash.
    static func check(_ stored: String) throws(CLIError) {
        guard let scheme = PasswordScheme.identify(stored) else {
            throw CLIError("password_hash is not in a supported hash format (a plaintext password is never accepted)")
        }
        do {
            // A salted SHA is one digest: computing it is cheaper than skipping it.
            let cheap = scheme == .ssha || scheme == .ssha512
            _ = try hasher.verify(cheap ? "" : overlong, against: stored)
        } catch {
            throw CLIError("password_hash refused: \(error)")
        }
    }
}

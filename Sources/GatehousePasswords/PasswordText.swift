import Foundation

/// How a password becomes the bytes that are hashed.
///
/// Passwords are normalised to Unicode NFC before hashing and verifying, so Vietnamese typed
/// decomposed (NFD, as some keyboards and macOS file systems produce) matches the same text
/// typed precomposed. NIST SP 800-63B §5.1.1.2 recommends NFKC or NFD; NFC is chosen because
/// it is what every other Gatehouse string is stored as and it leaves compatibility characters
/// (full-width digits, ligatures) distinct, as the user typed them.
public enum PasswordText {
    /// The longest password accepted, in UTF-8 bytes after normalisation. The policy's
    /// `max_length` (characters) sits below this; this bound protects the schemes whose cost grows
    /// with the password's length (SHA-crypt) from a megabyte-long "password".
    public static let maxBytes = 4096

    /// The NFC-normalised UTF-8 bytes of `password`.
    public static func bytes(_ password: String) -> [UInt8] {
        Array(password.precomposedStringWithCanonicalMapping.utf8)
    }
}

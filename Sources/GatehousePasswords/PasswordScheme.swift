/// The scheme of a stored password hash, told by its prefix.
///
/// Only Argon2id is ever written. The others are verify-only, for accounts migrated from older
/// directories; a successful login answers `.valid(needsRehash: true)` so the caller replaces them.
public enum PasswordScheme: String, Sendable, CaseIterable {
    /// `$argon2id$v=19$…` (RFC 9106, PHC string format).
    case argon2id
    /// `{SSHA}…`: OpenLDAP salted SHA-1.
    case ssha = "{SSHA}"
    /// `{SSHA512}…`: OpenLDAP salted SHA-512.
    case ssha512 = "{SSHA512}"
    /// `$6$…` or `{CRYPT}$6$…`: SHA-512-crypt.
    case sha512Crypt = "sha512-crypt"
    /// `$5$…` or `{CRYPT}$5$…`: SHA-256-crypt.
    case sha256Crypt = "sha256-crypt"
    /// `$2b$`, `$2a$`, `$2y$`, bare or after `{CRYPT}`.
    case bcrypt
    /// passlib's `$pbkdf2-sha256$rounds$salt$hash`.
    case pbkdf2SHA256 = "pbkdf2-sha256"
    /// Django's `pbkdf2_sha256$rounds$salt$hash`.
    case djangoPBKDF2SHA256 = "pbkdf2_sha256"

    /// True for every scheme but Argon2id.
    public var isLegacy: Bool { self != .argon2id }

    /// The scheme of `stored`, or `nil` when no supported scheme matches.
    public static func identify(_ stored: String) -> PasswordScheme? {
        identify(Substring(stored))?.scheme
    }

    /// The scheme and the part of `stored` its verifier reads.
    static func identify(_ stored: Substring) -> (scheme: PasswordScheme, body: Substring)? {
        if stored.hasPrefix("$argon2id$") { return (.argon2id, stored) }
        if let rest = stripPrefix("{SSHA}", stored) { return (.ssha, rest) }
        if let rest = stripPrefix("{SSHA512}", stored) { return (.ssha512, rest) }
        if let rest = stripPrefix("{CRYPT}", stored) { return identifyCrypt(rest) }
        if let rest = stripPrefix("$pbkdf2-sha256$", stored) { return (.pbkdf2SHA256, rest) }
        if let rest = stripPrefix("pbkdf2_sha256$", stored) { return (.djangoPBKDF2SHA256, rest) }
        return identifyCrypt(stored)
    }

    private static func identifyCrypt(_ s: Substring) -> (scheme: PasswordScheme, body: Substring)? {
        if s.hasPrefix("$6$") { return (.sha512Crypt, s) }
        if s.hasPrefix("$5$") { return (.sha256Crypt, s) }
        if s.hasPrefix("$2b$") || s.hasPrefix("$2a$") || s.hasPrefix("$2y$") { return (.bcrypt, s) }
        return nil
    }

    /// LDAP scheme tags (`{SSHA}`) are case-insensitive (RFC 2307 §5.3); the others are not.
    private static func stripPrefix(_ prefix: String, _ s: Substring) -> Substring? {
        guard s.utf8.count >= prefix.utf8.count else { return nil }
        let head = s.prefix(prefix.count)
        let matches = prefix.hasPrefix("{") ? head.uppercased() == prefix : head == prefix
        return matches ? s.dropFirst(prefix.count) : nil
    }

    /// A safe label for an unsupported hash: its prefix when it is a known scheme's, otherwise
    /// `unknown`. A stored value might be a plaintext password, so nothing else is echoed.
    static func label(ofUnsupported stored: String) -> String {
        let upper = stored.prefix(24).uppercased()
        for tag in knownUnsupported where upper.hasPrefix(tag.uppercased()) { return tag }
        return "unknown"
    }

    private static let knownUnsupported = [
        "{MD5}", "{SMD5}", "{SHA}", "{SHA256}", "{SSHA256}", "{SHA384}", "{SSHA384}", "{SHA512}",
        "{CLEARTEXT}", "{PBKDF2}", "{PBKDF2-SHA256}", "{PBKDF2-SHA512}", "{ARGON2}", "{CRYPT}",
        "$1$", "$apr1$", "$2x$", "$2$", "$y$", "$gy$", "$7$", "$sha1$", "$md5", "$argon2i$", "$argon2d$",
        "$pbkdf2$", "$pbkdf2-sha512$", "$scrypt$", "pbkdf2_sha1$", "argon2$", "bcrypt$", "bcrypt_sha256$",
        "scrypt$", "md5$", "sha1$",
    ]
}

import Foundation

/// `Policies/password.yaml`: how passwords are hashed and which ones are accepted
/// (NIST SP 800-63B §5.1.1.2: a minimum length, a generous maximum, a blocklist, no
/// composition rules, no periodic expiry unless required).
public struct PasswordPolicy: Hashable, Sendable {
    /// Argon2id cost (RFC 9106). GatehousePasswords' `Argon2Parameters` is built from these.
    public struct Argon2id: Hashable, Sendable {
        public var memoryKiB: Int
        public var iterations: Int
        public var parallelism: Int
        public init(memoryKiB: Int, iterations: Int, parallelism: Int) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
        }
    }

    public var argon2id: Argon2id
    /// Fewest characters (Unicode scalars after NFC) a new password may have.
    public var minLength: Int
    /// Most characters a new password may have; at least 128 so passphrases fit.
    public var maxLength: Int
    /// Days after which a password must be changed; 0 means never (NIST's advice).
    public var expiryDays: Int
    /// The blocklist file as written in the policy (relative to the policy folder), if any.
    public var commonPasswordsFile: String?
    /// The blocklist's path resolved against the policy folder, set by the loader.
    public var commonPasswordsPath: String?
    /// Refuse passwords that contain the username.
    public var checkUsername: Bool
    /// Refuse passwords that contain a word of the display name (4 letters or more).
    public var checkDisplayName: Bool
    /// Delays and locks after failed logins (`lockout:`).
    public var lockout: LockoutPolicy
    /// The per-client limit at the token and neighbouring endpoints (`client_rate_limit:`).
    public var clientRateLimit: ClientRateLimitPolicy

    public init(
        argon2id: Argon2id, minLength: Int, maxLength: Int, expiryDays: Int,
        commonPasswordsFile: String? = nil, commonPasswordsPath: String? = nil,
        checkUsername: Bool, checkDisplayName: Bool,
        lockout: LockoutPolicy = .defaults, clientRateLimit: ClientRateLimitPolicy = .defaults
    ) {
        self.argon2id = argon2id
        self.minLength = minLength
        self.maxLength = maxLength
        self.expiryDays = expiryDays
        self.commonPasswordsFile = commonPasswordsFile
        self.commonPasswordsPath = commonPasswordsPath
        self.checkUsername = checkUsername
        self.checkDisplayName = checkDisplayName
        self.lockout = lockout
        self.clientRateLimit = clientRateLimit
    }

    /// The values used when `password.yaml` is absent; the shipped file spells out the same.
    public static let defaults = PasswordPolicy(
        argon2id: Argon2id(memoryKiB: 19_456, iterations: 2, parallelism: 1),
        minLength: 12, maxLength: 128, expiryDays: 0,
        checkUsername: true, checkDisplayName: true)

    /// Lower bounds below which Argon2id no longer resists offline guessing (OWASP Password
    /// Storage Cheat Sheet: 7 MiB is the smallest memory it lists), and upper bounds matching
    /// what GatehousePasswords accepts from a stored hash.
    static let memoryRange = 7_168...1_048_576
    static let iterationRange = 1...10
    static let parallelismRange = 1...16
    static let minLengthRange = 8...64
    static let maxLengthRange = 128...1024
}

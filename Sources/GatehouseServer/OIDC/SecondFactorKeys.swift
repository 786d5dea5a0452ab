import GatehouseCrypto
import GatehouseMFA

/// The keys of the second factor, all from one 32-byte server secret (`Keys/mfa.key`, shared
/// by every node like the signing keys, never in the database):
/// - TOTP secrets are sealed at rest with AES-256-GCM under the secret itself, bound to the
///   account id (``MFASecretBox``), so a copy of the database reveals none;
/// - recovery codes are stored as HMAC-SHA-256 under a key derived from it with a label
///   (``RecoveryCodeHasher``), so 50-bit codes cannot be guessed offline from a stolen row;
/// - the secret of an enrolment in progress travels in the flow token sealed with AES-256-GCM
///   under another derived key, bound to the account: the token is readable, the secret is not.
///
/// ```swift
/// let keys = try SecondFactorKeys(key: try MFAKeyFile.load(keys: "Keys"))
/// let oidc = OIDCServices(engine: engine, passwords: passwords, passwordPolicy: policy, logoutNotifier: notifier,
///                         secondFactor: keys)
/// ```
public struct SecondFactorKeys: Sendable {
    /// Length of the server secret.
    public static let keyLength = 32

    let secrets: MFASecretBox
    let recoveryCodes: RecoveryCodeHasher
    let enrolment: MFASecretBox

    /// Derives the keys from `key`, 32 random bytes.
    ///
    /// - Throws: ``SecondFactorKeyError`` when `key` is not 32 bytes.
    public init(key: [UInt8]) throws(SecondFactorKeyError) {
        guard key.count == Self.keyLength else { throw SecondFactorKeyError() }
        do {
            secrets = try MFASecretBox(key: key)
            recoveryCodes = try RecoveryCodeHasher(key: Self.derive(key, "gatehouse mfa recovery-code key v1"))
            enrolment = try MFASecretBox(key: Self.derive(key, "gatehouse mfa enrolment key v1"))
        } catch {
            throw SecondFactorKeyError()
        }
    }

    /// A key for one use, separated from the others by its label (HMAC-SHA-256 as a PRF, RFC 2104).
    static func derive(_ key: [UInt8], _ label: String) -> [UInt8] {
        Digest.hmacSHA256(key: key, message: Array(label.utf8))
    }

    /// The `accountID` the enrolment box binds a pending secret to: never the one of the row,
    /// so a pending secret cannot pass for a stored one.
    static func enrolmentBinding(_ accountID: String) -> String { "enrolment/" + accountID }
}

/// The second-factor key is not 32 bytes.
public struct SecondFactorKeyError: Error, CustomStringConvertible, Sendable {
    public var description: String { "the second-factor key must be \(SecondFactorKeys.keyLength) bytes" }
}

internal import GatehouseCrypto

/// Encrypts TOTP secrets for storage with AES-256-GCM (NIST SP 800-38D), so a copy of the
/// database alone does not reveal them.
///
/// The sealed form is `v1.<nonce>.<ciphertext‖tag>` in base64url without padding
/// (RFC 4648 §5): a fresh random 96-bit nonce per seal (SP 800-38D §8.2.2) and a 128-bit
/// tag. The associated data is `gatehouse-mfa-totp/v1/` followed by the account id, so a
/// sealed secret copied to another account's row, or read as another version, does not open.
///
/// ```swift
/// let box = try MFASecretBox(key: key)               // 32 bytes
/// let stored = box.seal(secret, accountID: account.id)
/// let secret = try box.open(stored, accountID: account.id)
/// ```
public struct MFASecretBox: Sendable {
    /// The version prefix of values this box writes.
    public static let version = "v1"

    private let key: [UInt8]

    /// A box with a 256-bit key.
    public init(key: [UInt8]) throws(MFASecretBoxError) {
        guard key.count == AESGCM.keyLength else { throw .invalidKeyLength }
        self.key = key
    }

    /// Encrypts `secret` for the row of `accountID`.
    public func seal(_ secret: TOTPSecret, accountID: String) -> String {
        let nonce = AESGCM.randomNonce()
        do {
            let box = try AESGCM.seal(secret.bytes, key: key, nonce: nonce, authenticating: Self.associatedData(accountID))
            return [Self.version, Base64URL.encode(nonce), Base64URL.encode(box.ciphertext + box.tag)].joined(separator: ".")
        } catch {
            preconditionFailure("AES-256-GCM sealing failed with a checked key and nonce: \(error)")
        }
    }

    /// Decrypts a value written by ``seal(_:accountID:)`` for the same account.
    ///
    /// - Throws: ``MFASecretBoxError/malformed`` when it is not `v1.<nonce>.<ciphertext>`,
    ///   ``MFASecretBoxError/unsupportedVersion`` for another prefix, and
    ///   ``MFASecretBoxError/cannotOpen`` when the key, account or any byte differs.
    public func open(_ sealed: String, accountID: String) throws(MFASecretBoxError) -> TOTPSecret {
        let parts = sealed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed }
        guard parts[0] == Self.version else { throw .unsupportedVersion }
        guard let nonce = Base64URL.decode(parts[1]), nonce.count == AESGCM.nonceLength,
              let body = Base64URL.decode(parts[2]), body.count >= AESGCM.tagLength
        else { throw .malformed }
        let box = AESGCM.SealedBox(ciphertext: Array(body.dropLast(AESGCM.tagLength)), tag: Array(body.suffix(AESGCM.tagLength)))
        let plaintext: [UInt8]
        do {
            plaintext = try AESGCM.open(box, key: key, nonce: nonce, authenticating: Self.associatedData(accountID))
        } catch {
            throw .cannotOpen
        }
        guard let secret = TOTPSecret(bytes: plaintext) else { throw .cannotOpen }
        return secret
    }

    static func associatedData(_ accountID: String) -> [UInt8] {
        Array("gatehouse-mfa-totp/\(version)/".utf8) + Array(accountID.utf8)
    }
}

/// Why a TOTP secret could not be sealed or opened.
public enum MFASecretBoxError: Error, Sendable, Equatable {
    /// The key is not 32 bytes.
    case invalidKeyLength
    /// The stored value is not `v1.<nonce>.<ciphertext>` in base64url.
    case malformed
    /// The stored value has a version prefix this build does not read.
    case unsupportedVersion
    /// Authentication failed: another key, another account, or altered bytes.
    case cannotOpen
}

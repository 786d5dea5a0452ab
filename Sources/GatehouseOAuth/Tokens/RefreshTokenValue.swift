import Foundation
import GatehouseCrypto

/// An opaque refresh token `<familyID>.<secret>`: the family's UUID (lowercase) and 256 random
/// bits (base64url). The store keeps the SHA-256 of the current secret only, so a token found
/// whose family exists but whose secret is not the current one is a reused, rotated-out token.
struct RefreshTokenValue: Sendable {
    let familyID: UUID
    let secret: String

    /// A new secret for `familyID`.
    static func generate(familyID: UUID) -> RefreshTokenValue {
        RefreshTokenValue(familyID: familyID, secret: SecureRandom.token(byteCount: 32))
    }

    /// Parses a presented token; `nil` when it does not have the shape Gatehouse issues.
    init?(parsing token: String) {
        guard token.utf8.count == 36 + 1 + 43, let dot = token.firstIndex(of: "."),
              let id = UUID(uuidString: String(token[..<dot])) else { return nil }
        let secret = String(token[token.index(after: dot)...])
        guard Base64URL.decode(secret)?.count == 32 else { return nil }
        self.init(familyID: id, secret: secret)
    }

    private init(familyID: UUID, secret: String) {
        self.familyID = familyID
        self.secret = secret
    }

    /// The token as sent to the client.
    var token: String { familyID.uuidString.lowercased() + "." + secret }
    /// What the store keeps: lowercase hex SHA-256 of the secret.
    var secretHash: String { Digest.sha256(secret).hexString }

    /// Constant-time comparison with a stored hash.
    func matches(_ storedHash: String) -> Bool { ConstantTime.equals(secretHash, storedHash) }
}

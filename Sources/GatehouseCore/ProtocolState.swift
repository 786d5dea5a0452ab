public import Foundation

/// An authorization code (RFC 6749 §4.1.2). Stored by the SHA-256 of the code, never the code.
public struct AuthorizationCode: Hashable, Sendable, Codable {
    public var codeHash: String
    public var clientID: String
    public var accountID: UUID
    /// Hashed SSO session id the code was issued in.
    public var sessionID: String
    public var redirectURI: String
    public var scope: String
    public var nonce: String?
    /// PKCE S256 challenge (RFC 7636 §4.2).
    public var codeChallenge: String
    public var authTime: Date
    public var acr: String?
    public var amr: [String]
    public var createdAt: Date
    public var expiresAt: Date
    /// Set on first redemption; a second redemption is a replay.
    public var consumedAt: Date?

    public init(codeHash: String, clientID: String, accountID: UUID, sessionID: String, redirectURI: String, scope: String, nonce: String?, codeChallenge: String, authTime: Date, acr: String?, amr: [String], createdAt: Date, expiresAt: Date, consumedAt: Date? = nil) {
        self.codeHash = codeHash; self.clientID = clientID; self.accountID = accountID; self.sessionID = sessionID
        self.redirectURI = redirectURI; self.scope = scope; self.nonce = nonce; self.codeChallenge = codeChallenge
        self.authTime = authTime; self.acr = acr; self.amr = amr; self.createdAt = createdAt; self.expiresAt = expiresAt
        self.consumedAt = consumedAt
    }
}

/// A single-sign-on session. The browser holds a random id; the store holds its SHA-256.
public struct SSOSession: Hashable, Sendable, Codable {
    /// SHA-256 (hex) of the cookie value.
    public var idHash: String
    public var accountID: UUID
    public var authTime: Date
    public var lastSeenAt: Date
    /// Absolute expiry; idle expiry is `lastSeenAt` plus the policy's idle timeout.
    public var expiresAt: Date
    public var acr: String?
    public var amr: [String]
    /// Clients that received tokens in this session (for back-channel logout).
    public var clients: Set<String>
    public var revokedAt: Date?

    public init(idHash: String, accountID: UUID, authTime: Date, lastSeenAt: Date, expiresAt: Date, acr: String? = nil, amr: [String] = ["pwd"], clients: Set<String> = [], revokedAt: Date? = nil) {
        self.idHash = idHash; self.accountID = accountID; self.authTime = authTime; self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt; self.acr = acr; self.amr = amr; self.clients = clients; self.revokedAt = revokedAt
    }
}

/// A refresh-token family (rotation with reuse detection, RFC 9700 §4.14.2).
/// A token is `familyID.secret`; only the SHA-256 of the current secret is stored. A token
/// whose family is found but whose secret is not the current one is a reuse: the family
/// and its session are revoked.
public struct RefreshFamily: Hashable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var clientID: String
    public var accountID: UUID
    public var sessionID: String?
    public var scope: String
    public var currentTokenHash: String
    /// Number of rotations so far.
    public var generation: Int
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(id: UUID, clientID: String, accountID: UUID, sessionID: String?, scope: String, currentTokenHash: String, generation: Int = 0, createdAt: Date, expiresAt: Date, revokedAt: Date? = nil) {
        self.id = id; self.clientID = clientID; self.accountID = accountID; self.sessionID = sessionID; self.scope = scope
        self.currentTokenHash = currentTokenHash; self.generation = generation; self.createdAt = createdAt
        self.expiresAt = expiresAt; self.revokedAt = revokedAt
    }
}

/// Scopes an account has consented to for a client.
public struct Consent: Hashable, Sendable, Codable {
    public var accountID: UUID
    public var clientID: String
    public var scopes: Set<String>
    public var grantedAt: Date

    public init(accountID: UUID, clientID: String, scopes: Set<String>, grantedAt: Date) {
        self.accountID = accountID; self.clientID = clientID; self.scopes = scopes; self.grantedAt = grantedAt
    }
}

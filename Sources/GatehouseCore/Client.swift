public import Foundation

/// OAuth 2.0 grant types Gatehouse supports (RFC 6749 names).
public enum GrantType: String, Sendable, Codable, CaseIterable, Hashable {
    case authorizationCode = "authorization_code"
    case refreshToken = "refresh_token"
    case clientCredentials = "client_credentials"
}

/// How a client authenticates at the token endpoint (OIDC Core §9).
public enum ClientAuthMethod: String, Sendable, Codable, CaseIterable, Hashable {
    case none
    case clientSecretBasic = "client_secret_basic"
    case clientSecretPost = "client_secret_post"
    case privateKeyJWT = "private_key_jwt"
}

/// A relying party: one of the party applications.
public struct Client: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var name: String
    /// Keyed hash of the generated secret; `nil` for public and private_key_jwt clients.
    public var secretHash: String?
    /// JWK Set (JSON) for private_key_jwt.
    public var jwks: String?
    public var isPublic: Bool
    public var authMethod: ClientAuthMethod
    /// Exact-match redirect URIs.
    public var redirectURIs: [String]
    public var postLogoutRedirectURIs: [String]
    public var backchannelLogoutURI: String?
    public var grantTypes: Set<GrantType>
    public var scopes: Set<String>
    /// `id_token_signed_response_alg`; RS256 when `nil`.
    public var idTokenSignedResponseAlg: String?
    /// Declared in Policies/clients.yaml (reloaded from there) rather than the store alone.
    public var fromPolicy: Bool
    /// The unit that owns the client: administrators holding `clients.manage` there (or above)
    /// manage it. `nil` for a client of the whole platform, managed only from the root.
    public var unitID: UUID?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, name: String? = nil, secretHash: String? = nil, jwks: String? = nil, isPublic: Bool = false,
        authMethod: ClientAuthMethod? = nil, redirectURIs: [String] = [], postLogoutRedirectURIs: [String] = [],
        backchannelLogoutURI: String? = nil, grantTypes: Set<GrantType> = [.authorizationCode, .refreshToken],
        scopes: Set<String> = ["openid", "profile", "email"], idTokenSignedResponseAlg: String? = nil,
        fromPolicy: Bool = false, unitID: UUID? = nil, createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.name = name ?? id
        self.secretHash = secretHash
        self.jwks = jwks
        self.isPublic = isPublic
        self.authMethod = authMethod ?? (isPublic ? .none : .clientSecretBasic)
        self.redirectURIs = redirectURIs
        self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.backchannelLogoutURI = backchannelLogoutURI
        self.grantTypes = grantTypes
        self.scopes = scopes
        self.idTokenSignedResponseAlg = idTokenSignedResponseAlg
        self.fromPolicy = fromPolicy
        self.unitID = unitID
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// Client ids are 1–128 characters of letters, digits, `.`, `_`, `-`, `:`.
    public static func validateID(_ id: String) throws(DomainError) {
        let ok = (1...128).contains(id.utf8.count) && id.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || ".-_:".unicodeScalars.contains($0)
        }
        if !ok { throw .invalidClient("id '\(id)' must be 1-128 ASCII letters, digits, '.', '_', '-' or ':'") }
    }
}

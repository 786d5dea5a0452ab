public import GatehouseJOSE

/// A successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3).
public struct TokenResponse: Sendable, Hashable {
    /// An RFC 9068 JWT access token.
    public var accessToken: String
    /// Always `Bearer` (RFC 6750).
    public var tokenType: String { "Bearer" }
    /// Seconds until the access token expires.
    public var expiresIn: Int
    /// `<familyID>.<secret>`, when the client may refresh.
    public var refreshToken: String?
    /// The ID token, for `openid` requests.
    public var idToken: String?
    /// The granted scope (always sent, though RFC 6749 §5.1 requires it only when it differs).
    public var scope: String

    public init(accessToken: String, expiresIn: Int, refreshToken: String?, idToken: String?, scope: String) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.idToken = idToken
        self.scope = scope
    }

    /// The JSON members.
    public var json: [String: JSONValue] {
        var out: [String: JSONValue] = [
            "access_token": .string(accessToken), "token_type": .string(tokenType),
            "expires_in": .integer(Int64(expiresIn)), "scope": .string(scope),
        ]
        if let refreshToken { out["refresh_token"] = .string(refreshToken) }
        if let idToken { out["id_token"] = .string(idToken) }
        return out
    }

    /// `200` with the JSON body and `Cache-Control: no-store`.
    public var httpResponse: OAuthHTTPResponse { .json(json) }
}

/// The audit actions the engine records, each in the transaction of the change it describes.
/// The actor is the account's id (lowercase UUID) when a user stands behind the event;
/// `client:<id>` when a client acts on its own (client credentials, revocation, a failed
/// authentication); `anonymous` when the caller could not be identified. No secret, token or
/// code is ever recorded: tokens appear by `jti` or refresh-family id only.
public enum AuditAction {
    /// An authorization code was issued to a client for a user (`/authorize`).
    public static let authorizationCodeIssued = "oauth.code.issue"
    /// Tokens were issued at the token endpoint; `detail.grant_type` says which grant.
    public static let tokensIssued = "oauth.token.issue"
    /// A consumed authorization code was presented again; its session and refresh families were revoked.
    public static let codeReplay = "oauth.code.replay"
    /// A rotated-out refresh token was presented; its family and session were revoked.
    public static let refreshTokenReuse = "oauth.refresh.reuse"
    /// Client authentication failed at the token, introspection or revocation endpoint.
    public static let clientAuthenticationFailure = "oauth.client.authentication"
    /// A client revoked a token (RFC 7009), or tried to revoke another client's.
    public static let tokenRevoked = "oauth.token.revoke"
    /// An SSO session ended (logout) with its refresh families.
    public static let sessionEnded = "oauth.session.end"
}

public import Foundation

/// A user's access token, verified and alive: who, through which client, with what scope.
public struct BearerIdentity: Sendable, Hashable {
    public let accountID: UUID
    public let clientID: String
    public let scope: Set<String>
}

extension OAuthEngine {
    /// Authenticates a request to one of Gatehouse's own APIs (admin, SCIM) by its
    /// `Authorization: Bearer` access token (RFC 6750): it must verify as ``userInfoClaims``
    /// requires, have been issued for a user (not `client_credentials`), still be alive, and
    /// carry `scope`. Errors carry their RFC 6750 §3 challenge: `invalid_token` (401) or
    /// `insufficient_scope` (403).
    public func authenticateUser(authorization: String?, scope: String) async throws(OAuthError) -> BearerIdentity {
        let now = clock.now()
        let verified = try verifiedBearer(authorization, scope: scope, now: now)
        let alive = try await read { storage in
            guard verified.accountID != nil else { return false }
            return try Self.isAlive(verified, now: now, storage: storage)
        }
        guard alive, let accountID = verified.accountID else {
            throw OAuthError(.invalidToken, "The access token is invalid or expired.", debug: "revoked, session ended, account inactive or not a user's token",
                             challenge: .bearer(includeError: true))
        }
        return BearerIdentity(accountID: accountID, clientID: verified.clientID, scope: Set(verified.scope.tokens))
    }

    /// The `Authorization: Bearer` token (RFC 6750 §2.1), verified (``verifyAccessToken``) and
    /// carrying `scope`, with the §3 challenges: none without a token, `invalid_token`,
    /// `insufficient_scope`. Whether it is still alive is the caller's next question.
    func verifiedBearer(_ authorization: String?, scope: String, now: Date) throws(OAuthError) -> VerifiedAccessToken {
        let token = try Self.bearerToken(authorization)
        let verified: VerifiedAccessToken
        do {
            verified = try verifyAccessToken(token, now: now)
        } catch {
            throw error.with(challenge: .bearer(includeError: true))
        }
        guard verified.scope.contains(scope) else {
            throw OAuthError(.insufficientScope, "The access token was not issued with the \(scope) scope.", challenge: .bearer(includeError: true))
        }
        return verified
    }
}

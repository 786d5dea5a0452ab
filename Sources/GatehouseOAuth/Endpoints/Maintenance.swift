import Foundation

/// What ``OAuthEngine/purgeExpired()`` deleted.
public struct PurgeResult: Sendable, Hashable {
    public var authorizationCodes: Int
    public var sessions: Int
    public var clientAssertions: Int
    public var accessTokenRevocations: Int
    /// Revocation-feed events whose tokens have all expired.
    public var revocationEvents: Int
}

extension OAuthEngine {
    /// Deletes protocol state nothing can use any more; the server runs it periodically.
    ///
    /// Codes are kept for a refresh-token lifetime after they expire, so that a late replay
    /// is still recognised and revokes what the code issued; sessions for the longest token
    /// lifetime after they expire, so that tokens naming them read as ended rather than
    /// unknown; assertion `jti`s, access-token revocations and revocation-feed events once they
    /// expire (a feed event's expiry already includes the clock skew: see `RevocationRetention`).
    public func purgeExpired() async throws(OAuthError) -> PurgeResult {
        let now = clock.now()
        let codeCutoff = now - lifetimes.refreshToken
        let sessionCutoff = now - keyRetention
        return try await write { storage in
            PurgeResult(
                authorizationCodes: try storage.tx.deleteExpiredAuthorizationCodes(before: codeCutoff),
                sessions: try storage.tx.deleteExpiredSessions(before: sessionCutoff),
                clientAssertions: try storage.tx.deleteExpiredClientAssertions(before: now),
                accessTokenRevocations: try storage.tx.deleteExpiredAccessTokenRevocations(before: now),
                revocationEvents: try storage.tx.deleteExpiredRevocations(before: now))
        }
    }
}

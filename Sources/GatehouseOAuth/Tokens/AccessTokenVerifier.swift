import Foundation
import GatehouseCore
import GatehouseJOSE

/// An access token Gatehouse issued, with its signature and claims verified.
struct VerifiedAccessToken: Sendable {
    let claims: JWTClaims
    let subject: String
    let clientID: String
    let scope: Scope
    let jti: String
    let expiresAt: Date
    /// `sid`: present on tokens issued for a user, absent for `client_credentials`.
    let sessionID: String?
    /// `gid`: the refresh-token family issued with or from it, if any.
    var grantID: UUID? { claims["gid"]?.stringValue.flatMap(UUID.init(uuidString:)) }

    /// The account, for tokens issued for a user.
    var accountID: UUID? { sessionID == nil ? nil : UUID(uuidString: subject) }
}

extension OAuthEngine {
    /// Verifies an access token's signature against the published keys, `typ: at+jwt`
    /// (RFC 9068 §4: an ID token or logout token is never taken for one), `iss`, `exp` (with
    /// the configured leeway) and the presence of `sub`, `client_id`, `jti`.
    func verifyAccessToken(_ token: String, now: Date) throws(OAuthError) -> VerifiedAccessToken {
        let verified: VerifiedJWT
        do {
            let verifier = JWTVerifier(
                keys: try publishedVerificationKeys(now: now), allowedAlgorithms: Set(JWSAlgorithm.allCases),
                validator: JWTValidator(issuer: issuer, type: "at+jwt", leeway: configuration.clockSkew,
                                        requiredClaims: ["exp", "iat", "jti", "sub", "client_id"]))
            verified = try verifier.verify(token, now: now)
        } catch {
            throw OAuthError(.invalidToken, "The access token is invalid or expired.", debug: "\(error)")
        }
        let claims = verified.claims
        guard let subject = claims.subject, let clientID = claims["client_id"]?.stringValue, let jti = claims.jwtID,
              let exp = claims.expiresAt else {
            throw OAuthError(.invalidToken, "The access token is invalid or expired.", debug: "claims of the wrong type")
        }
        return VerifiedAccessToken(
            claims: claims, subject: subject, clientID: clientID,
            scope: claims["scope"]?.stringValue.flatMap(Scope.init(parsing:)) ?? Scope([]), jti: jti, expiresAt: exp,
            sessionID: claims["sid"]?.stringValue)
    }

    /// Whether a verified access token is still alive in the store: not revoked (RFC 7009),
    /// its grant (`gid`) not revoked, its session (for a user) unrevoked and unexpired with an
    /// active account, its client (for `client_credentials`) still registered. The same rules
    /// the revocation feed lets applications apply offline.
    static func isAlive(_ token: VerifiedAccessToken, now: Date, storage: some TokenStateLookup & AccountStorage) throws -> Bool {
        if try storage.isAccessTokenRevoked(jti: token.jti) { return false }
        if let grantID = token.grantID, let family = try lookup({ try storage.refreshFamily(id: grantID) }), family.revokedAt != nil {
            return false
        }
        guard let sessionID = token.sessionID else {
            return try lookup { try storage.client(id: token.clientID) } != nil
        }
        guard let session = try lookup({ try storage.session(idHash: sessionID) }), session.revokedAt == nil, session.expiresAt > now,
              let accountID = token.accountID, session.accountID == accountID,
              let account = try lookup({ try storage.account(id: accountID) }) else { return false }
        return account.status == .active
    }
}

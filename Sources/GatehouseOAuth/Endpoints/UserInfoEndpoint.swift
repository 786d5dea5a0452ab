public import GatehouseJOSE
import Foundation
import GatehouseCore

extension OAuthEngine {
    /// `GET` or `POST /userinfo` (OIDC Core §5.3) with the access token in the
    /// `Authorization: Bearer` header (RFC 6750 §2.1): the JSON claims, or a Bearer error
    /// (`401` with `WWW-Authenticate`, RFC 6750 §3).
    public func userInfo(authorization: String?) async -> OAuthHTTPResponse {
        do {
            return .json(try await userInfoClaims(authorization: authorization))
        } catch {
            return error.httpResponse(realm: issuer)
        }
    }

    /// The UserInfo claims (OIDC Core §5.3.2): `sub` always; `name` and `preferred_username`
    /// with `profile`; `email` with `email`; and `unit` and `roles` (the grants the token's
    /// client may see, as they are now).
    ///
    /// The token must verify (signature, `typ: at+jwt`, `iss`, `exp`), carry `openid`
    /// (`insufficient_scope` otherwise), be issued for a user, and still be alive: not revoked,
    /// its session unrevoked and the account active.
    public func userInfoClaims(authorization: String?) async throws(OAuthError) -> [String: JSONValue] {
        let now = clock.now()
        let verified = try verifiedBearer(authorization, scope: "openid", now: now)
        let catalogue = configuration.roles
        let claims: [String: JSONValue]? = try await read { storage in
            guard verified.accountID != nil, try Self.isAlive(verified, now: now, storage: storage), let accountID = verified.accountID else { return nil }
            let user = try AccountClaims.load(accountID: accountID, clientID: verified.clientID, catalogue: catalogue, storage: storage)
            var claims: [String: JSONValue] = [
                "sub": .string(user.subject), "unit": .string(user.unit.description), "roles": .array(user.roles.map(JSONValue.string)),
            ]
            for (name, value) in UserClaims.byScope(user.account, scope: verified.scope) { claims[name] = value }
            return claims
        }
        guard let claims else {
            throw OAuthError(.invalidToken, "The access token is invalid or expired.", debug: "revoked, session ended or account inactive",
                             challenge: .bearer(includeError: true))
        }
        return claims
    }

    /// The token of an `Authorization: Bearer` header (RFC 6750 §2.1). No header, or another
    /// scheme, is a challenge without an error code (§3.1).
    static func bearerToken(_ authorization: String?) throws(OAuthError) -> String {
        guard let authorization else { throw OAuthError(.invalidRequest, challenge: .bearer(includeError: false)) }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw OAuthError(.invalidRequest, challenge: .bearer(includeError: false))
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.utf8.count <= 16384 else {
            throw OAuthError(.invalidRequest, "The Authorization header is malformed.", challenge: .bearer(includeError: true))
        }
        return token
    }
}

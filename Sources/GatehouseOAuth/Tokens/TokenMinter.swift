import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseJOSE
import GatehouseKeys

/// Builds the claims of access and ID tokens, and picks the keys that will sign them.
/// Signing itself happens after the transaction commits (``TokenIssuance/sign(now:)``).
struct TokenMinter: Sendable {
    let configuration: OAuthConfiguration
    let keys: KeyRing

    /// An RFC 9068 access token's claims (§2.2): `iss`, `sub`, `aud`, `exp`, `iat`, `jti`,
    /// `client_id`, `scope`; for a user also `sid`, `auth_time`, `acr`, `amr` (§2.2.1) and the
    /// Gatehouse claims `unit` and `roles`.
    ///
    /// `gid` (a Gatehouse claim) is the lowercase id of the refresh-token family the token was
    /// issued from or together with, the grant that the revocation feed's `gid` events name:
    /// revoking the family (RFC 7009, refresh-token reuse) refuses its access tokens too.
    /// Tokens issued without a refresh token (client credentials, clients without
    /// `refresh_token`) carry none.
    func accessClaims(subject: String, clientID: String, scope: Scope, now: Date,
                      user: (claims: AccountClaims, authentication: Authentication)?, grantID: UUID? = nil) -> JWTClaims {
        var claims = JWTClaims(
            issuer: configuration.issuer, subject: subject, audience: .single(configuration.accessTokenAudience ?? clientID),
            expiresAt: now + configuration.lifetimes.accessToken, issuedAt: now, jwtID: SecureRandom.token(byteCount: 16))
        claims.additional["client_id"] = .string(clientID)
        claims.additional["scope"] = .string(scope.description)
        if let grantID { claims.additional["gid"] = .string(grantID.uuidString.lowercased()) }
        if let user {
            add(user.authentication, to: &claims)
            add(user.claims, to: &claims)
        }
        return claims
    }

    /// An ID token's claims (OIDC Core §2, §3.1.3.6), without `at_hash`, which is added once
    /// the access token is signed: `iss`, `sub`, `aud`, `exp`, `iat`, `auth_time`, `nonce`,
    /// `acr`, `amr`, `sid`; `name` and `preferred_username` for `profile`, `email` for `email`;
    /// and `unit` and `roles`. `aud` is the client alone, so `azp` is not needed.
    func idClaims(user: AccountClaims, authentication: Authentication, clientID: String, scope: Scope, nonce: String?, now: Date) -> JWTClaims {
        var claims = JWTClaims(
            issuer: configuration.issuer, subject: user.subject, audience: .single(clientID),
            expiresAt: now + configuration.lifetimes.idToken, issuedAt: now)
        if let nonce { claims.additional["nonce"] = .string(nonce) }
        add(authentication, to: &claims)
        add(user, to: &claims)
        for (name, value) in UserClaims.byScope(user.account, scope: scope) { claims.additional[name] = value }
        return claims
    }

    private func add(_ authentication: Authentication, to claims: inout JWTClaims) {
        claims.additional["sid"] = .string(authentication.sessionID)
        claims.additional["auth_time"] = .integer(Int64(authentication.authTime.timeIntervalSince1970.rounded(.down)))
        if let acr = authentication.acr { claims.additional["acr"] = .string(acr) }
        if !authentication.amr.isEmpty { claims.additional["amr"] = .array(authentication.amr.map(JSONValue.string)) }
    }

    private func add(_ user: AccountClaims, to claims: inout JWTClaims) {
        claims.additional["unit"] = .string(user.unit.description)
        claims.additional["roles"] = .array(user.roles.map(JSONValue.string))
    }

    /// The ID token algorithm of `client`: its `id_token_signed_response_alg`, else the default.
    func idTokenAlgorithm(for client: Client) throws(OAuthError) -> JWSAlgorithm {
        guard let name = client.idTokenSignedResponseAlg else { return configuration.idTokenAlgorithm }
        guard let algorithm = JWSAlgorithm(rawValue: name) else {
            throw OAuthError(.serverError, debug: "client \(client.id) registers unknown id_token_signed_response_alg \(name)")
        }
        return algorithm
    }

    /// The key that signs `algorithm` now.
    func signingKey(_ algorithm: JWSAlgorithm, now: Date) throws(OAuthError) -> SigningKey {
        do { return try keys.signingKey(for: algorithm, at: now) } catch {
            throw OAuthError(.serverError, debug: "no \(algorithm) signing key: \(error)")
        }
    }

    /// Everything to sign for one token response: the keys are taken now, inside the
    /// transaction, so that a missing key refuses the request before anything is written.
    func issuance(access: JWTClaims, id: JWTClaims?, idAlgorithm: JWSAlgorithm, refreshToken: String?, scope: Scope, now: Date) throws(OAuthError) -> TokenIssuance {
        TokenIssuance(
            access: access, accessKey: try signingKey(configuration.accessTokenAlgorithm, now: now),
            id: id, idKey: try id.map { _ throws(OAuthError) in try signingKey(idAlgorithm, now: now) },
            refreshToken: refreshToken, scope: scope, expiresIn: Int(configuration.lifetimes.accessToken))
    }
}

/// Profile claims released by scope (OIDC Core §5.4).
enum UserClaims {
    static func byScope(_ account: Account, scope: Scope) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        if scope.contains("profile") {
            out["name"] = .string(account.displayName)
            out["preferred_username"] = .string(account.username.value)
        }
        if scope.contains("email"), let email = account.email { out["email"] = .string(email) }
        return out
    }
}

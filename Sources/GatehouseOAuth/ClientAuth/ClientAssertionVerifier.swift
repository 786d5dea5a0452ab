import Foundation
import GatehouseCore
import GatehouseJOSE

/// Checks a `private_key_jwt` client assertion (RFC 7523 §3, OIDC Core §9) against the
/// client's registered JWK Set. The caller records the returned `jti` to refuse replays.
struct ClientAssertionVerifier {
    let configuration: OAuthConfiguration
    let endpoint: String

    struct Checked {
        let jti: String
        /// How long the `jti` must be remembered: until the assertion could no longer pass.
        let rememberUntil: Date
    }

    /// Every algorithm Gatehouse verifies; never `none` or HMAC (RFC 8725 §3.1).
    static let algorithms: Set<JWSAlgorithm> = Set(JWSAlgorithm.allCases)

    func verify(_ assertion: String, client: Client, now: Date) -> Result<Checked, OAuthError> {
        func fail(_ debug: String) -> Result<Checked, OAuthError> {
            .failure(OAuthError(.invalidClient, "The client assertion is invalid.", debug: debug))
        }
        guard let jwks = client.jwks, let set = try? JWKSet(json: Data(jwks.utf8)), let keys = try? VerificationKeySet(set) else {
            return fail("client has no usable JWK Set")
        }
        let claims: JWTClaims
        do {
            let jws = try JWS.verify(assertion, keys: keys, options: JWSVerificationOptions(allowedAlgorithms: Self.algorithms))
            claims = try JWTClaims(json: jws.payload)
        } catch {
            return fail("assertion: \(error)")
        }
        let skew = configuration.clockSkew
        // Items 1 and 2: iss and sub are the client id.
        guard claims.issuer == client.id, claims.subject == client.id else { return fail("iss and sub must both be the client id") }
        // Item 3: the authorization server is an audience.
        let accepted = [configuration.issuer, configuration.endpoints.token, endpoint]
        guard let audience = claims.audience, accepted.contains(where: audience.contains) else { return fail("aud names neither the issuer nor the endpoint") }
        // Item 4: exp is required, in the future, and not too far (a bounded replay window).
        guard let exp = claims.expiresAt else { return fail("exp is missing") }
        guard now.timeIntervalSince(exp) < skew else { return fail("assertion expired") }
        guard exp.timeIntervalSince(now) <= configuration.maximumClientAssertionLifetime + skew else {
            return fail("exp is more than \(Int(configuration.maximumClientAssertionLifetime)) s away")
        }
        // Items 5 and 6: nbf and iat not in the future.
        if let nbf = claims.notBefore, nbf.timeIntervalSince(now) > skew { return fail("nbf is in the future") }
        if let iat = claims.issuedAt, iat.timeIntervalSince(now) > skew { return fail("iat is in the future") }
        // Item 7: a jti, used once.
        guard let jti = claims.jwtID, !jti.isEmpty, jti.utf8.count <= 256 else { return fail("jti is missing or longer than 256 bytes") }
        return .success(Checked(jti: jti, rememberUntil: exp + skew))
    }
}

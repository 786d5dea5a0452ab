import Foundation
import GatehouseJOSE

/// An ID token Gatehouse issued, presented back as `id_token_hint` at the authorization
/// endpoint (OIDC Core §3.1.2.1) or for logout (RP-Initiated Logout §2). Its signature and
/// issuer are checked; its expiry is not, since a hint is typically an old token.
struct IDTokenHint: Sendable {
    let subject: String
    let audience: [String]
    let sessionID: String?

    static func verify(_ token: String, engine: OAuthEngine, now: Date) throws(OAuthError) -> IDTokenHint {
        let invalid = { (debug: String) in OAuthError(.invalidRequest, "The id_token_hint is invalid.", debug: debug) }
        let claims: JWTClaims
        do {
            let keys = try engine.publishedVerificationKeys(now: now)
            let jws = try JWS.verify(token, keys: keys, options: JWSVerificationOptions(allowedAlgorithms: Set(JWSAlgorithm.allCases)))
            guard jws.header.type?.uppercased() == "JWT" else { throw invalid("typ is \(jws.header.type ?? "absent")") }
            claims = try JWTClaims(json: jws.payload)
        } catch let error as OAuthError {
            throw error
        } catch {
            throw invalid("\(error)")
        }
        guard claims.issuer == engine.configuration.issuer else { throw invalid("iss is \(claims.issuer ?? "absent")") }
        guard let subject = claims.subject, let audience = claims.audience, claims["nonce"] != nil || claims["auth_time"] != nil else {
            throw invalid("not an ID token")
        }
        return IDTokenHint(subject: subject, audience: audience.values, sessionID: claims["sid"]?.stringValue)
    }
}

extension OAuthEngine {
    /// The keys of the published JWKS, as verification keys (cached while the set is unchanged).
    func publishedVerificationKeys(now: Date) throws -> VerificationKeySet {
        try verificationKeys.keys(for: keys.publishedJWKS(at: now, maxTokenLifetime: keyRetention))
    }
}

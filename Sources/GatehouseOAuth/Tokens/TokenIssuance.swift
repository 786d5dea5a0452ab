import Foundation
import GatehouseJOSE

/// The tokens a grant decided to issue, ready to be signed once its transaction committed.
struct TokenIssuance: Sendable {
    var access: JWTClaims
    var accessKey: SigningKey
    var id: JWTClaims?
    var idKey: SigningKey?
    var refreshToken: String?
    var scope: Scope
    var expiresIn: Int

    /// Signs the access token (`typ: at+jwt`, RFC 9068 §2.1), then the ID token with the
    /// access token's `at_hash` (OIDC Core §3.1.3.6).
    func sign() throws(OAuthError) -> TokenResponse {
        do {
            let accessToken = try JWTSigner(key: accessKey, type: "at+jwt").sign(access)
            var idToken: String?
            if var claims = id, let idKey {
                claims.additional["at_hash"] = .string(TokenHash.atHash(accessToken: accessToken, algorithm: idKey.algorithm))
                idToken = try JWTSigner(key: idKey, type: "JWT").sign(claims)
            }
            return TokenResponse(accessToken: accessToken, expiresIn: expiresIn, refreshToken: refreshToken, idToken: idToken, scope: scope.description)
        } catch {
            throw OAuthError(.serverError, debug: "signing failed: \(error)")
        }
    }
}

import Foundation
import GatehouseCrypto
import GatehouseJOSE

/// Back-channel logout tokens (OIDC Back-Channel Logout 1.0 §2.4): `iss`, `aud` (the
/// client), `iat`, `exp`, `jti`, `sub`, `sid`, and `events` with the back-channel logout
/// event; never a `nonce`, so that it cannot pass as an ID token. Header `typ: logout+jwt`
/// (§2.4, recommended against cross-JWT confusion), signed like the client's ID tokens.
enum LogoutToken {
    static let event = "http://schemas.openid.net/event/backchannel-logout"

    static func claims(issuer: String, clientID: String, subject: String, sessionID: String, now: Date, lifetime: TimeInterval) -> JWTClaims {
        JWTClaims(
            issuer: issuer, subject: subject, audience: .single(clientID), expiresAt: now + lifetime, issuedAt: now,
            jwtID: SecureRandom.token(byteCount: 16),
            additional: ["sid": .string(sessionID), "events": .object([event: .object([:])])])
    }

    static func sign(_ claims: JWTClaims, key: SigningKey) throws -> String {
        try JWTSigner(key: key, type: "logout+jwt").sign(claims)
    }
}

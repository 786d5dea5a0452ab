import Foundation
import GatehouseCrypto
import GatehouseJOSE

/// Builds access tokens for the tests: valid Gatehouse-shaped claims, signed with any key and
/// any header, or assembled by hand for tokens no honest signer would make.
enum TokenMinting {
    static let subject = "6f0d3c1e-8a52-4c1b-9a3e-2f6b1d7c9e10"

    /// Claims of a user's access token (RFC 9068 §2.2 plus Gatehouse's), valid at `now` for 5 minutes.
    static func claims(issuer: String, audience: String, now: Date, subject: String = subject,
                       roles: [String] = ["clerk@/ha-noi", "admin@/ha-noi/phuong-ba-dinh"],
                       sessionID: String = "sid-" + SecureRandom.token(byteCount: 6),
                       grantID: String? = nil, scope: String = "openid profile notices.read") -> JWTClaims {
        var claims = JWTClaims(issuer: issuer, subject: subject, audience: .single(audience), expiresAt: now + 300,
                               issuedAt: now, jwtID: SecureRandom.token(byteCount: 12))
        claims.additional = [
            "client_id": .string(audience), "scope": .string(scope), "sid": .string(sessionID),
            "auth_time": .integer(Int64(now.timeIntervalSince1970) - 60), "acr": "urn:gatehouse:pwd", "amr": ["pwd"],
            "unit": "/ha-noi/phuong-ba-dinh", "roles": .array(roles.map(JSONValue.string)),
        ]
        if let grantID { claims.additional["gid"] = .string(grantID) }
        return claims
    }

    /// Signs `claims` with `key` under `typ` (and a `kid` other than the key's, when given).
    static func sign(_ claims: JWTClaims, key: SigningKey, type: String? = "at+jwt", keyID: String? = nil) throws -> String {
        let header = JWSHeader(algorithm: key.algorithm, keyID: keyID ?? key.keyID, type: type)
        return try JWS.sign(payload: claims.encoded(), header: header, key: key)
    }

    /// A compact JWS assembled by hand: the header JSON as given, the claims, and `signature`
    /// computed over the signing input (for `alg: none` and HMAC forgeries).
    static func handmade(header: String, claims: JWTClaims, signature: (_ signingInput: [UInt8]) -> [UInt8]) -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(claims.encoded())
        return input + "." + Base64URL.encode(signature(Array(input.utf8)))
    }

    /// `token` with one signature byte flipped.
    static func tampered(_ token: String) -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        var signature = Base64URL.decode(parts[2])!
        signature[signature.count / 2] ^= 0x01
        return parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)
    }
}

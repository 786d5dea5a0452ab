import GatehouseCrypto
import GatehouseJOSE

/// `at_hash` (OIDC Core §3.1.3.6): base64url of the left-most half of the hash of the ASCII
/// octets of the access token, with the hash of the ID token's `alg`.
///
/// SHA-256 for ES256, RS256 and PS256 (RFC 7518 §3). EdDSA names no hash; Gatehouse signs
/// EdDSA with Ed25519 only, whose internal hash is SHA-512, and follows the OpenID Connect
/// convention (OpenID Connect Token Hash Algorithms) of using SHA-512 for it.
enum TokenHash {
    static func digest(for algorithm: JWSAlgorithm) -> Digest.Algorithm {
        switch algorithm {
        case .es256, .rs256, .ps256: .sha256
        case .edDSA: .sha512
        }
    }

    static func atHash(accessToken: String, algorithm: JWSAlgorithm) -> String {
        let hash = Digest.hash(digest(for: algorithm), Array(accessToken.utf8))
        return Base64URL.encode(hash.prefix(hash.count / 2))
    }
}

public import Foundation
public import GatehouseJOSE

/// What an application accepts as a Gatehouse access token (RFC 9068 §4) and how it talks to
/// the provider.
///
/// The algorithm list can only name ES256, EdDSA, RS256 and PS256: ``JWSAlgorithm`` has no
/// `none` and no HMAC, so a token signed with either is refused whatever is configured
/// (RFC 8725 §3.1).
///
/// ```swift
/// var configuration = GatehouseVerifierConfiguration(issuer: "https://sso.example.gov.vn", audience: "notices")
/// configuration.leeway = 10
/// configuration.keyCache.unknownKeyRefetchInterval = 30
/// ```
public struct GatehouseVerifierConfiguration: Sendable, Hashable {
    /// The provider's issuer identifier, character for character as in its discovery document
    /// (OpenID Connect Discovery 1.0 §4.3) and in every token's `iss` (RFC 9068 §4 step 3).
    public var issuer: String
    /// The audience this application is: its client id or a configured resource audience.
    /// A token whose `aud` does not contain it is refused (RFC 9068 §4 step 4).
    public var audience: String
    /// `realm` in `WWW-Authenticate` challenges (RFC 6750 §3). Defaults to ``audience``.
    public var realm: String
    /// Signature algorithms accepted in a token's `alg` (RFC 8725 §3.1).
    public var allowedAlgorithms: Set<JWSAlgorithm>
    /// Clock skew tolerated on `exp` and `nbf`, in seconds.
    public var leeway: TimeInterval
    /// Claims a token must carry: RFC 9068 §2.2's required claims by default.
    public var requiredClaims: Set<String>
    /// Longest token accepted, in bytes; longer ones are refused before any decoding.
    public var maximumTokenLength: Int
    /// How long fetched keys are trusted and how often unknown `kid`s may cause a fetch.
    public var keyCache: KeyCachePolicy
    /// Time allowed for one request to the provider (discovery, JWKS), in seconds.
    public var httpTimeout: TimeInterval
    /// Largest discovery or JWKS response read, in bytes.
    public var maximumResponseSize: Int

    /// ES256 (Gatehouse's default), EdDSA, RS256 and PS256.
    public static let defaultAlgorithms: Set<JWSAlgorithm> = [.es256, .edDSA, .rs256, .ps256]
    /// `iss`, `sub`, `aud`, `exp`, `iat`, `jti` and `client_id` (RFC 9068 §2.2).
    public static let accessTokenClaims: Set<String> = ["iss", "sub", "aud", "exp", "iat", "jti", "client_id"]

    /// Creates a configuration; `realm` defaults to `audience`.
    public init(
        issuer: String, audience: String, realm: String? = nil,
        allowedAlgorithms: Set<JWSAlgorithm> = GatehouseVerifierConfiguration.defaultAlgorithms,
        leeway: TimeInterval = JWTValidator.defaultLeeway,
        requiredClaims: Set<String> = GatehouseVerifierConfiguration.accessTokenClaims,
        maximumTokenLength: Int = JWSVerificationOptions.defaultMaximumTokenLength,
        keyCache: KeyCachePolicy = KeyCachePolicy(), httpTimeout: TimeInterval = 10, maximumResponseSize: Int = 256 * 1024
    ) {
        self.issuer = issuer
        self.audience = audience
        self.realm = realm ?? audience
        self.allowedAlgorithms = allowedAlgorithms
        self.leeway = leeway
        self.requiredClaims = requiredClaims
        self.maximumTokenLength = maximumTokenLength
        self.keyCache = keyCache
        self.httpTimeout = httpTimeout
        self.maximumResponseSize = maximumResponseSize
    }
}

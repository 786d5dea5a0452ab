public import Foundation

/// A JWS signing algorithm Gatehouse can sign with (RFC 7518 §3.1; EdDSA per RFC 8037).
public enum SigningAlgorithm: String, Hashable, Sendable, CaseIterable {
    case es256 = "ES256"
    case rs256 = "RS256"
    case ps256 = "PS256"
    case edDSA = "EdDSA"
}

/// `Policies/tokens.yaml`: lifetimes of tokens, codes and sessions, signing algorithms and key
/// rotation. All durations are in seconds.
public struct TokenPolicy: Hashable, Sendable {
    public var accessTokenLifetime: TimeInterval
    public var accessTokenSigningAlg: SigningAlgorithm
    public var idTokenLifetime: TimeInterval
    public var idTokenSigningAlg: SigningAlgorithm
    /// Absolute lifetime of a refresh-token family, from the login that started it.
    public var refreshTokenLifetime: TimeInterval
    /// A refresh token unused for this long expires.
    public var refreshTokenIdle: TimeInterval
    public var authorizationCodeLifetime: TimeInterval
    public var sessionIdle: TimeInterval
    public var sessionAbsolute: TimeInterval
    /// Time between a key's creation (published in the JWKS) and its first signature.
    public var keyActivationDelay: TimeInterval
    /// `Cache-Control: max-age` of the JWKS document.
    public var jwksMaxAge: TimeInterval
    /// Leeway allowed when checking `exp`, `nbf` and `iat` of tokens presented to Gatehouse.
    public var clockSkew: TimeInterval

    public init(
        accessTokenLifetime: TimeInterval, accessTokenSigningAlg: SigningAlgorithm,
        idTokenLifetime: TimeInterval, idTokenSigningAlg: SigningAlgorithm,
        refreshTokenLifetime: TimeInterval, refreshTokenIdle: TimeInterval,
        authorizationCodeLifetime: TimeInterval, sessionIdle: TimeInterval, sessionAbsolute: TimeInterval,
        keyActivationDelay: TimeInterval, jwksMaxAge: TimeInterval, clockSkew: TimeInterval
    ) {
        self.accessTokenLifetime = accessTokenLifetime
        self.accessTokenSigningAlg = accessTokenSigningAlg
        self.idTokenLifetime = idTokenLifetime
        self.idTokenSigningAlg = idTokenSigningAlg
        self.refreshTokenLifetime = refreshTokenLifetime
        self.refreshTokenIdle = refreshTokenIdle
        self.authorizationCodeLifetime = authorizationCodeLifetime
        self.sessionIdle = sessionIdle
        self.sessionAbsolute = sessionAbsolute
        self.keyActivationDelay = keyActivationDelay
        self.jwksMaxAge = jwksMaxAge
        self.clockSkew = clockSkew
    }

    /// The values used when `tokens.yaml` is absent; the shipped file explains each.
    public static let defaults = TokenPolicy(
        accessTokenLifetime: 5 * 60, accessTokenSigningAlg: .es256,
        idTokenLifetime: 5 * 60, idTokenSigningAlg: .rs256,
        refreshTokenLifetime: 12 * 3600, refreshTokenIdle: 2 * 3600,
        authorizationCodeLifetime: 60, sessionIdle: 2 * 3600, sessionAbsolute: 12 * 3600,
        keyActivationDelay: 3600, jwksMaxAge: 10 * 60, clockSkew: 60)

    /// How long a retired key must stay in the JWKS: until every token it signed has expired.
    public var retiredKeyRetention: TimeInterval { max(accessTokenLifetime, idTokenLifetime) + clockSkew }
}

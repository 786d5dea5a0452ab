public import Foundation
public import GatehouseCore
public import GatehouseJOSE

/// Everything the engine needs besides the store, the key ring and the clock. The server
/// builds it once at start from its flags and `Policies/` (lifetimes from `tokens.yaml`, roles
/// from `roles.yaml`) and the client-secret pepper file.
///
/// ```swift
/// let configuration = OAuthConfiguration(
///     issuer: "https://sso.example.gov.vn",
///     lifetimes: TokenLifetimes(accessToken: 300, idToken: 300, refreshToken: 12 * 3600, refreshTokenIdle: 2 * 3600,
///                               authorizationCode: 60, sessionIdle: 2 * 3600),
///     clientSecretPepper: pepperBytes, roles: catalogue)
/// ```
public struct OAuthConfiguration: Sendable {
    /// The issuer identifier (OIDC Discovery §3): `https` URL without query or fragment.
    /// Compared by exact string; a trailing `/` is removed.
    public var issuer: String
    /// Where each endpoint is served; defaults under ``issuer``.
    public var endpoints: OAuthEndpoints
    /// Token, code and session lifetimes.
    public var lifetimes: TokenLifetimes
    /// Algorithm of access tokens (`tokens.yaml` `access_token.signing_alg`; ES256 by default).
    public var accessTokenAlgorithm: JWSAlgorithm
    /// Algorithm of ID tokens for clients that register none (`id_token.signing_alg`; RS256).
    public var idTokenAlgorithm: JWSAlgorithm
    /// `aud` of access tokens issued to users and clients alike. `nil` (the default) puts the
    /// client id there, so each application checks that a token was issued to it.
    public var accessTokenAudience: String?
    /// The server secret that keys client-secret hashes (``ClientSecrets/hash(secret:pepper:)``).
    public var clientSecretPepper: [UInt8]
    /// The role catalogue by name (`roles.yaml`), for the `roles` claim and who may see it.
    public var roles: [String: Role]
    /// Leeway on `exp`, `nbf` and `iat` of JWTs presented to Gatehouse (`tokens.yaml` `clock_skew`).
    public var clockSkew: TimeInterval
    /// The longest time to expiry a `private_key_jwt` assertion may have (RFC 7523 §3 item 4
    /// lets the server bound it). Its `jti` is remembered for that long.
    public var maximumClientAssertionLifetime: TimeInterval
    /// Lifetime of back-channel logout tokens (OIDC Back-Channel Logout §2.4 suggests about two minutes).
    public var logoutTokenLifetime: TimeInterval
    /// Who must complete a second factor. `nil` when the server offers none: no session is
    /// asked to step up, and a request whose `acr_values` accept only a second factor gets
    /// `unmet_authentication_requirements`.
    public var secondFactor: SecondFactorPolicy?

    public init(
        issuer: String, endpoints: OAuthEndpoints? = nil, lifetimes: TokenLifetimes,
        accessTokenAlgorithm: JWSAlgorithm = .es256, idTokenAlgorithm: JWSAlgorithm = .rs256,
        accessTokenAudience: String? = nil, clientSecretPepper: [UInt8], roles: [String: Role],
        clockSkew: TimeInterval = 60, maximumClientAssertionLifetime: TimeInterval = 300, logoutTokenLifetime: TimeInterval = 120,
        secondFactor: SecondFactorPolicy? = nil
    ) {
        var issuer = issuer
        while issuer.hasSuffix("/") { issuer.removeLast() }
        self.issuer = issuer
        self.endpoints = endpoints ?? OAuthEndpoints(issuer: issuer)
        self.lifetimes = lifetimes
        self.accessTokenAlgorithm = accessTokenAlgorithm
        self.idTokenAlgorithm = idTokenAlgorithm
        self.accessTokenAudience = accessTokenAudience
        self.clientSecretPepper = clientSecretPepper
        self.roles = roles
        self.clockSkew = clockSkew
        self.maximumClientAssertionLifetime = maximumClientAssertionLifetime
        self.logoutTokenLifetime = logoutTokenLifetime
        self.secondFactor = secondFactor
    }
}

/// Lifetimes in seconds, as `Policies/tokens.yaml` sets them (`TokenPolicy`).
public struct TokenLifetimes: Sendable, Hashable {
    /// Access tokens (`access_token.lifetime`).
    public var accessToken: TimeInterval
    /// ID tokens (`id_token.lifetime`).
    public var idToken: TimeInterval
    /// Absolute lifetime of a refresh-token family (`refresh_token.lifetime`).
    public var refreshToken: TimeInterval
    /// A refresh token unused this long expires (`refresh_token.idle`).
    public var refreshTokenIdle: TimeInterval
    /// Authorization codes (`authorization_code.lifetime`; RFC 6749 §4.1.2 caps it at 10 minutes).
    public var authorizationCode: TimeInterval
    /// An SSO session unused this long no longer satisfies an authorization request (`sso_session.idle`).
    public var sessionIdle: TimeInterval
    /// An SSO session ends this long after the user authenticated, however much it is used
    /// (`sso_session.absolute`). The server sets a session's expiry from it; the engine uses it
    /// to keep revocation-feed events about a whole account long enough.
    public var sessionAbsolute: TimeInterval

    /// - Parameter sessionAbsolute: defaults to the longer of `refreshToken` and `sessionIdle`
    ///   (the token policy keeps both within the session's absolute lifetime).
    public init(
        accessToken: TimeInterval, idToken: TimeInterval, refreshToken: TimeInterval, refreshTokenIdle: TimeInterval,
        authorizationCode: TimeInterval, sessionIdle: TimeInterval, sessionAbsolute: TimeInterval? = nil
    ) {
        self.accessToken = accessToken
        self.idToken = idToken
        self.refreshToken = refreshToken
        self.refreshTokenIdle = refreshTokenIdle
        self.authorizationCode = min(authorizationCode, 600)
        self.sessionIdle = sessionIdle
        self.sessionAbsolute = sessionAbsolute ?? max(refreshToken, sessionIdle)
    }

    /// How long a key stays published after retirement: every token it signed has expired.
    public var longestSignedToken: TimeInterval { max(accessToken, idToken) }
}

/// Endpoint URLs, published in discovery; ``token`` is also an accepted `aud` of client
/// assertions (RFC 7523 §3 item 3).
public struct OAuthEndpoints: Sendable, Hashable {
    public var authorization: String
    public var token: String
    public var userInfo: String
    public var jwks: String
    public var introspection: String
    public var revocation: String
    public var endSession: String
    /// The revocation feed (`gatehouse_revocation_feed_endpoint`, an RFC 8414 §2 extension
    /// member): what applications verifying tokens offline poll to learn of revocations.
    public var revocationFeed: String

    /// `ISSUER/authorize`, `/token`, `/userinfo`, `/jwks`, `/introspect`, `/revoke`, `/logout`,
    /// `/revocations`.
    public init(issuer: String) {
        var base = issuer
        while base.hasSuffix("/") { base.removeLast() }
        self.init(authorization: base + "/authorize", token: base + "/token", userInfo: base + "/userinfo", jwks: base + "/jwks",
                  introspection: base + "/introspect", revocation: base + "/revoke", endSession: base + "/logout",
                  revocationFeed: base + "/revocations")
    }

    public init(
        authorization: String, token: String, userInfo: String, jwks: String, introspection: String, revocation: String, endSession: String,
        revocationFeed: String
    ) {
        self.authorization = authorization
        self.token = token
        self.userInfo = userInfo
        self.jwks = jwks
        self.introspection = introspection
        self.revocation = revocation
        self.endSession = endSession
        self.revocationFeed = revocationFeed
    }
}

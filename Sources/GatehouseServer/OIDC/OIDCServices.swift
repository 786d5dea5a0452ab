import Foundation
public import GatehouseCore
public import GatehouseOAuth
public import GatehousePasswords
public import GatehousePolicy
public import GatehouseStore

/// Everything the OpenID Connect routes need, built once at start and handed to
/// ``GatehouseServer/router(readiness:metrics:oidc:)``. Without it the server answers only
/// health and metrics.
///
/// ```swift
/// let engine = OAuthEngine(configuration: configuration, store: store, keys: ring)
/// let passwords = try PasswordService(parameters: argon2Parameters)
/// let oidc = OIDCServices(
///     engine: engine, passwords: passwords, passwordPolicy: policies.password,
///     commonPasswords: try policies.password.loadCommonPasswords(), tokenPolicy: policies.tokens,
///     logoutNotifier: notifier, secondFactor: try SecondFactorKeys(key: mfaKey))
/// let app = GatehouseServer.application(configuration: server, readiness: checks, services: services, oidc: oidc, logger: logger)
/// ```
public struct OIDCServices: Sendable {
    /// The protocol engine.
    public let engine: OAuthEngine
    /// The store the engine uses (accounts for the login form, sessions, audit).
    public let store: any Store
    /// Argon2id verification and hashing on their own threads.
    public let passwords: PasswordService
    /// Rules for new passwords and password expiry (`password.yaml`).
    public let passwordPolicy: PasswordPolicy
    /// The common-password blocklist (`PasswordPolicy.loadCommonPasswords()`), folded.
    public let commonPasswords: Set<String>
    /// SSO session lifetime (`sso_session.absolute`) and JWKS `max-age` (`keys.jwks_max_age`).
    public let tokenPolicy: TokenPolicy
    /// Receives back-channel logout deliveries when a session ends.
    public let logoutNotifier: any LogoutNotifier
    /// The issuer identifier, as the engine has it.
    public let issuer: String
    /// Cookies are `Secure` with the `__Host-` prefix, and responses carry HSTS.
    public let isHTTPS: Bool
    /// The engine's clock: sessions, flow-state expiry and password age.
    public let clock: any Clock
    /// The keys of the second factor; `nil` when the server offers none (see
    /// `OAuthConfiguration.secondFactor`, which says who must use it).
    let secondFactor: SecondFactorKeys?
    /// The issuer name authenticator apps show beside the account (the `otpauth` label).
    let secondFactorIssuer: String
    /// The directories whose accounts log in by search-then-bind (`ldap.yaml`).
    public let directories: DirectoryLogins
    /// Where each route is served.
    let paths: OIDCPaths
    /// Seals the flow state between the steps of an interaction.
    let sealer: FlowSealer
    /// Delays and locks after failed logins, counted in the store (`password.yaml` `lockout:`).
    let loginThrottle: LoginThrottle
    /// The per-client token bucket of the token and neighbouring endpoints (`client_rate_limit:`).
    let clientRateLimiter: ClientRateLimiter

    /// - Parameters:
    ///   - store: defaults to the engine's store; must be the same store.
    ///   - isHTTPS: defaults to whether the issuer is an `https` URL. Behind a TLS-terminating
    ///     proxy the issuer is https, so this stays true.
    ///   - clock: defaults to the engine's clock.
    ///   - flowKey: the MAC key of the flow state; defaults to a key derived from the engine's
    ///     client-secret pepper, which every node sharing `Keys/` has.
    ///   - secondFactor: the keys of the second factor (RFC 6238 TOTP). Give them with an
    ///     engine whose configuration has a `SecondFactorPolicy`; a login that needs a second
    ///     factor on a server without them is refused (`unmet_authentication_requirements`).
    ///   - secondFactorIssuer: the name authenticator apps show for the account.
    ///   - directories: where accounts of LDAP directories log in (`DirectoryBridge.login`).
    ///   - lockout: the login delays and locks; defaults to `passwordPolicy.lockout`.
    ///   - clientRateLimit: the per-client limit; defaults to `passwordPolicy.clientRateLimit`.
    public init(
        engine: OAuthEngine, passwords: PasswordService, passwordPolicy: PasswordPolicy, commonPasswords: Set<String> = [],
        tokenPolicy: TokenPolicy = .defaults, logoutNotifier: any LogoutNotifier, store: (any Store)? = nil,
        isHTTPS: Bool? = nil, clock: (any Clock)? = nil, flowKey: [UInt8]? = nil, secondFactor: SecondFactorKeys? = nil,
        secondFactorIssuer: String = "Gatehouse", directories: DirectoryLogins = DirectoryLogins(),
        lockout: LockoutPolicy? = nil, clientRateLimit: ClientRateLimitPolicy? = nil
    ) {
        self.engine = engine
        self.store = store ?? engine.store
        self.passwords = passwords
        self.passwordPolicy = passwordPolicy
        self.commonPasswords = commonPasswords
        self.tokenPolicy = tokenPolicy
        self.logoutNotifier = logoutNotifier
        self.issuer = engine.configuration.issuer
        self.isHTTPS = isHTTPS ?? engine.configuration.issuer.lowercased().hasPrefix("https://")
        self.clock = clock ?? engine.clock
        self.paths = OIDCPaths(configuration: engine.configuration)
        self.sealer = FlowSealer(key: flowKey ?? FlowSealer.deriveKey(from: engine.configuration.clientSecretPepper))
        self.secondFactor = secondFactor
        self.secondFactorIssuer = secondFactorIssuer
        self.directories = directories
        self.loginThrottle = LoginThrottle(policy: lockout ?? passwordPolicy.lockout)
        self.clientRateLimiter = ClientRateLimiter(policy: clientRateLimit ?? passwordPolicy.clientRateLimit, clock: clock ?? engine.clock)
    }

    var cookies: BrowserCookies { BrowserCookies(secure: isHTTPS) }
}

/// The path of every route: the protocol endpoints where discovery advertises them (the paths
/// of the configured endpoint URLs), the pages next to them under the issuer's path.
struct OIDCPaths: Sendable {
    let discovery: String
    let authorize: String
    let token: String
    let userInfo: String
    let jwks: String
    let introspect: String
    let revoke: String
    let revocationFeed: String
    let logout: String
    let logoutConfirm: String
    let login: String
    let loginPassword: String
    let loginSecondFactor: String
    let loginEnrolment: String
    let loginResume: String
    let consent: String

    init(configuration: OAuthConfiguration) {
        let base = Self.path(of: configuration.issuer) ?? ""
        let endpoints = configuration.endpoints
        func path(_ url: String, _ fallback: String) -> String { Self.path(of: url) ?? base + fallback }
        discovery = base + "/.well-known/openid-configuration"
        authorize = path(endpoints.authorization, "/authorize")
        token = path(endpoints.token, "/token")
        userInfo = path(endpoints.userInfo, "/userinfo")
        jwks = path(endpoints.jwks, "/jwks")
        introspect = path(endpoints.introspection, "/introspect")
        revoke = path(endpoints.revocation, "/revoke")
        revocationFeed = path(endpoints.revocationFeed, "/revocations")
        logout = path(endpoints.endSession, "/logout")
        logoutConfirm = logout + "/confirm"
        login = base + "/login"
        loginPassword = base + "/login/password"
        loginSecondFactor = base + "/login/mfa"
        loginEnrolment = base + "/login/mfa/enrol"
        loginResume = base + "/login/mfa/continue"
        consent = base + "/consent"
    }

    /// The path of an absolute URL without a trailing `/`, or `nil` when it has none.
    static func path(of url: String) -> String? {
        guard let components = URLComponents(string: url), components.host != nil else { return nil }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        return path.isEmpty ? nil : path
    }
}

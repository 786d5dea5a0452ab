public import Foundation
public import GatehouseJOSE

/// How a server-rendered application logs its users in through Gatehouse (``RelyingParty``).
///
/// ```swift
/// let configuration = RelyingPartyConfiguration(
///     clientID: "notices", clientSecret: secret,
///     redirectURI: "https://notices.example.gov.vn/callback",
///     postLogoutRedirectURI: "https://notices.example.gov.vn/",
///     cookieKey: key)  // 32 random bytes, the same on every instance of the application
/// ```
public struct RelyingPartyConfiguration: Sendable {
    /// The application's client id at Gatehouse.
    public var clientID: String
    /// Its client secret (sent with `client_secret_basic`).
    public var clientSecret: String
    /// The registered redirect URI: the callback route, matched exactly by Gatehouse.
    public var redirectURI: String
    /// A registered post-logout redirect URI; `nil` leaves the user on Gatehouse's page.
    public var postLogoutRedirectURI: String?
    /// Scopes asked for; `openid` is always included.
    public var scopes: [String]
    /// The session cookie's name. Served over TLS, it is prefixed `__Host-`.
    public var cookieName: String
    /// The key the session and login cookies are signed with (at least 32 bytes).
    public var cookieKey: [UInt8]
    /// How long a session lasts from login, unless it is revoked sooner.
    public var sessionLifetime: TimeInterval
    /// How long a login may take from the redirect to the callback.
    public var loginTimeout: TimeInterval
    /// Algorithms accepted for ID tokens (RS256 is OpenID Connect's default).
    public var idTokenAlgorithms: Set<JWSAlgorithm>
    /// Clock skew tolerated on `exp` and `iat`.
    public var leeway: TimeInterval

    public init(clientID: String, clientSecret: String, redirectURI: String, postLogoutRedirectURI: String? = nil,
                scopes: [String] = ["openid", "profile"], cookieName: String = "gatehouse_session", cookieKey: [UInt8],
                sessionLifetime: TimeInterval = 8 * 3600, loginTimeout: TimeInterval = 600,
                idTokenAlgorithms: Set<JWSAlgorithm> = [.rs256, .es256, .ps256, .edDSA], leeway: TimeInterval = 30) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.postLogoutRedirectURI = postLogoutRedirectURI
        self.scopes = scopes
        self.cookieName = cookieName
        self.cookieKey = cookieKey
        self.sessionLifetime = sessionLifetime
        self.loginTimeout = loginTimeout
        self.idTokenAlgorithms = idTokenAlgorithms
        self.leeway = leeway
    }

    /// Whether cookies are marked `Secure` (and the session cookie gets `__Host-`): when the
    /// redirect URI is `https`.
    var secure: Bool { redirectURI.lowercased().hasPrefix("https://") }

    var sessionCookieName: String { secure ? "__Host-" + cookieName : cookieName }
    var loginCookieName: String { sessionCookieName + "_login" }
}

import Foundation

/// A validated authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1): what
/// ``OAuthEngine/validateAuthorization(_:)`` returns and
/// ``OAuthEngine/authorize(_:sessionCookie:freshAuthentication:consentGiven:sourceIP:)``
/// completes. `Codable`, so the server may keep it across the login page.
public struct AuthorizationRequest: Sendable, Hashable, Codable {
    public var clientID: String
    /// The client's name, for the login and consent pages.
    public var clientName: String
    /// Exactly one of the client's registered redirect URIs.
    public var redirectURI: String
    /// Granted scope tokens, in request order.
    public var scope: [String]
    /// Echoed in the response (RFC 6749 §4.1.2).
    public var state: String?
    /// Copied into the ID token (OIDC Core §3.1.2.1).
    public var nonce: String?
    /// The PKCE S256 challenge (RFC 7636 §4.3).
    public var codeChallenge: String
    /// `prompt` values (OIDC Core §3.1.2.1).
    public var prompt: Set<Prompt>
    /// `max_age` in seconds: the session must be younger, or the user logs in again.
    public var maxAge: Int?
    /// `login_hint`, to prefill the login form.
    public var loginHint: String?
    /// `ui_locales`, in preference order.
    public var uiLocales: [String]
    /// `acr_values` requested, in preference order. Recorded for the login page to honour
    /// (for example by asking for a second factor); the ID token's `acr` reports what happened.
    public var acrValues: [String]
    /// `sub` of a valid `id_token_hint`: the session must be this user's.
    public var expectedSubject: String?

    /// True for OpenID Connect requests (`scope` has `openid`).
    public var isOpenID: Bool { scope.contains("openid") }

    public init(
        clientID: String, clientName: String, redirectURI: String, scope: [String], state: String?, nonce: String?,
        codeChallenge: String, prompt: Set<Prompt> = [], maxAge: Int? = nil, loginHint: String? = nil,
        uiLocales: [String] = [], acrValues: [String] = [], expectedSubject: String? = nil
    ) {
        self.clientID = clientID
        self.clientName = clientName
        self.redirectURI = redirectURI
        self.scope = scope
        self.state = state
        self.nonce = nonce
        self.codeChallenge = codeChallenge
        self.prompt = prompt
        self.maxAge = maxAge
        self.loginHint = loginHint
        self.uiLocales = uiLocales
        self.acrValues = acrValues
        self.expectedSubject = expectedSubject
    }

    /// `prompt` values (OIDC Core §3.1.2.1).
    public enum Prompt: String, Sendable, Hashable, Codable, CaseIterable {
        /// No user interface: answer at once, or with `login_required` / `consent_required`.
        case none
        /// Authenticate again, even with a live session.
        case login
        /// Ask for consent again.
        case consent
        /// Let the user choose an account: Gatehouse has one account per browser session, so
        /// it means logging in again, possibly as someone else.
        case selectAccount = "select_account"
    }
}

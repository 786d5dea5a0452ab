/// What to do with a valid authorization request, given the browser's SSO session.
public enum AuthorizationDecision: Sendable, Hashable {
    /// Send the browser back to the client: `code`, `state` and `iss` on success, or an error
    /// such as `login_required` for `prompt=none`.
    case redirect(AuthorizationRedirect)
    /// Show the login page, then call `authorize` again with the new session's cookie and
    /// `freshAuthentication: true`.
    case login(LoginReason)
    /// Show the consent page (`prompt=consent`), then call `authorize` again with
    /// `consentGiven: true` if the user agreed, or send ``OAuthEngine/deny(_:)``'s redirect.
    case consent
    /// An error to show, never redirect: the request no longer matches its client.
    case showError(OAuthError)
}

/// Why the user has to log in.
public enum LoginReason: String, Sendable, Hashable {
    /// No session, or it was revoked, expired or idle too long.
    case noSession
    /// The account behind the session is no longer active.
    case accountInactive
    /// `prompt=login` or `prompt=select_account`.
    case promptLogin
    /// The session's authentication is older than `max_age`.
    case maxAgeExceeded
    /// The session belongs to another user than `id_token_hint` names.
    case differentUser
    /// The session was established without the second factor the account or the request
    /// requires (``SecondFactorPolicy``): the user logs in again, with it.
    case secondFactorRequired
}

extension OAuthEngine {
    /// The redirect for a request whose authentication requirements the server cannot meet,
    /// decided by the login page (a second factor needed on a server that has no second-factor
    /// keys): `unmet_authentication_requirements` (OpenID Connect Core Error Code
    /// unmet_authentication_requirements 1.0 §2), with `state` and `iss`.
    public func unmetAuthenticationRequirements(_ request: AuthorizationRequest) -> AuthorizationRedirect {
        .error(OAuthError(.unmetAuthenticationRequirements, "The server cannot authenticate the user as the request requires."),
               to: request.redirectURI, state: request.state, issuer: issuer)
    }
}

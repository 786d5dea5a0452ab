/// A redirect back to the client (RFC 6749 §4.1.2 and §4.1.2.1): success (`code`, `state`,
/// `iss`) or error (`error`, `error_description`, `state`, `iss`), in the query component.
/// RFC 9207 puts `iss` in every authorization response, errors included.
public struct AuthorizationRedirect: Sendable, Hashable {
    /// The registered redirect URI the client sent.
    public var redirectURI: String
    /// The response parameters, in order.
    public var parameters: [(String, String)]

    public init(redirectURI: String, parameters: [(String, String)]) {
        self.redirectURI = redirectURI
        self.parameters = parameters
    }

    /// The `Location` header: the parameters appended to the redirect URI's query, keeping
    /// any query the registered URI has (RFC 6749 §3.1.2).
    public var location: String {
        let separator = redirectURI.contains("?") ? (redirectURI.hasSuffix("?") || redirectURI.hasSuffix("&") ? "" : "&") : "?"
        return redirectURI + separator + FormParameters.encode(parameters)
    }

    /// The value of response parameter `name`.
    public subscript(name: String) -> String? { parameters.first { $0.0 == name }?.1 }

    /// The error this redirect reports, if it is an error response.
    public var error: String? { self["error"] }

    public static func == (a: AuthorizationRedirect, b: AuthorizationRedirect) -> Bool { a.location == b.location }
    public func hash(into hasher: inout Hasher) { hasher.combine(location) }

    static func error(_ error: OAuthError, to redirectURI: String, state: String?, issuer: String) -> AuthorizationRedirect {
        var parameters = [("error", error.code.rawValue), ("error_description", error.description)]
        if let state { parameters.append(("state", state)) }
        parameters.append(("iss", issuer))
        return AuthorizationRedirect(redirectURI: redirectURI, parameters: parameters)
    }
}

import GatehouseJOSE

/// A refused request to a protected resource and the answer RFC 6750 §3 prescribes for it:
/// the status and the `WWW-Authenticate: Bearer …` challenge.
///
/// | code | status | challenge |
/// |---|---|---|
/// | ``Code/missingCredentials`` | 401 | `Bearer realm="…"` (no error, §3.1) |
/// | ``Code/invalidRequest`` | 400 | `…, error="invalid_request", error_description="…"` |
/// | ``Code/invalidToken`` | 401 | `…, error="invalid_token", error_description="…"` |
/// | ``Code/insufficientScope`` | 403 | `…, error="insufficient_scope", error_description="…", scope="…"` |
///
/// ```swift
/// switch await verifier.authenticate(authorizationHeader: header) {
/// case .success(let identity): …
/// case .failure(let error): respond(status: error.statusCode, headers: ["WWW-Authenticate": error.challenge])
/// }
/// ```
public struct BearerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, CaseIterable {
        /// No bearer credentials were sent.
        case missingCredentials = "missing_credentials"
        /// The `Authorization` header is malformed or repeated.
        case invalidRequest = "invalid_request"
        /// The token was refused; ``BearerError/rejection`` says why.
        case invalidToken = "invalid_token"
        /// The identity lacks the role or scope the resource needs.
        case insufficientScope = "insufficient_scope"
    }

    /// The kind of failure.
    public let code: Code
    /// The `realm` of the challenge.
    public let realm: String
    /// `error_description`: a sentence for a person; `nil` for missing credentials.
    public let errorDescription: String?
    /// `scope`: the scopes that would suffice, for `insufficient_scope` (RFC 6750 §3).
    public let scope: String?
    /// Why the token was refused, for `invalid_token`.
    public let rejection: TokenRejection?

    /// Creates an error; prefer the static constructors.
    public init(_ code: Code, realm: String, errorDescription: String? = nil, scope: String? = nil, rejection: TokenRejection? = nil) {
        self.code = code
        self.realm = realm
        self.errorDescription = errorDescription
        self.scope = scope
        self.rejection = rejection
    }

    /// No credentials: 401 with a bare challenge.
    public static func missingCredentials(realm: String) -> BearerError { BearerError(.missingCredentials, realm: realm) }

    /// A malformed request: 400 `invalid_request`.
    public static func invalidRequest(realm: String, _ description: String) -> BearerError {
        BearerError(.invalidRequest, realm: realm, errorDescription: description)
    }

    /// A refused token: 401 `invalid_token` with the rejection's message.
    public static func invalidToken(realm: String, _ rejection: TokenRejection) -> BearerError {
        BearerError(.invalidToken, realm: realm, errorDescription: rejection.message, rejection: rejection)
    }

    /// Not allowed: 403 `insufficient_scope`.
    public static func insufficientScope(realm: String, _ description: String, scope: String? = nil) -> BearerError {
        BearerError(.insufficientScope, realm: realm, errorDescription: description, scope: scope)
    }

    /// The HTTP status code: 401, 400, 401 or 403 (RFC 6750 §3.1).
    public var statusCode: Int {
        switch code {
        case .missingCredentials, .invalidToken: 401
        case .invalidRequest: 400
        case .insufficientScope: 403
        }
    }

    /// The `WWW-Authenticate` value (RFC 6750 §3), every value a quoted-string.
    public var challenge: String {
        var parameters = [("realm", realm)]
        if code != .missingCredentials {
            parameters.append(("error", code.rawValue))
            if let errorDescription { parameters.append(("error_description", errorDescription)) }
            if let scope { parameters.append(("scope", scope)) }
        }
        return "Bearer " + parameters.map { "\($0.0)=\(QuotedString.quote($0.1))" }.joined(separator: ", ")
    }

    /// The JSON body sent with the challenge: `{"error":…,"error_description":…}`; `nil` for
    /// missing credentials.
    public var body: String? {
        guard code != .missingCredentials else { return nil }
        var members: [String: JSONValue] = ["error": .string(code.rawValue)]
        if let errorDescription { members["error_description"] = .string(errorDescription) }
        return JSONValue.object(members).jsonText
    }

    /// The code, then the rejection's detail when there is one.
    public var description: String {
        "\(code.rawValue)" + (rejection.map { " (\($0.description))" } ?? errorDescription.map { " (\($0))" } ?? "")
    }
}

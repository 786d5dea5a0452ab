extension OAuthError {
    /// Error codes from RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1 and
    /// OpenID Connect Core §3.1.2.6.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // RFC 6749 §4.1.2.1 (authorization endpoint) and §5.2 (token endpoint)
        /// A parameter is missing, repeated, malformed or not allowed.
        public static let invalidRequest = Code(rawValue: "invalid_request")
        /// The client may not use this grant or response type.
        public static let unauthorizedClient = Code(rawValue: "unauthorized_client")
        /// The resource owner or the server refused.
        public static let accessDenied = Code(rawValue: "access_denied")
        /// Only `code` is supported.
        public static let unsupportedResponseType = Code(rawValue: "unsupported_response_type")
        /// A scope is unknown, malformed, or beyond what the client or grant allows.
        public static let invalidScope = Code(rawValue: "invalid_scope")
        /// The server failed (HTTP 500).
        public static let serverError = Code(rawValue: "server_error")
        /// The server is overloaded or its store unreachable (HTTP 503).
        public static let temporarilyUnavailable = Code(rawValue: "temporarily_unavailable")
        /// Client authentication failed (HTTP 401 after Basic).
        public static let invalidClient = Code(rawValue: "invalid_client")
        /// The code, refresh token or verifier is invalid, expired, revoked or not this client's.
        public static let invalidGrant = Code(rawValue: "invalid_grant")
        /// The grant type is not supported.
        public static let unsupportedGrantType = Code(rawValue: "unsupported_grant_type")

        // RFC 6750 §3.1 (protected resources: UserInfo)
        /// The access token is expired, revoked, malformed or invalid (HTTP 401).
        public static let invalidToken = Code(rawValue: "invalid_token")
        /// The access token lacks a scope the resource needs (HTTP 403).
        public static let insufficientScope = Code(rawValue: "insufficient_scope")

        // RFC 7009 §2.2.1
        /// The server cannot revoke this type of token.
        public static let unsupportedTokenType = Code(rawValue: "unsupported_token_type")

        // OpenID Connect Core §3.1.2.6
        /// `prompt=none` and no usable session.
        public static let loginRequired = Code(rawValue: "login_required")
        /// `prompt=none` and consent would have to be asked.
        public static let consentRequired = Code(rawValue: "consent_required")
        /// `prompt=none` and some other interaction is needed.
        public static let interactionRequired = Code(rawValue: "interaction_required")
        /// `prompt=none` and the user would have to pick an account.
        public static let accountSelectionRequired = Code(rawValue: "account_selection_required")
        /// `request` (a request object) is not supported (OIDC Core §6).
        public static let requestNotSupported = Code(rawValue: "request_not_supported")
        /// `request_uri` is not supported (OIDC Core §6).
        public static let requestURINotSupported = Code(rawValue: "request_uri_not_supported")

        // OpenID Connect Core Error Code unmet_authentication_requirements 1.0 §2
        /// The server cannot authenticate the user as the request requires (`acr_values`).
        public static let unmetAuthenticationRequirements = Code(rawValue: "unmet_authentication_requirements")

        /// The HTTP status of a JSON error response with this code.
        public var httpStatus: Int {
            switch self {
            case .invalidClient, .invalidToken: 401
            case .insufficientScope: 403
            case .serverError: 500
            case .temporarilyUnavailable: 503
            default: 400
            }
        }

        /// Generic client-facing text for the code.
        var defaultDescription: String {
            switch self {
            case .invalidRequest: "The request is malformed."
            case .unauthorizedClient: "The client is not allowed to make this request."
            case .accessDenied: "The request was denied."
            case .unsupportedResponseType: "Only response_type=code is supported."
            case .invalidScope: "The requested scope is invalid."
            case .serverError: "The server failed to process the request."
            case .temporarilyUnavailable: "The server is temporarily unavailable; try again later."
            case .invalidClient: "Client authentication failed."
            case .invalidGrant: "The grant is invalid, expired or revoked."
            case .unsupportedGrantType: "The grant type is not supported."
            case .invalidToken: "The access token is invalid."
            case .insufficientScope: "The access token does not carry the scope this resource needs."
            case .unsupportedTokenType: "This token type cannot be revoked."
            case .loginRequired: "The user must log in."
            case .consentRequired: "The user must consent."
            case .interactionRequired: "The user must interact with the server."
            case .accountSelectionRequired: "The user must select an account."
            case .requestNotSupported: "Request objects are not supported."
            case .requestURINotSupported: "request_uri is not supported."
            case .unmetAuthenticationRequirements: "The server cannot authenticate the user as the request requires."
            default: "The request failed."
            }
        }
    }
}

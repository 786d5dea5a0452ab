/// An OAuth 2.0 / OpenID Connect error, ready to be sent: the registered `error` code, an
/// `error_description` safe to show the client, and a debug detail kept for the logs.
///
/// The split follows Fosite's hint/debug: ``description`` never names secrets, never says
/// whether an account exists and never echoes a token; ``debug`` may name the check that
/// failed (still never a secret) and goes to the server log only.
///
/// Two errors compare equal when their codes are equal, so tests read
/// `#expect(throws: OAuthError(.invalidGrant)) { … }`.
///
/// ```swift
/// throw OAuthError(.invalidGrant, "the authorization code is invalid or expired", debug: "code expired 3 s ago")
/// let response = error.httpResponse(realm: issuer)      // 400 {"error":"invalid_grant",…}
/// ```
public struct OAuthError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The registered error code.
    public let code: Code
    /// `error_description` (RFC 6749 §5.2): for the client developer. ASCII only: characters
    /// outside `%x20-21 / %x23-5B / %x5D-7E` are replaced by `?` on creation.
    public let description: String
    /// Detail for logs, never sent.
    public let debug: String
    /// The HTTP authentication scheme the request used, which decides the 401 challenge:
    /// `invalid_client` after Basic (RFC 6749 §5.2), Bearer errors at UserInfo (RFC 6750 §3).
    public var challenge: Challenge?

    /// Creates an error; `description` defaults to the code's generic text.
    public init(_ code: Code, _ description: String? = nil, debug: String = "", challenge: Challenge? = nil) {
        self.code = code
        self.description = OAuthError.sanitized(description ?? code.defaultDescription)
        self.debug = debug
        self.challenge = challenge
    }

    /// `code: description (debug)`, for logs.
    public var debugDescription: String {
        debug.isEmpty ? "\(code.rawValue): \(description)" : "\(code.rawValue): \(description) (\(debug))"
    }

    /// Equal when the codes are equal.
    public static func == (a: OAuthError, b: OAuthError) -> Bool { a.code == b.code }
    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The same error carrying `challenge`.
    public func with(challenge: Challenge?) -> OAuthError {
        var copy = self
        copy.challenge = challenge
        return copy
    }

    /// The HTTP authentication challenge an error answers with.
    public enum Challenge: Sendable, Hashable {
        /// `WWW-Authenticate: Basic realm="…"` (RFC 7617), for `invalid_client` after Basic.
        case basic
        /// `WWW-Authenticate: Bearer realm="…"[, error=…]` (RFC 6750 §3). `includeError` is
        /// false when the request carried no token at all (RFC 6750 §3.1).
        case bearer(includeError: Bool)
    }

    /// Keeps the characters RFC 6749 §5.2 allows in `error_description`.
    static func sanitized(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { s in
            let v = s.value
            let allowed = v == 0x20 || v == 0x21 || (0x23...0x5B).contains(v) || (0x5D...0x7E).contains(v)
            return allowed ? s : "?"
        }))
    }
}

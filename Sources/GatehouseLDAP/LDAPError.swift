/// A failed directory operation.
///
/// `code` is the LDAP result code (RFC 4511 §4.1.9 and Appendix A), or one of libldap's
/// negative client-side codes (the server could not be reached, a local timeout, a bad
/// filter). `message` is written for people: it names the directory and what went wrong,
/// and never contains a password. The server's own diagnostic text is kept apart in
/// `diagnosticMessage` (and `debugDescription`), because it can carry internal detail that
/// belongs in logs, not in front of users.
///
/// Errors compare equal when their codes are equal, which keeps tests simple:
///
/// ```swift
/// #expect(throws: LDAPError(.invalidCredentials)) { try connection.bind(dn: dn, password: "wrong") }
/// ```
public struct LDAPError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The result code.
    public let code: Code
    /// What went wrong, for people. Never contains a password.
    public let message: String
    /// The server's diagnostic message (RFC 4511 §4.1.9 `diagnosticMessage`), if any.
    public let diagnosticMessage: String?

    /// An error with `code`, a message for people, and the server's diagnostic message.
    public init(_ code: Code, _ message: String? = nil, diagnosticMessage: String? = nil) {
        self.code = code
        self.message = message ?? code.description
        self.diagnosticMessage = (diagnosticMessage?.isEmpty ?? true) ? nil : diagnosticMessage
    }

    public static func == (a: LDAPError, b: LDAPError) -> Bool { a.code == b.code }

    public var description: String { message }

    public var debugDescription: String {
        var text = "\(message) [LDAP \(code.rawValue): \(code)]"
        if let diagnosticMessage { text += " (server says: \(diagnosticMessage))" }
        return text
    }

    /// The directory could not be reached or did not answer in time, or every pooled
    /// connection stayed busy: trying again later may succeed. Distinct from a refusal.
    public var isUnavailable: Bool {
        switch code {
        case .serverDown, .connectError, .timeout, .busy, .unavailable: true
        default: false
        }
    }

    /// The connection this error came from cannot be trusted any more (the server closed it,
    /// a reply was cut off or timed out) and must be replaced.
    var breaksConnection: Bool {
        switch code {
        case .serverDown, .connectError, .timeout, .encodingError, .decodingError, .localError, .noMemory: true
        default: false
        }
    }
}

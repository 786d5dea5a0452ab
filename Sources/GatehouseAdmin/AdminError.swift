/// Why an administrative request was refused. Each case maps to one HTTP status in the admin
/// API and one `scimType` in SCIM; the message is written for the person who sent the request.
public enum AdminError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The actor's grants do not allow the action at that unit (HTTP 403).
    case forbidden(String)
    /// Nothing with that id, username or path (HTTP 404).
    case notFound(String)
    /// The request is malformed or breaks a rule of the data (HTTP 400).
    case invalid(String)
    /// A username, unit path or grant that exists already (HTTP 409).
    case conflict(String)
    /// The resource changed since the version the client sent (`If-Match`; HTTP 412).
    case preconditionFailed(String)
    /// The store cannot be reached (HTTP 503).
    case unavailable(String)

    public var description: String {
        switch self {
        case .forbidden(let m), .notFound(let m), .invalid(let m), .conflict(let m), .preconditionFailed(let m), .unavailable(let m): m
        }
    }
}

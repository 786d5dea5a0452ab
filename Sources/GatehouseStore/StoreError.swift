/// Errors every backend reports in the same way, so callers and the conformance suite
/// never see a driver's own error types.
///
/// `description` is safe to show to a user; `debugDescription` may carry driver detail
/// for logs (never a secret: parameters are not included).
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The entity does not exist.
    case notFound(String)
    /// An entity with the same unique key exists.
    case alreadyExists(String)
    /// A concurrent change won: the version did not match, or the transaction could not be
    /// serialized after retries. The caller may reload and try again.
    case conflict(String)
    /// A rule of the data broke (foreign key, check constraint, a unit with children deleted).
    case invalid(String)
    /// The database cannot be reached or failed; `detail` is for logs.
    case unavailable(String, detail: String = "")

    public var description: String {
        switch self {
        case .notFound(let what): "\(what) not found"
        case .alreadyExists(let what): "\(what) already exists"
        case .conflict(let what): "conflict: \(what)"
        case .invalid(let what): "invalid: \(what)"
        case .unavailable(let what, _): "store unavailable: \(what)"
        }
    }

    public var debugDescription: String {
        if case .unavailable(let what, let detail) = self, !detail.isEmpty { return "store unavailable: \(what) (\(detail))" }
        return description
    }

    /// Equal on the case and its message, ignoring `detail`.
    public static func == (a: StoreError, b: StoreError) -> Bool {
        switch (a, b) {
        case (.notFound(let x), .notFound(let y)), (.alreadyExists(let x), .alreadyExists(let y)),
             (.conflict(let x), .conflict(let y)), (.invalid(let x), .invalid(let y)),
             (.unavailable(let x, _), .unavailable(let y, _)):
            x == y
        default: false
        }
    }

    /// The case without its message, for tests and error mapping.
    public var kind: Kind {
        switch self {
        case .notFound: .notFound
        case .alreadyExists: .alreadyExists
        case .conflict: .conflict
        case .invalid: .invalid
        case .unavailable: .unavailable
        }
    }

    public enum Kind: Sendable, Equatable { case notFound, alreadyExists, conflict, invalid, unavailable }
}

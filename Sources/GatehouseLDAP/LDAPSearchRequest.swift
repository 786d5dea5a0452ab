/// A search (RFC 4511 §4.5.1).
///
/// ```swift
/// let request = LDAPSearchRequest(
///     base: "ou=ha-noi,dc=gatehouse,dc=test",
///     filter: "(&(objectClass=inetOrgPerson)(uid=\(LDAPEscape.filterValue(username))))",
///     attributes: ["uid", "cn", "mail", "entryUUID"],
///     sizeLimit: 2)
/// ```
public struct LDAPSearchRequest: Sendable, Hashable {
    /// How deep below `base` to look (RFC 4511 §4.5.1.2).
    public enum Scope: Int32, Sendable, Hashable {
        /// The base entry only.
        case base = 0
        /// The entries immediately below the base.
        case oneLevel = 1
        /// The base and everything below it.
        case subtree = 2
    }

    /// The DN to search from.
    public var base: String
    public var scope: Scope
    /// An RFC 4515 filter. Escape every value that comes from outside with
    /// `LDAPEscape.filterValue(_:)`.
    public var filter: String
    /// The attributes to return; nil for all user attributes. `"+"` adds the operational
    /// ones (RFC 3673), such as `entryUUID`.
    public var attributes: [String]?
    /// The most entries the server may return; 0 for no limit beyond the server's own. A
    /// search that would return more fails with `sizeLimitExceeded`.
    public var sizeLimit: Int
    /// How long the server may spend, and the client wait; nil for the connection's
    /// operation timeout.
    public var timeLimit: Duration?

    public init(
        base: String,
        scope: Scope = .subtree,
        filter: String = "(objectClass=*)",
        attributes: [String]? = nil,
        sizeLimit: Int = 0,
        timeLimit: Duration? = nil
    ) {
        self.base = base
        self.scope = scope
        self.filter = filter
        self.attributes = attributes
        self.sizeLimit = sizeLimit
        self.timeLimit = timeLimit
    }
}

/// What a paged search does after handing over a page.
public enum LDAPPageDecision: Sendable {
    /// Fetch the next page, if there is one.
    case nextPage
    /// Stop here; the server is told to release the rest (RFC 2696 §3).
    case stop
}

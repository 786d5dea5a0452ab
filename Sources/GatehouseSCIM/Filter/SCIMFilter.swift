/// A parsed SCIM filter (RFC 7644 §3.4.2.2): the expression tree of a `filter` query
/// parameter, or of the `[…]` part of a PATCH path.
///
/// ```swift
/// let f = try SCIMFilter.parse(#"userType eq "Employee" and emails[type eq "work"]"#)
/// // .and(.comparison(userType, .eq, "Employee"),
/// //      .valuePath(emails, .comparison(type, .eq, "work")))
/// ```
///
/// `and` binds tighter than `or`; both group from the left. Inside a ``valuePath(_:_:)`` the
/// paths name sub-attributes of that attribute (`type` means `emails.type`).
public indirect enum SCIMFilter: Hashable, Sendable {
    /// `attrPath compareOp compValue`. The value is a string, number, boolean or null.
    case comparison(SCIMAttributePath, SCIMComparisonOperator, SCIMValue)
    /// `attrPath pr`: the attribute has a value.
    case present(SCIMAttributePath)
    /// Both filters match.
    case and(SCIMFilter, SCIMFilter)
    /// Either filter matches.
    case or(SCIMFilter, SCIMFilter)
    /// `not ( FILTER )`.
    case not(SCIMFilter)
    /// `attrPath [ valFilter ]`: some value of a multi-valued attribute matches the inner
    /// filter, e.g. `emails[type eq "work" and value co "@example.com"]`.
    case valuePath(SCIMAttributePath, SCIMFilter)

    /// Parses a filter, within `limits`. Every failure is a 400 `invalidFilter` whose detail
    /// names the offset of the problem.
    public static func parse(_ text: String, limits: SCIMFilterLimits = .default) throws(SCIMError) -> SCIMFilter {
        var parser = try FilterParser(text, limits: limits, subject: "filter")
        return try parser.parseWholeFilter()
    }
}

/// The attribute operators of RFC 7644 §3.4.2.2, Table 3, except `pr` (``SCIMFilter/present(_:)``).
/// Written in any case in a filter (`EQ`, `Eq`).
public enum SCIMComparisonOperator: String, Hashable, Sendable, CaseIterable {
    /// Equal.
    case eq
    /// Not equal.
    case ne
    /// Contains: the value is a substring of the attribute's.
    case co
    /// Starts with.
    case sw
    /// Ends with.
    case ew
    /// Greater than: lexicographic for strings, chronological for dateTime, numeric for numbers.
    case gt
    /// Greater than or equal.
    case ge
    /// Less than.
    case lt
    /// Less than or equal.
    case le

    /// True for `gt`, `ge`, `lt`, `le`.
    public var isOrdering: Bool { self == .gt || self == .ge || self == .lt || self == .le }
    /// True for `co`, `sw`, `ew`, which compare strings only.
    public var isSubstring: Bool { self == .co || self == .sw || self == .ew }
}

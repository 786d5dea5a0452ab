/// A SCIM protocol error (RFC 7644 §3.12): an HTTP status, the `scimType` keyword of Table 9
/// and a `detail` a person can act on.
///
/// The detail only ever repeats what the client sent (a filter, a path, a value) and names
/// the rule it broke, so it is safe to return. Errors about a filter or a path also carry
/// the ``offset`` of the problem, and the detail says it in words:
///
/// ```swift
/// do { _ = try SCIMFilter.parse(#"userName eq "x" or"#) }
/// catch { error.detail }   // unexpected end of the filter at offset 18, expected an attribute name
/// ```
///
/// Two errors compare equal when status and `scimType` are equal, so tests read
/// `#expect(throws: SCIMError(.invalidFilter)) { … }`.
public struct SCIMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code (RFC 7644 §3.12): 400 for every `scimType` but `uniqueness` (409).
    public var status: Int
    /// The detail error keyword, when one applies.
    public var scimType: SCIMErrorType?
    /// What went wrong, for the client developer.
    public var detail: String
    /// Where in the filter or path text the problem is: a 0-based count of characters.
    public var offset: Int?

    /// Creates an error.
    public init(status: Int = 400, scimType: SCIMErrorType?, detail: String, offset: Int? = nil) {
        self.status = status
        self.scimType = scimType
        self.detail = detail
        self.offset = offset
    }

    /// An error of `type` with the status Table 9 gives it (409 for `uniqueness`, else 400).
    public init(_ type: SCIMErrorType, _ detail: String = "", offset: Int? = nil) {
        self.init(status: type == .uniqueness ? 409 : 400, scimType: type, detail: detail, offset: offset)
    }

    /// The detail.
    public var description: String { detail }

    /// Equal when status and `scimType` are equal.
    public static func == (a: SCIMError, b: SCIMError) -> Bool { a.status == b.status && a.scimType == b.scimType }
    /// Hashes what `==` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(scimType)
    }
}

extension SCIMError {
    /// A 400 `invalidFilter` (RFC 7644 §3.4.2.2): the filter is malformed or asks for an
    /// operator the attribute does not support.
    public static func invalidFilter(_ detail: String, offset: Int? = nil) -> SCIMError {
        SCIMError(scimType: .invalidFilter, detail: detail, offset: offset)
    }

    /// A 400 `invalidPath` (RFC 7644 §3.5.2): the PATCH path is malformed.
    public static func invalidPath(_ detail: String, offset: Int? = nil) -> SCIMError {
        SCIMError(scimType: .invalidPath, detail: detail, offset: offset)
    }

    /// A 400 `noTarget` (RFC 7644 §3.5.2.2): the path selected nothing, or `remove` had no path.
    public static func noTarget(_ detail: String) -> SCIMError { SCIMError(scimType: .noTarget, detail: detail) }

    /// A 400 `invalidValue` (RFC 7644 §3.12): a value is missing or unsuitable.
    public static func invalidValue(_ detail: String) -> SCIMError { SCIMError(scimType: .invalidValue, detail: detail) }

    /// A 400 `invalidSyntax` (RFC 7644 §3.12): the body does not follow the message schema.
    public static func invalidSyntax(_ detail: String) -> SCIMError { SCIMError(scimType: .invalidSyntax, detail: detail) }

    /// A 400 `mutability` (RFC 7643 §2.2): the attribute may not be changed.
    public static func mutability(_ detail: String) -> SCIMError { SCIMError(scimType: .mutability, detail: detail) }
}

/// A JSON value: a SCIM resource, a part of one, or a filter's comparison value.
///
/// Objects keep their member names as sent; SCIM looks members up case-insensitively
/// (RFC 7643 §2.1), which ``member(_:)`` does. Integers and decimals stay apart so that
/// `"count": 1` is written back as `1`, but compare equal by value in filters.
///
/// ```swift
/// let user: SCIMValue = ["userName": "nguyen.van.a", "emails": [["value": "a@example.vn", "primary": true]]]
/// user.member("USERNAME")   // .string("nguyen.van.a")
/// ```
public enum SCIMValue: Hashable, Sendable {
    /// JSON `null`: no value (RFC 7643 §2.5).
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A JSON number without fraction or exponent that fits in `Int`.
    case int(Int)
    /// Any other JSON number.
    case double(Double)
    /// A string; dateTime, reference and binary values are strings too (RFC 7643 §2.3).
    case string(String)
    /// A multi-valued attribute's values (RFC 7643 §2.4).
    case array([SCIMValue])
    /// A resource or complex value (RFC 7643 §2.3.8).
    case object([String: SCIMValue])

    /// The member named `name`, compared case-insensitively (RFC 7643 §2.1); `nil` when this
    /// is not an object or has no such member.
    public func member(_ name: String) -> SCIMValue? {
        guard case .object(let members) = self else { return nil }
        if let exact = members[name] { return exact }
        guard let key = SCIMValue.key(named: name, in: members) else { return nil }
        return members[key]
    }

    /// The spelling under which `members` holds `name`, compared case-insensitively.
    static func key(named name: String, in members: [String: SCIMValue]) -> String? {
        if members[name] != nil { return name }
        let folded = name.lowercased()
        return members.keys.first { $0.lowercased() == folded }
    }

    /// The entries of an array, or this value alone: what a multi-valued attribute holds
    /// (RFC 7643 §2.4).
    public var items: [SCIMValue] {
        if case .array(let items) = self { return items }
        return [self]
    }

    /// True for an array.
    public var isArray: Bool {
        if case .array = self { return true }
        return false
    }

    /// True for an object.
    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// The number as a `Double`, for comparisons; `nil` for other values.
    var number: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// True when this holds a value in the sense of `pr` (RFC 7644 §3.4.2.2): not null, not
    /// an empty string or array, and for an object at least one member that holds a value.
    public var hasValue: Bool {
        switch self {
        case .null: false
        case .string(let s): !s.isEmpty
        case .array(let items): items.contains { $0.hasValue }
        case .object(let members): members.values.contains { $0.hasValue }
        case .bool, .int, .double: true
        }
    }
}

extension SCIMValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `nil` is ``null``.
    public init(nilLiteral: ()) { self = .null }
    /// `true` is `.bool(true)`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `12` is `.int(12)`.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// `1.5` is `.double(1.5)`.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `"x"` is `.string("x")`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `[a, b]` is `.array([a, b])`.
    public init(arrayLiteral elements: SCIMValue...) { self = .array(elements) }
    /// `["k": v]` is `.object(["k": v])`; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, SCIMValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

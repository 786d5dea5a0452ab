/// Any JSON value (RFC 8259 §3), for header parameters and claims Gatehouse does not model.
///
/// Integers that fit in `Int64` stay exact (`.integer`); other numbers are `.number`.
///
/// ```swift
/// claims.additional["roles"] = .array([.string("clerk@/ha-noi")])
/// if case .string(let sid)? = claims["sid"] { ... }
/// ```
public enum JSONValue: Sendable, Hashable, Codable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int64`.
    case integer(Int64)
    /// Any other number. Non-finite values are written as `null`.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object. Member order is not significant (RFC 8259 §4); Gatehouse writes keys sorted.
    case object([String: JSONValue])

    /// The string, when this is `.string`.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The value as a `Double`, when this is `.integer` or `.number`.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }
    /// The value, when this is `.integer`.
    public var integerValue: Int64? { if case .integer(let i) = self { i } else { nil } }
    /// The Boolean, when this is `.bool`.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The elements, when this is `.array`.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    /// The members, when this is `.object`.
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let i = try? container.decode(Int64.self) { self = .integer(i) }
        else if let d = try? container.decode(Double.self) { self = .number(d) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let a = try? container.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// Encodes the value as itself.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .integer(let i): try container.encode(i)
        case .number(let d): if d.isFinite { try container.encode(d) } else { try container.encodeNil() }
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral, ExpressibleByNilLiteral
{
    /// `"text"` as `.string`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `42` as `.integer`.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// `1.5` as `.number`.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// `true` as `.bool`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `[...]` as `.array`.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// `[key: value]` as `.object`; a repeated key keeps the last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    /// `nil` as `.null`.
    public init(nilLiteral: ()) { self = .null }
}

/// The `aud` claim (RFC 7519 §4.1.3): one string, or an array of strings.
///
/// ```swift
/// claims.audience = "https://app.example.gov.vn"        // single
/// claims.audience?.contains("https://app.example.gov.vn")
/// ```
public enum Audience: Sendable, Hashable, Codable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    /// `"aud": "x"`.
    case single(String)
    /// `"aud": ["x", "y"]`.
    case multiple([String])

    /// Every audience value.
    public var values: [String] {
        switch self {
        case .single(let s): [s]
        case .multiple(let a): a
        }
    }

    /// True when `audience` is one of the values (exact, case-sensitive comparison: RFC 7519 §4.1.3).
    public func contains(_ audience: String) -> Bool {
        switch self {
        case .single(let s): s == audience
        case .multiple(let a): a.contains(audience)
        }
    }

    /// A single audience.
    public init(stringLiteral value: String) { self = .single(value) }
    /// Several audiences.
    public init(arrayLiteral elements: String...) { self = .multiple(elements) }

    /// Decodes a string or an array of strings.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .single(s) } else { self = .multiple(try c.decode([String].self)) }
    }

    /// Encodes as a string or an array, as constructed.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .single(let s): try c.encode(s)
        case .multiple(let a): try c.encode(a)
        }
    }

    var json: JSONValue {
        switch self {
        case .single(let s): .string(s)
        case .multiple(let a): .array(a.map(JSONValue.string))
        }
    }
}

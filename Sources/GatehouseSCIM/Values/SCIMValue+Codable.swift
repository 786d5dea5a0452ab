public import Foundation

extension SCIMValue: Codable {
    /// Decodes any JSON value. Numbers without fraction that fit in `Int` become ``int(_:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([SCIMValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: SCIMValue].self)) }
    }

    /// Encodes the value as the JSON it stands for.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Parses a JSON document (a request body). Malformed JSON is a 400 `invalidSyntax`
    /// (RFC 7644 §3.12).
    public init(json: Data) throws(SCIMError) {
        do { self = try JSONDecoder().decode(SCIMValue.self, from: json) } catch {
            throw .invalidSyntax("the request body is not valid JSON")
        }
    }
}

public import Foundation

extension SCIMValue {
    /// The value as compact JSON (RFC 8259) with object members sorted by name, so equal
    /// values always give equal bytes. Non-finite numbers, which JSON cannot hold, become `null`.
    ///
    /// ```swift
    /// SCIMValue(["b": 1, "a": "Nguyễn"]).jsonString   // {"a":"Nguyễn","b":1}
    /// ```
    public var jsonString: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// ``jsonString`` as UTF-8 bytes, ready for a response body.
    public var jsonData: Data { Data(jsonString.utf8) }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): SCIMValue.writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, key) in members.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                SCIMValue.writeString(key, to: &out)
                out += ":"
                members[key]!.write(to: &out)
            }
            out += "}"
        }
    }

    /// Writes `s` as a JSON string literal: quotes, backslashes and control characters
    /// escaped, everything else as is (UTF-8).
    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

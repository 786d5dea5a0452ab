/// Renders header parameter values as an HTTP quoted-string (RFC 9110 §5.6.4).
///
/// RFC 6750 §3 limits `error_description` and `scope` to printable ASCII without `"` and `\`;
/// so the rendering keeps printable ASCII, escapes `"` and `\`, and writes anything else (control
/// characters, non-ASCII) as `?`, which keeps a hostile value from splitting the header.
enum QuotedString {
    static func quote(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x22, 0x5C: out.append("\\"); out.unicodeScalars.append(scalar)
            case 0x20...0x7E: out.unicodeScalars.append(scalar)
            default: out.append("?")
            }
        }
        out.append("\"")
        return out
    }
}

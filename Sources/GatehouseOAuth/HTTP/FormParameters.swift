/// `application/x-www-form-urlencoded` parameters (RFC 6749 Appendix B), as the endpoints
/// take them: a name-to-value dictionary in which each parameter appears once.
///
/// RFC 6749 §3.1 and §3.2 forbid repeating a parameter, and a dictionary built by a web
/// framework silently keeps one of the copies. Build the dictionary here instead, from the
/// raw body or query, or from the framework's list of pairs:
///
/// ```swift
/// let form = try FormParameters.parse("grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA")
/// let query = try FormParameters.collect(request.uri.queryParameters.map { ($0.key, $0.value) })
/// ```
public enum FormParameters {
    /// The longest form or query accepted, in bytes.
    public static let maximumLength = 64 * 1024

    /// Parses a urlencoded string (`+` is a space, `%XX` an octet of UTF-8).
    /// - Throws: `invalid_request` for a repeated name, malformed percent-encoding, or input
    ///   longer than ``maximumLength``.
    public static func parse(_ encoded: some StringProtocol) throws(OAuthError) -> [String: String] {
        guard encoded.utf8.count <= maximumLength else {
            throw OAuthError(.invalidRequest, "The request is too large.", debug: "\(encoded.utf8.count) bytes")
        }
        var pairs: [(String, String)] = []
        for field in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw OAuthError(.invalidRequest, "A parameter is not properly encoded.")
            }
            pairs.append((name, value))
        }
        return try collect(pairs)
    }

    /// Builds the dictionary from already-decoded pairs.
    /// - Throws: `invalid_request` naming a repeated parameter (RFC 6749 §3.1).
    public static func collect(_ pairs: some Sequence<(String, String)>) throws(OAuthError) -> [String: String] {
        var out: [String: String] = [:]
        for (name, value) in pairs {
            guard out.updateValue(value, forKey: name) == nil else {
                throw OAuthError(.invalidRequest, "The parameter \(printable(name)) is repeated.")
            }
        }
        return out
    }

    /// Decodes one urlencoded component; `nil` on bad `%` escapes or invalid UTF-8.
    static func decode(_ component: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.utf8.count)
        var iterator = component.utf8.makeIterator()
        while let c = iterator.next() {
            switch c {
            case UInt8(ascii: "+"): bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let h = iterator.next().flatMap(hexValue), let l = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(h << 4 | l)
            default: bytes.append(c)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Encodes pairs as `a=b&c=d`, escaping everything but RFC 3986 unreserved characters.
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes all but `A-Z a-z 0-9 - . _ ~`.
    static func escape(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])"
            }
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A parameter name for an error message: at most 40 printable ASCII characters.
    static func printable(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }.prefix(40).map(Character.init))
    }
}

/// Reading parameters by the rules every endpoint shares: a parameter sent without a value
/// counts as absent (RFC 6749 §3.1), and each has a size limit.
struct ParameterReader {
    let parameters: [String: String]

    /// The value of `name`, or `nil` when absent or empty.
    /// - Throws: `invalid_request` when longer than `maximumLength` bytes.
    func optional(_ name: String, maximumLength: Int = 2048) throws(OAuthError) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        guard value.utf8.count <= maximumLength else {
            throw OAuthError(.invalidRequest, "The parameter \(name) is too long.", debug: "\(value.utf8.count) bytes")
        }
        return value
    }

    /// The value of `name`.
    /// - Throws: `invalid_request` when absent, empty or too long.
    func required(_ name: String, maximumLength: Int = 2048) throws(OAuthError) -> String {
        guard let value = try optional(name, maximumLength: maximumLength) else {
            throw OAuthError(.invalidRequest, "The parameter \(name) is required.")
        }
        return value
    }
}

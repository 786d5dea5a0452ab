/// What an `Authorization` header holds, read by RFC 6750 §2.1:
/// `credentials = "Bearer" 1*SP b64token`, the scheme case-insensitive (RFC 9110 §11.1).
///
/// ```swift
/// BearerCredentials("Bearer eyJ…")    // .token("eyJ…")
/// BearerCredentials("Basic dXNlcjpw") // .absent: another scheme is no bearer credential
/// BearerCredentials("Bearer")         // .malformed(…)
/// ```
public enum BearerCredentials: Sendable, Hashable {
    /// No header, an empty one, or another authentication scheme (RFC 6750 §3.1: no error code).
    case absent
    /// A syntactically valid bearer token.
    case token(String)
    /// `Bearer` with no token, or a token with characters outside `b64token`: `invalid_request`.
    case malformed(String)

    /// Reads one `Authorization` header value.
    public init(_ header: String?) {
        guard let header else { self = .absent; return }
        let value = header.utf8.drop { $0 == 0x20 || $0 == 0x09 }
        guard !value.isEmpty else { self = .absent; return }
        let scheme = value.prefix { $0 != 0x20 && $0 != 0x09 }
        guard scheme.count == 6, scheme.elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 }) else {
            self = .absent
            return
        }
        var rest = value.dropFirst(6)
        guard rest.first == 0x20 else {
            self = .malformed("the Bearer scheme must be followed by a space and the token")
            return
        }
        rest = rest.drop { $0 == 0x20 }
        while let last = rest.last, last == 0x20 || last == 0x09 { rest = rest.dropLast() }
        guard !rest.isEmpty else { self = .malformed("the Authorization header has no bearer token"); return }
        guard BearerCredentials.isB64Token(rest) else {
            self = .malformed("the bearer token holds characters RFC 6750 §2.1 does not allow")
            return
        }
        self = .token(String(decoding: rest, as: UTF8.self))
    }

    /// `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="` (RFC 6750 §2.1).
    static func isB64Token(_ bytes: Substring.UTF8View.SubSequence) -> Bool {
        let body = bytes.reversed().drop { $0 == UInt8(ascii: "=") }
        guard !body.isEmpty else { return false }
        return body.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"): true
            default: false
            }
        }
    }
}

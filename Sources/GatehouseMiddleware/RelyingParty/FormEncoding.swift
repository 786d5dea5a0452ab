import Foundation

/// `application/x-www-form-urlencoded` (the WHATWG URL standard's serializer, which OAuth
/// uses for request bodies and for client credentials in HTTP Basic, RFC 6749 §2.3.1).
enum FormEncoding {
    /// One name or value: ASCII letters, digits and `-._*` stay, a space becomes `+`, every
    /// other byte of its UTF-8 becomes `%XX`.
    static func encode(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// A whole body or query: `name=value&…`, in the order given.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    /// `client_secret_basic` credentials: each part form-encoded, then Base64 (RFC 6749 §2.3.1).
    static func basicAuthorization(clientID: String, clientSecret: String) -> String {
        "Basic " + Data((encode(clientID) + ":" + encode(clientSecret)).utf8).base64EncodedString()
    }

    /// Decodes a query string or form body into its pairs (`+` is a space); malformed escapes
    /// are kept as written.
    static func decode(_ query: Substring) -> [(String, String)] {
        query.split(separator: "&").map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func unescape(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (unescape(pieces[0]), pieces.count > 1 ? unescape(pieces[1]) : "")
        }
    }
}

private extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}

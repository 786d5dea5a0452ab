import Foundation

/// Base64 as the PHC string format uses it: the standard alphabet (RFC 4648 §4) without
/// padding.
enum PHCBase64 {
    static func encode(_ bytes: [UInt8]) -> String {
        var s = Data(bytes).base64EncodedString()
        while s.hasSuffix("=") { s.removeLast() }
        return s
    }

    /// `nil` for any character outside the alphabet, for padding, or for an impossible length.
    static func decode(_ s: some StringProtocol) -> [UInt8]? {
        guard s.utf8.allSatisfy(isAlphabet), s.utf8.count % 4 != 1 else { return nil }
        let padded = String(s) + String(repeating: "=", count: (4 - s.utf8.count % 4) % 4)
        return Data(base64Encoded: padded).map { [UInt8]($0) }
    }

    /// Standard base64 with padding, as LDAP `{SSHA}` and Django use it.
    static func decodePadded(_ s: some StringProtocol) -> [UInt8]? {
        guard s.utf8.count % 4 == 0 else { return nil }
        let body = s.utf8.prefix { $0 != UInt8(ascii: "=") }
        let padding = s.utf8.count - body.count
        guard padding <= 2, s.utf8.dropFirst(body.count).allSatisfy({ $0 == UInt8(ascii: "=") }),
              body.allSatisfy(isAlphabet) else { return nil }
        return Data(base64Encoded: String(s)).map { [UInt8]($0) }
    }

    private static func isAlphabet(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            true
        default: false
        }
    }
}

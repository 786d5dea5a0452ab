/// Escaping of untrusted text before it is spliced into a search filter or a DN.
///
/// Every value that comes from a person (a username typed on the login page, a name from a
/// CSV file) goes through one of these before it reaches the directory. Without them,
/// `*)(uid=*` typed as a username turns `(uid=NAME)` into a filter that matches everyone.
///
/// ```swift
/// let filter = "(&(objectClass=inetOrgPerson)(uid=\(LDAPEscape.filterValue(username))))"
/// let dn = "cn=\(LDAPEscape.dnValue("Ngô Bảo Châu, PGS.")),ou=hue,dc=gatehouse,dc=test"
/// ```
public enum LDAPEscape {
    /// Escapes `value` for use as an assertion value inside a search filter (RFC 4515 §3).
    ///
    /// `*`, `(`, `)`, `\` and NUL become `\2a`, `\28`, `\29`, `\5c` and `\00`: the value then
    /// matches only itself, never as a wildcard or as filter syntax. Every other character,
    /// including non-ASCII UTF-8 such as Vietnamese letters, stays as it is (RFC 4515 §3
    /// allows UTF-8 in `valueencoding`).
    ///
    /// ```swift
    /// LDAPEscape.filterValue("*)(uid=*")      // "\2a\29\28uid=\2a"
    /// LDAPEscape.filterValue("Nguyễn Văn An")  // unchanged
    /// ```
    public static func filterValue(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case 0x00, 0x28, 0x29, 0x2A, 0x5C:
                out.append(UInt8(ascii: "\\"))
                out.append(contentsOf: hexPair(byte))
            default:
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Escapes `value` for use as an attribute value in a DN string (RFC 4514 §2.4).
    ///
    /// `"`, `+`, `,`, `;`, `<`, `>`, `\` and `=` are preceded by a backslash; a space or `#` at
    /// the start and a space at the end are preceded by a backslash; NUL becomes `\00`.
    /// Non-ASCII UTF-8 stays as it is.
    ///
    /// ```swift
    /// LDAPEscape.dnValue("#Ngô Bảo Châu, PGS.")  // "\#Ngô Bảo Châu\, PGS."
    /// ```
    public static func dnValue(_ value: String) -> String {
        let bytes = Array(value.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case 0x00:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            case UInt8(ascii: "\""), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
                UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"), UInt8(ascii: "="):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "#") where index == 0:
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: " ") where index == 0 || index == bytes.count - 1:
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            default:
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func hexPair(_ byte: UInt8) -> [UInt8] {
        [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
    }
}

internal import GatehouseCore

extension AttributeTypeAndValue {
    /// The numeric OIDs of the usual naming attributes (RFC 4519, RFC 4524 for `dc` and `uid`),
    /// so `2.5.4.3=x` and `cn=x` compare equal.
    private static let namesByOID: [String: String] = [
        "2.5.4.3": "cn",
        "2.5.4.4": "sn",
        "2.5.4.6": "c",
        "2.5.4.7": "l",
        "2.5.4.8": "st",
        "2.5.4.9": "street",
        "2.5.4.10": "o",
        "2.5.4.11": "ou",
        "2.5.4.42": "givenname",
        "0.9.2342.19200300.100.1.1": "uid",
        "0.9.2342.19200300.100.1.25": "dc",
    ]

    /// Long names some servers use for the same types (RFC 4519).
    private static let aliases: [String: String] = [
        "commonname": "cn",
        "surname": "sn",
        "countryname": "c",
        "localityname": "l",
        "stateorprovincename": "st",
        "streetaddress": "street",
        "organizationname": "o",
        "organizationalunitname": "ou",
        "userid": "uid",
        "domaincomponent": "dc",
    ]

    /// The attribute type in the form used for comparison: lower case, known OIDs and long
    /// names replaced by the short name. Descriptors are case-insensitive (RFC 4512 §2.5).
    static func canonicalType(_ type: String) -> String {
        var t = type.lowercased()
        if t.hasPrefix("oid.") { t.removeFirst(4) }
        return namesByOID[t] ?? aliases[t] ?? t
    }

    /// `value` prepared for `caseIgnoreMatch` (RFC 4517 §4.2.11 with RFC 4518): NFC, case
    /// folded, leading and trailing spaces removed and inner runs of spaces made one.
    static func caseIgnoreKey(_ value: String) -> String {
        let folded = Text.nfc(value).lowercased()
        var out = ""
        out.reserveCapacity(folded.utf8.count)
        var pendingSpace = false
        for ch in folded {
            if ch == " " {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(ch)
        }
        return out
    }
}

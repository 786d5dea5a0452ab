// Fuzz target: RFC 4514 DN parsing and the escaping of untrusted text into DNs and search
// filters (GatehouseLDAP: DistinguishedName / DNParser, LDAPEscape). Only the module's pure
// files are compiled in (scripts/fuzz.sh); nothing here talks to libldap.
//
// Invariants:
// - a DN that parses, written back with `description`, parses to the same RDNs with the same
//   types and values, byte for byte;
// - any text escaped with `LDAPEscape.dnValue` and put in a DN parses back to exactly that
//   text, also between other RDNs and inside a multi-valued RDN;
// - `LDAPEscape.filterValue` leaves no `*`, `(`, `)` or NUL, every `\` starts a hex pair
//   (RFC 4515 §3), and undoing the pairs gives the text back.
@testable import GatehouseLDAP

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    checkParse(text)
    checkDNEscape(text)
    checkFilterEscape(text)
    return 0
}

func checkParse(_ text: String) {
    guard let dn = try? DistinguishedName(text) else { return }
    let written = dn.description
    guard let again = try? DistinguishedName(written) else {
        invariant(false, "the DN written back as \(written) does not parse")
        return
    }
    invariant(again == dn, "the DN written back as \(written) is another DN")
    invariant(again.rdns.map(\.attributes.count) == dn.rdns.map(\.attributes.count), "the RDN shapes differ after \(written)")
    for (a, b) in zip(again.rdns.flatMap(\.attributes), dn.rdns.flatMap(\.attributes)) {
        invariant(Array(a.type.utf8) == Array(b.type.utf8) && Array(a.value.utf8) == Array(b.value.utf8)
            && a.isHexEncoded == b.isHexEncoded, "\(b.type)=\(b.value) comes back as \(a.type)=\(a.value) from \(written)")
    }
    if let parent = dn.parent { invariant(dn.isDescendant(of: parent), "a DN is not below its parent") }
}

func checkDNEscape(_ value: String) {
    let escaped = LDAPEscape.dnValue(value)
    let single = "cn=" + escaped
    guard single.utf8.count <= DistinguishedName.maximumLength else { return }
    do {
        let dn = try DistinguishedName(single)
        invariant(dn.rdns.count == 1 && dn.rdns[0].attributes.count == 1, "an escaped value splits into several parts: \(single)")
        let part = dn.rdns[0].attributes[0]
        invariant(!part.isHexEncoded && Array(part.value.utf8) == Array(value.utf8), "escaped \(single) parses to '\(part.value)'")
    } catch {
        invariant(false, "an escaped value does not parse: \(single): \(error)")
    }
    let nested = "uid=" + escaped + "+cn=" + escaped + ",ou=" + escaped + ",dc=gatehouse,dc=test"
    guard nested.utf8.count <= DistinguishedName.maximumLength else { return }
    guard let dn = try? DistinguishedName(nested) else {
        invariant(false, "escaped values do not parse inside a DN: \(nested)")
        return
    }
    let values = dn.rdns.flatMap(\.attributes).map { Array($0.value.utf8) }
    let expected = [Array(value.utf8), Array(value.utf8), Array(value.utf8), Array("gatehouse".utf8), Array("test".utf8)]
    invariant(values == expected, "escaped values change inside \(nested)")
}

func checkFilterEscape(_ value: String) {
    let escaped = Array(LDAPEscape.filterValue(value).utf8)
    var decoded: [UInt8] = []
    var i = 0
    while i < escaped.count {
        let c = escaped[i]
        invariant(c != 0 && c != UInt8(ascii: "*") && c != UInt8(ascii: "(") && c != UInt8(ascii: ")"),
                  "filterValue leaves a metacharacter \(c) in \(String(decoding: escaped, as: UTF8.self))")
        if c == UInt8(ascii: "\\") {
            guard i + 2 < escaped.count, let high = hex(escaped[i + 1]), let low = hex(escaped[i + 2])
            else {
                invariant(false, "a backslash without a hex pair in \(String(decoding: escaped, as: UTF8.self))")
                return
            }
            decoded.append(high << 4 | low)
            i += 3
        } else {
            decoded.append(c)
            i += 1
        }
    }
    invariant(decoded == Array(value.utf8), "undoing filterValue does not give the value back")
}

func hex(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
    default: nil
    }
}

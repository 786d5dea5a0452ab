/// The RFC 4514 §3 grammar, over UTF-8 bytes:
///
/// ```
/// distinguishedName = [ relativeDistinguishedName *( COMMA relativeDistinguishedName ) ]
/// relativeDistinguishedName = attributeTypeAndValue *( PLUS attributeTypeAndValue )
/// attributeTypeAndValue = attributeType EQUALS attributeValue
/// attributeType = descr / numericoid
/// attributeValue = string / hexstring
/// pair = ESC ( ESC / special / hexpair )
/// ```
///
/// Beyond the grammar, and as RFC 4514 §3 allows, it accepts what older servers write: spaces
/// around `,`, `+` and `=`, and `;` between RDNs (RFC 1779). Unescaped spaces at either end of
/// a value are not part of it (`leadchar` and `trailchar` exclude them).
struct DNParser {
    private let bytes: [UInt8]
    private let text: String
    private var index = 0

    static func parse(_ string: String) throws(LDAPError) -> [RelativeDistinguishedName] {
        guard string.utf8.count <= DistinguishedName.maximumLength else {
            throw LDAPError(.invalidDNSyntax, "invalid DN: longer than \(DistinguishedName.maximumLength) bytes")
        }
        var parser = DNParser(bytes: Array(string.utf8), text: string)
        return try parser.parseDN()
    }

    private init(bytes: [UInt8], text: String) {
        self.bytes = bytes
        self.text = text
    }

    private var atEnd: Bool { index >= bytes.count }
    private var current: UInt8? { atEnd ? nil : bytes[index] }

    private func failure(_ why: String) -> LDAPError {
        let shown = text.count > 200 ? String(text.prefix(200)) + "…" : text
        return LDAPError(.invalidDNSyntax, "invalid DN '\(shown)': \(why) at byte \(index)")
    }

    private mutating func skipSpaces() {
        while current == UInt8(ascii: " ") { index += 1 }
    }

    private mutating func parseDN() throws(LDAPError) -> [RelativeDistinguishedName] {
        skipSpaces()
        if atEnd { return [] }
        var rdns: [RelativeDistinguishedName] = []
        var parts: [AttributeTypeAndValue] = []
        while true {
            parts.append(try parseAttributeTypeAndValue())
            skipSpaces()
            guard let separator = current else {
                rdns.append(RelativeDistinguishedName(parts))
                return rdns
            }
            index += 1
            switch separator {
            case UInt8(ascii: "+"):
                continue
            case UInt8(ascii: ","), UInt8(ascii: ";"):
                rdns.append(RelativeDistinguishedName(parts))
                parts = []
            default:
                index -= 1
                throw failure("expected ',' or '+'")
            }
        }
    }

    private mutating func parseAttributeTypeAndValue() throws(LDAPError) -> AttributeTypeAndValue {
        skipSpaces()
        let type = try parseAttributeType()
        skipSpaces()
        guard current == UInt8(ascii: "=") else { throw failure("expected '=' after the attribute type") }
        index += 1
        skipSpaces()
        if current == UInt8(ascii: "#") {
            return AttributeTypeAndValue(type: type, value: try parseHexString(), isHexEncoded: true)
        }
        return AttributeTypeAndValue(type: type, value: try parseString(), isHexEncoded: false)
    }

    /// `descr = ALPHA *( ALPHA / DIGIT / HYPHEN )` or `numericoid = number 1*( DOT number )`
    /// (RFC 4512 §1.4), optionally prefixed with `OID.` as some servers write.
    private mutating func parseAttributeType() throws(LDAPError) -> String {
        let start = index
        guard let first = current else { throw failure("expected an attribute type") }
        if isAlpha(first) {
            while let c = current, isAlpha(c) || isDigit(c) || c == UInt8(ascii: "-") { index += 1 }
            // "OID.2.5.4.3"
            if index - start == 3, current == UInt8(ascii: "."),
                String(decoding: bytes[start..<index], as: UTF8.self).lowercased() == "oid"
            {
                index += 1
                try parseNumericOID()
            }
        } else if isDigit(first) {
            try parseNumericOID()
        } else {
            throw failure("expected an attribute type")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func parseNumericOID() throws(LDAPError) {
        while true {
            guard let c = current, isDigit(c) else { throw failure("expected a digit in the OID") }
            // number = DIGIT / ( LDIGIT 1*DIGIT ): no leading zeros.
            let numberStart = index
            while let d = current, isDigit(d) { index += 1 }
            if bytes[numberStart] == UInt8(ascii: "0") && index - numberStart > 1 {
                throw failure("leading zero in an OID number")
            }
            guard current == UInt8(ascii: ".") else { return }
            index += 1
        }
    }

    /// `hexstring = SHARP 1*hexpair`: the BER encoding of the value, kept as written.
    private mutating func parseHexString() throws(LDAPError) -> String {
        let start = index
        index += 1
        var pairs = 0
        while let c = current, hexValue(c) != nil {
            guard index + 1 < bytes.count, hexValue(bytes[index + 1]) != nil else {
                throw failure("odd number of hex digits")
            }
            index += 2
            pairs += 1
        }
        guard pairs > 0 else { throw failure("expected hex digits after '#'") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// `string`: escaped characters and hex pairs decoded to bytes, which must form UTF-8.
    private mutating func parseString() throws(LDAPError) -> String {
        var value: [UInt8] = []
        // The length of `value` up to its last character that is not an unescaped space.
        var significant = 0
        loop: while let c = current {
            switch c {
            case UInt8(ascii: ","), UInt8(ascii: "+"), UInt8(ascii: ";"):
                break loop
            case UInt8(ascii: "\\"):
                index += 1
                guard let next = current else { throw failure("a '\\' ends the DN") }
                if let high = hexValue(next) {
                    guard index + 1 < bytes.count, let low = hexValue(bytes[index + 1]) else {
                        throw failure("expected two hex digits after '\\'")
                    }
                    value.append(high << 4 | low)
                    index += 2
                } else if Self.escapable.contains(next) {
                    value.append(next)
                    index += 1
                } else {
                    throw failure("'\\' before a character that needs no escaping")
                }
                significant = value.count
            case 0x00, UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"):
                throw failure("unescaped '\(Character(Unicode.Scalar(c)))'")
            case UInt8(ascii: " "):
                value.append(c)
                index += 1
            default:
                value.append(c)
                index += 1
                significant = value.count
            }
        }
        guard let decoded = String(validating: value[..<significant], as: UTF8.self) else {
            throw failure("the value is not UTF-8")
        }
        return decoded
    }

    /// The characters RFC 4514 lets follow a backslash: ESC and `special`.
    private static let escapable: Set<UInt8> = Set(##"\ "#+,;<=>"##.utf8)

    private func isAlpha(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

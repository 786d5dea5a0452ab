/// A distinguished name: the sequence of RDNs that names a directory entry (RFC 4514 §2).
///
/// Parse DNs instead of comparing their strings: a server spells the same DN in more than one
/// way. slapd writes `cn=\#Ngô\, PGS.` back as `cn=\23Ngô\2C PGS.`, Active Directory writes
/// `CN=` and `OU=`, and a multi-valued RDN may come back with its parts in another order.
/// Equality here ignores all of that:
///
/// ```swift
/// let written = try DistinguishedName(##"cn=\#Ngô Bảo Châu\, PGS.,ou=hue,dc=gatehouse,dc=test"##)
/// let returned = try DistinguishedName(#"CN=\23Ngô Bảo Châu\2C PGS.,OU=Hue,DC=gatehouse,DC=test"#)
/// written == returned  // true
/// ```
///
/// Attribute types compare case-insensitively, and the common naming types (`cn`, `ou`, `dc`,
/// `uid`, …) also match their numeric OIDs (`2.5.4.3`). Values compare after unescaping, NFC
/// normalisation, case folding and insignificant-space handling: the rules of `caseIgnoreMatch`
/// (RFC 4517 §4.2.11, RFC 4518), which every usual naming attribute uses. Multi-valued RDNs
/// compare as sets (RFC 4512 §2.3.1).
public struct DistinguishedName: Sendable, Hashable, CustomStringConvertible {
    /// The RDNs, the entry's own first: `uid=an,ou=hue,dc=test` has `uid=an` first.
    public let rdns: [RelativeDistinguishedName]

    /// The longest DN string accepted, in UTF-8 bytes.
    public static let maximumLength = 16 * 1024

    /// Parses an RFC 4514 DN string. Throws `LDAPError` with code `invalidDNSyntax`.
    public init(_ string: String) throws(LDAPError) {
        rdns = try DNParser.parse(string)
    }

    /// A DN made of `rdns`, the entry's own first.
    public init(rdns: [RelativeDistinguishedName]) {
        self.rdns = rdns
    }

    /// The empty DN (zero RDNs), which names the root DSE.
    public var isEmpty: Bool { rdns.isEmpty }

    /// The DN of the entry above this one, or nil for the empty DN.
    public var parent: DistinguishedName? {
        rdns.isEmpty ? nil : DistinguishedName(rdns: Array(rdns.dropFirst()))
    }

    /// Whether this DN lies strictly below `ancestor` (any depth).
    ///
    /// ```swift
    /// try DistinguishedName("uid=an,ou=hue,dc=test").isDescendant(of: DistinguishedName("dc=test"))  // true
    /// ```
    public func isDescendant(of ancestor: DistinguishedName) -> Bool {
        rdns.count > ancestor.rdns.count && Array(rdns.suffix(ancestor.rdns.count)) == ancestor.rdns
    }

    /// The RFC 4514 string, with values escaped by `LDAPEscape.dnValue(_:)`.
    public var description: String {
        rdns.map(\.description).joined(separator: ",")
    }
}

/// A relative distinguished name: one or more attribute assertions joined by `+`
/// (RFC 4514 §2.2, RFC 4512 §2.3.1), such as `cn=Đỗ Thị Hà+uid=do.thi.ha`.
public struct RelativeDistinguishedName: Sendable, Hashable, CustomStringConvertible {
    /// The parts, in the order they were written. Equality ignores the order.
    public let attributes: [AttributeTypeAndValue]
    private let key: [String]

    /// An RDN made of `attributes` (at least one).
    public init(_ attributes: [AttributeTypeAndValue]) {
        self.attributes = attributes
        key = attributes.map(\.key).sorted()
    }

    /// An RDN with one part: `type=value`.
    public init(type: String, value: String) {
        self.init([AttributeTypeAndValue(type: type, value: value)])
    }

    /// The value of the part whose type is `type` (case-insensitive), if any.
    public func value(of type: String) -> String? {
        let wanted = AttributeTypeAndValue.canonicalType(type)
        return attributes.first { AttributeTypeAndValue.canonicalType($0.type) == wanted }?.value
    }

    public static func == (a: RelativeDistinguishedName, b: RelativeDistinguishedName) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    public var description: String { attributes.map(\.description).joined(separator: "+") }
}

/// One `type=value` part of an RDN (RFC 4514 §2.3, §2.4).
public struct AttributeTypeAndValue: Sendable, Hashable, CustomStringConvertible {
    /// The attribute type as written: a name (`cn`, `CN`) or a numeric OID (`2.5.4.3`).
    public let type: String
    /// The value, unescaped. For a value written in the `#` hex form (a BER encoding,
    /// RFC 4514 §2.4), the `#` and the hex digits as written.
    public let value: String
    /// Whether the value was written in the `#` hex form.
    public let isHexEncoded: Bool
    let key: String

    /// A part with `type` and the plain (unescaped) `value`.
    public init(type: String, value: String) {
        self.init(type: type, value: value, isHexEncoded: false)
    }

    init(type: String, value: String, isHexEncoded: Bool) {
        self.type = type
        self.value = value
        self.isHexEncoded = isHexEncoded
        let normalisedValue = isHexEncoded ? value.lowercased() : Self.caseIgnoreKey(value)
        key = Self.canonicalType(type) + "=" + normalisedValue
    }

    public static func == (a: AttributeTypeAndValue, b: AttributeTypeAndValue) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    public var description: String {
        type + "=" + (isHexEncoded ? value : LDAPEscape.dnValue(value))
    }
}

internal import GatehouseCore

/// A directory entry returned by a search (RFC 4511 §4.5.2 `SearchResultEntry`).
///
/// Values are bytes, as the protocol carries them; the `string` helpers decode UTF-8 and
/// normalise to NFC, because a directory may hold names in NFD (some provisioning tools write
/// them so) and Gatehouse stores and compares NFC.
///
/// ```swift
/// let name = entry.string("cn")            // "Nguyễn Văn An", NFC
/// let uuid = entry.string("entryUUID")     // ask for "+" or "entryUUID" in the search
/// let dn = try entry.distinguishedName     // parsed, for comparison
/// ```
public struct LDAPEntry: Sendable, Hashable {
    /// The DN as the server spelled it (escapes may differ from how it was written: compare
    /// `distinguishedName`, never this string).
    public let dn: String
    /// The attributes in the order the server sent them.
    public let attributes: [LDAPAttribute]

    public init(dn: String, attributes: [LDAPAttribute]) {
        self.dn = dn
        self.attributes = attributes
    }

    /// The parsed DN, for comparison.
    public var distinguishedName: DistinguishedName {
        get throws(LDAPError) { try DistinguishedName(dn) }
    }

    /// The attribute named `name`, compared case-insensitively (RFC 4512 §2.5).
    public func attribute(_ name: String) -> LDAPAttribute? {
        let wanted = name.lowercased()
        return attributes.first { $0.name.lowercased() == wanted }
    }

    /// The raw values of `name`; empty when the entry has no such attribute.
    public func values(_ name: String) -> [[UInt8]] { attribute(name)?.values ?? [] }

    /// The values of `name` decoded as UTF-8 and normalised to NFC; values that are not
    /// UTF-8 (binary attributes) are left out.
    public func strings(_ name: String) -> [String] { attribute(name)?.strings ?? [] }

    /// The first value of `name` as an NFC string.
    public func string(_ name: String) -> String? { strings(name).first }
}

/// An attribute of an entry: its description and values (RFC 4511 §4.1.7).
public struct LDAPAttribute: Sendable, Hashable {
    /// The attribute description as the server sent it (`cn`, `entryUUID`, `cn;lang-vi`).
    public let name: String
    /// The values, as bytes.
    public let values: [[UInt8]]

    public init(_ name: String, values: [[UInt8]]) {
        self.name = name
        self.values = values
    }

    /// An attribute with UTF-8 text values.
    public init(_ name: String, _ values: [String]) {
        self.init(name, values: values.map { Array($0.utf8) })
    }

    /// The values decoded as UTF-8 and normalised to NFC; values that are not UTF-8 are left out.
    public var strings: [String] {
        values.compactMap { String(validating: $0, as: UTF8.self).map(Text.nfc) }
    }
}

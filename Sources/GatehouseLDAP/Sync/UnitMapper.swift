public import GatehouseCore

/// Gives an entry its home unit from its DN, by the configuration's unit rules: the first rule
/// that matches wins. DNs are compared parsed, RDN by RDN, never as strings.
///
/// ```swift
/// let mapper = UnitMapper(rules: configuration.unitRules)
/// mapper.unit(for: try DistinguishedName("uid=an,ou=Phường Hoàn Kiếm,ou=people,dc=hanoi"))  // /ha-noi/phuong-hoan-kiem
/// ```
///
/// A directory of a whole country has thousands of rules (one per commune), so they are
/// indexed: an entry's DN is looked up by each of its proper suffixes and each of its `ou`
/// values, a few dictionary lookups however many rules there are.
public struct UnitMapper: Sendable {
    private let units: [UnitPath]
    /// `caseIgnoreMatch` key of an `ou` value → the first rule that names it.
    private let organizationalUnits: [String: Int]
    /// `canonicalKey` of a suffix DN → the first rule that names it.
    private let suffixes: [String: Int]

    public init(rules: [DirectorySyncConfiguration.UnitRule]) {
        units = rules.map(\.unit)
        var organizationalUnits: [String: Int] = [:], suffixes: [String: Int] = [:]
        for (index, rule) in rules.enumerated() {
            switch rule.match {
            case .organizationalUnit(let value):
                let key = AttributeTypeAndValue.caseIgnoreKey(value)
                if organizationalUnits[key] == nil { organizationalUnits[key] = index }
            case .dnSuffix(let suffix):
                let key = suffix.canonicalKey
                if suffixes[key] == nil { suffixes[key] = index }
            }
        }
        self.organizationalUnits = organizationalUnits
        self.suffixes = suffixes
    }

    /// The unit of the entry named `dn`, or nil when no rule matches.
    public func unit(for dn: DistinguishedName) -> UnitPath? {
        var first = Int.max
        // Proper suffixes, shortest first: the entry lies strictly below the rule's DN.
        var key = ""
        for rdn in dn.rdns.dropFirst().reversed() {
            key = key.isEmpty ? rdn.canonicalKey : rdn.canonicalKey + "," + key
            if let index = suffixes[key] { first = min(first, index) }
        }
        for rdn in dn.rdns {
            for part in rdn.attributes where !part.isHexEncoded && AttributeTypeAndValue.canonicalType(part.type) == "ou" {
                if let index = organizationalUnits[AttributeTypeAndValue.caseIgnoreKey(part.value)] { first = min(first, index) }
            }
        }
        return first == .max ? nil : units[first]
    }
}

/// The members of each mapped group, by DN key, as read at the start of a run.
///
/// Members are named by DN (`member`, RFC 4519 §2.17; `uniqueMember`, §2.40), so they are
/// resolved through `DistinguishedName.canonicalKey`. Without the refint overlay a deleted user
/// stays listed; such a member simply matches no entry. Nested groups are not expanded.
struct GroupMembership: Sendable {
    /// Per group rule (same order as the configuration's), the DN keys of its members.
    var members: [Set<String>]
    /// Rules whose group could not be read or found, with why.
    var warnings: [String] = []

    /// The member attributes read from a group entry.
    static let memberAttributes = ["member", "uniqueMember"]

    /// The indices of the rules whose group lists `dnKey`.
    func rules(containing dnKey: String) -> [Int] {
        members.indices.filter { members[$0].contains(dnKey) }
    }

    /// Per rule, a digest of the rule and its members, stable across processes: an incremental
    /// run recomputes the grants of a rule whose digest changed since the last run.
    func digests(_ rules: [DirectorySyncConfiguration.GroupRule]) -> [String: String] {
        var out: [String: String] = [:]
        for (index, rule) in rules.enumerated() {
            out[Self.ruleKey(rule)] = StableDigest.hex([rule.group.canonicalKey, rule.role, rule.unit.description] + members[index].sorted())
        }
        return out
    }

    static func ruleKey(_ rule: DirectorySyncConfiguration.GroupRule) -> String {
        "\(rule.role)@\(rule.unit) \(rule.group.canonicalKey)"
    }

    /// The DN keys of a group entry's members; values that are not DNs are counted in `unparsable`.
    static func memberKeys(_ entry: LDAPEntry) -> (keys: Set<String>, unparsable: Int) {
        var keys = Set<String>()
        var unparsable = 0
        for attribute in memberAttributes {
            for value in entry.strings(attribute) {
                // uniqueMember may end in an optional `#'…'B` uid (RFC 4517 §3.3.21 NameAndOptionalUID).
                let dn = attribute == "uniqueMember" ? Self.droppingOptionalUID(value) : value
                if let parsed = try? DistinguishedName(dn) { keys.insert(parsed.canonicalKey) } else { unparsable += 1 }
            }
        }
        return (keys, unparsable)
    }

    private static func droppingOptionalUID(_ value: String) -> String {
        guard value.hasSuffix("'B"), let hash = value.lastIndex(of: "#"), value[value.index(after: hash)...].hasPrefix("'") else {
            return value
        }
        return String(value[..<hash])
    }
}

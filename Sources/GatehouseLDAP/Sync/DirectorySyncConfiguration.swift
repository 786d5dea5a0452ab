public import GatehouseCore

/// What to synchronise from one directory, and how entries become accounts, units and grants.
/// Built from a directory of `ldap.yaml` at the edge (the server, the command line).
///
/// ```swift
/// let configuration = try DirectorySyncConfiguration(
///     name: "ha-noi", userBase: "ou=people,dc=hanoi,dc=gov,dc=vn",
///     unitRules: [.init(match: .dnSuffix(try DistinguishedName("ou=phuong-ba-dinh,ou=people,dc=hanoi,dc=gov,dc=vn")),
///                       unit: try UnitPath("/ha-noi/phuong-ba-dinh"))],
///     groupRules: [.init(group: try DistinguishedName("cn=van-thu,ou=groups,dc=hanoi,dc=gov,dc=vn"),
///                        role: "clerk", unit: try UnitPath("/ha-noi"))])
/// ```
public struct DirectorySyncConfiguration: Sendable, Hashable {
    /// Which attribute feeds each account field.
    public struct Attributes: Sendable, Hashable {
        public var username: String
        public var displayName: String
        public var email: String
        /// A stable identifier, never reassigned: `entryUUID` (RFC 4530) on OpenLDAP, `objectGUID`
        /// on Active Directory. Accounts are keyed by it.
        public var externalID: String

        public init(username: String = "uid", displayName: String = "cn", email: String = "mail", externalID: String = "entryUUID") {
            self.username = username
            self.displayName = displayName
            self.email = email
            self.externalID = externalID
        }
    }

    /// The first rule that matches an entry's DN gives its home unit.
    public struct UnitRule: Sendable, Hashable {
        public enum Match: Sendable, Hashable {
            /// An `ou` RDN with this value anywhere in the DN (compared as `caseIgnoreMatch`, NFC).
            case organizationalUnit(String)
            /// The DN lies below this one (compared RDN by RDN).
            case dnSuffix(DistinguishedName)
        }

        public var match: Match
        public var unit: UnitPath

        public init(match: Match, unit: UnitPath) {
            self.match = match
            self.unit = unit
        }
    }

    /// Members of `group` hold `role` at `unit`.
    public struct GroupRule: Sendable, Hashable {
        public var group: DistinguishedName
        public var role: String
        public var unit: UnitPath

        public init(group: DistinguishedName, role: String, unit: UnitPath) {
            self.group = group
            self.role = role
            self.unit = unit
        }
    }

    /// How incremental runs find what changed.
    public enum IncrementalMethod: String, Sendable, Hashable {
        /// RFC 4533 when the server advertises it and the external id is `entryUUID`, else
        /// `modifyTimestamp`.
        case automatic
        /// RFC 4533 content synchronisation (refreshOnly, with a stored cookie).
        case contentSync = "content-sync"
        /// A search for `modifyTimestamp>=` the last one seen. Deleted entries are noticed only
        /// by the next full run.
        case modifyTimestamp = "modify-timestamp"
    }

    /// The directory's name in `ldap.yaml`; accounts carry it as their source.
    public var name: String
    public var userBase: String
    /// An RFC 4515 filter in parentheses. An entry that stops matching it is treated as gone.
    public var userFilter: String
    /// The filter a mapped group's entry must match.
    public var groupFilter: String
    public var attributes: Attributes
    public var unitRules: [UnitRule]
    public var groupRules: [GroupRule]
    /// Entries per page of a full read (RFC 2696).
    public var pageSize: Int
    /// Accounts written per transaction.
    public var batchSize: Int
    /// A run is full when the last full run is older than this.
    public var fullSyncInterval: Duration
    public var incrementalMethod: IncrementalMethod
    /// How long the lease of a run lasts between renewals (each batch renews it).
    public var leaseDuration: Duration
    /// `cached_password_fallback`: whether verifiers of directory passwords are kept for logins
    /// while the directory is down. When off, every run forgets any that are kept.
    public var keepsPasswordVerifiers: Bool

    public init(
        name: String, userBase: String, userFilter: String = "(objectClass=inetOrgPerson)",
        groupFilter: String = "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))", attributes: Attributes = Attributes(),
        unitRules: [UnitRule] = [], groupRules: [GroupRule] = [], pageSize: Int = 500, batchSize: Int = 500,
        fullSyncInterval: Duration = .seconds(24 * 3600), incrementalMethod: IncrementalMethod = .automatic,
        leaseDuration: Duration = .seconds(120), keepsPasswordVerifiers: Bool = false
    ) {
        self.name = name
        self.userBase = userBase
        self.userFilter = userFilter
        self.groupFilter = groupFilter
        self.attributes = attributes
        self.unitRules = unitRules
        self.groupRules = groupRules
        self.pageSize = max(1, pageSize)
        self.batchSize = max(1, batchSize)
        self.fullSyncInterval = fullSyncInterval
        self.incrementalMethod = incrementalMethod
        self.leaseDuration = leaseDuration
        self.keepsPasswordVerifiers = keepsPasswordVerifiers
    }

    /// The audit actor of everything a synchronisation does: `ldap:NAME`.
    public var actor: String { "ldap:\(name)" }

    /// A digest of everything that decides what an entry becomes. When it changes, the next
    /// run is full, so entries that did not change in the directory are mapped again.
    var digest: String {
        var parts = [userBase, userFilter, attributes.username, attributes.displayName, attributes.email, attributes.externalID]
        for rule in unitRules {
            switch rule.match {
            case .organizationalUnit(let ou): parts.append("ou:" + AttributeTypeAndValue.caseIgnoreKey(ou))
            case .dnSuffix(let dn): parts.append("suffix:" + dn.canonicalKey)
            }
            parts.append(rule.unit.description)
        }
        return StableDigest.hex(parts)
    }
}

/// FNV-1a 64 over length-prefixed parts: a digest that is the same in every process (Swift's
/// `Hasher` is seeded per process). For change detection, not for security.
enum StableDigest {
    static func hex(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        for part in parts {
            for byte in String(part.utf8.count).utf8 { mix(byte) }
            mix(0x3A)
            for byte in part.utf8 { mix(byte) }
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

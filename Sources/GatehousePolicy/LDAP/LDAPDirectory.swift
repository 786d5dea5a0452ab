public import Foundation
public import GatehouseCore

/// `Policies/ldap.yaml`: the LDAP directories Gatehouse bridges to.
public struct LDAPPolicy: Hashable, Sendable {
    public var directories: [LDAPDirectory]
    public init(directories: [LDAPDirectory]) { self.directories = directories }
    /// No directory: every account is local.
    public static let defaults = LDAPPolicy(directories: [])
}

/// One directory: how to connect, where users and groups live, and how entries map onto units
/// and role grants.
public struct LDAPDirectory: Hashable, Sendable {
    /// Which entry attribute feeds each account field.
    public struct Attributes: Hashable, Sendable {
        public var username: String
        public var displayName: String
        public var email: String
        /// A stable identifier (`entryUUID` for OpenLDAP, `objectGUID` for Active Directory):
        /// accounts are keyed by it because DNs change and come back spelled differently.
        public var externalID: String
        public init(username: String = "uid", displayName: String = "cn", email: String = "mail", externalID: String = "entryUUID") {
            self.username = username
            self.displayName = displayName
            self.email = email
            self.externalID = externalID
        }
    }

    /// Which entries belong to which unit.
    public struct UnitRule: Hashable, Sendable {
        public enum Match: Hashable, Sendable {
            /// An `ou` value anywhere in the entry's DN (compared after NFC, case-insensitively).
            case organizationalUnit(String)
            /// The entry's DN ends with this DN (compared RDN by RDN, not as a string).
            case dnSuffix(String)
        }
        public var match: Match
        public var unit: UnitPath
        public init(match: Match, unit: UnitPath) { self.match = match; self.unit = unit }
    }

    /// Members of `group` hold `role` at `unit`.
    public struct GroupRole: Hashable, Sendable {
        public var group: String
        public var role: String
        public var unit: UnitPath
        public init(group: String, role: String, unit: UnitPath) { self.group = group; self.role = role; self.unit = unit }
    }

    public var name: String
    public var url: String
    public var startTLS: Bool
    public var caFile: String?
    public var verifyCertificate: Bool
    public var bindDN: String
    public var bindPassword: SecretSource
    public var userBase: String
    public var userFilter: String
    public var groupBase: String?
    public var groupFilter: String
    public var attributes: Attributes
    /// Tried in order; the first match decides an entry's home unit.
    public var unitRules: [UnitRule]
    public var groupRoles: [GroupRole]
    public var syncInterval: TimeInterval
    /// Let officials log in with the last password that bound successfully while the directory
    /// is unreachable. Off by default: it keeps a verifier of a password the directory owns.
    public var cachedPasswordFallback: Bool

    public init(
        name: String, url: String, startTLS: Bool = false, caFile: String? = nil, verifyCertificate: Bool = true,
        bindDN: String, bindPassword: SecretSource, userBase: String, userFilter: String = "(objectClass=inetOrgPerson)",
        groupBase: String? = nil, groupFilter: String = "(objectClass=groupOfNames)", attributes: Attributes = Attributes(),
        unitRules: [UnitRule] = [], groupRoles: [GroupRole] = [], syncInterval: TimeInterval = 900,
        cachedPasswordFallback: Bool = false
    ) {
        self.name = name
        self.url = url
        self.startTLS = startTLS
        self.caFile = caFile
        self.verifyCertificate = verifyCertificate
        self.bindDN = bindDN
        self.bindPassword = bindPassword
        self.userBase = userBase
        self.userFilter = userFilter
        self.groupBase = groupBase
        self.groupFilter = groupFilter
        self.attributes = attributes
        self.unitRules = unitRules
        self.groupRoles = groupRoles
        self.syncInterval = syncInterval
        self.cachedPasswordFallback = cachedPasswordFallback
    }
}

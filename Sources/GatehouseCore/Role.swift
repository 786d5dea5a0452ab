public import Foundation

/// A permission an administrator or official can hold, such as `accounts.create`.
/// Permissions are open strings so that applications can define their own;
/// the administrative ones Gatehouse itself checks are listed as constants.
public struct Permission: RawRepresentable, Hashable, Sendable, Codable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (a: Permission, b: Permission) -> Bool { a.rawValue < b.rawValue }

    public static let accountsCreate: Permission = "accounts.create"
    public static let accountsEdit: Permission = "accounts.edit"
    public static let accountsDisable: Permission = "accounts.disable"
    public static let accountsResetCredentials: Permission = "accounts.reset_credentials"
    public static let rolesGrant: Permission = "roles.grant"
    public static let unitsManage: Permission = "units.manage"
    public static let clientsManage: Permission = "clients.manage"
    public static let auditRead: Permission = "audit.read"

    /// Every administrative permission Gatehouse checks itself.
    public static let administrative: [Permission] = [
        .accountsCreate, .accountsEdit, .accountsDisable, .accountsResetCredentials,
        .rolesGrant, .unitsManage, .clientsManage, .auditRead,
    ]
}

/// A role as declared in `Policies/roles.yaml`.
public struct Role: Hashable, Sendable, Codable {
    /// Short name, e.g. `clerk`, `province-admin`.
    public var name: String
    public var description: String
    public var permissions: Set<Permission>
    /// Levels at which the role may be granted.
    public var grantableAt: Set<UnitLevel>
    /// Holders must use a second factor.
    public var mfaRequired: Bool
    /// Client ids that see this role in tokens; `["*"]` means every client.
    public var visibleTo: Set<String>

    public init(name: String, description: String = "", permissions: Set<Permission>, grantableAt: Set<UnitLevel>, mfaRequired: Bool = false, visibleTo: Set<String> = ["*"]) {
        self.name = name
        self.description = description
        self.permissions = permissions
        self.grantableAt = grantableAt
        self.mfaRequired = mfaRequired
        self.visibleTo = visibleTo
    }

    /// True when tokens issued to `clientID` may carry this role.
    public func isVisible(to clientID: String) -> Bool { visibleTo.contains("*") || visibleTo.contains(clientID) }
}

/// A role held by an account at a unit. It holds in the unit's whole subtree.
public struct RoleGrant: Hashable, Sendable, Codable, Identifiable {
    public var id: UUID
    public var accountID: UUID
    public var role: String
    public var unitID: UUID
    /// The account that granted it; `nil` for grants made by the command line, an import or sync.
    public var grantedBy: UUID?
    public var createdAt: Date

    public init(id: UUID, accountID: UUID, role: String, unitID: UUID, grantedBy: UUID? = nil, createdAt: Date) {
        self.id = id
        self.accountID = accountID
        self.role = role
        self.unitID = unitID
        self.grantedBy = grantedBy
        self.createdAt = createdAt
    }
}

/// A grant resolved to its unit's path, the form authorization decisions work on.
public struct EffectiveGrant: Hashable, Sendable, Codable, CustomStringConvertible {
    public var role: String
    public var unit: UnitPath
    public init(role: String, unit: UnitPath) { self.role = role; self.unit = unit }

    /// The compact token form `role@/path`, as carried in the `roles` claim.
    public var description: String { "\(role)@\(unit)" }

    /// Parses `role@/path`.
    public init(parsing s: String) throws(DomainError) {
        guard let at = s.firstIndex(of: "@") else { throw .invalidRoleGrant("'\(s)' is not ROLE@PATH") }
        let role = String(s[..<at])
        guard !role.isEmpty else { throw .invalidRoleGrant("'\(s)' has no role name") }
        self.role = role
        self.unit = try UnitPath(String(s[s.index(after: at)...]))
    }
}

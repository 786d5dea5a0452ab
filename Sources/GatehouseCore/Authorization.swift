/// The outcome of an authorization question, with the reason a person can read.
public enum Decision: Hashable, Sendable, CustomStringConvertible {
    /// Allowed by `grant` (the first grant found that confers the permission there).
    case allowed(by: EffectiveGrant)
    /// Denied, with the reason.
    case denied(reason: String)

    public var isAllowed: Bool { if case .allowed = self { true } else { false } }

    public var description: String {
        switch self {
        case .allowed(let g): "allowed by grant \(g)"
        case .denied(let why): "denied: \(why)"
        }
    }
}

/// Answers "may this account do ACTION at UNIT?" from its grants and the role catalogue.
///
/// A role granted at a unit holds in the unit's whole subtree: a grant at `/ha-noi`
/// covers `/ha-noi/phuong-ba-dinh` but not `/hue`. Pure and synchronous: the caller
/// loads the grants.
///
/// ```swift
/// let authz = Authorizer(roles: catalogue)
/// authz.decide(.accountsCreate, at: try UnitPath("/ha-noi/phuong-ba-dinh"), grants: grants)
/// ```
public struct Authorizer: Sendable {
    /// Roles by name.
    public let roles: [String: Role]

    public init(roles: [String: Role]) { self.roles = roles }
    public init(roles: [Role]) { self.roles = Dictionary(roles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }) }

    /// May the holder of `grants` exercise `permission` at `unit`?
    public func decide(_ permission: Permission, at unit: UnitPath, grants: [EffectiveGrant]) -> Decision {
        // Prefer the grant closest to the unit, so explanations name the most specific one.
        let covering = grants.filter { $0.unit.contains(unit) }.sorted { $0.unit.depth > $1.unit.depth }
        for grant in covering {
            if let role = roles[grant.role], role.permissions.contains(permission) { return .allowed(by: grant) }
        }
        if covering.isEmpty {
            return .denied(reason: "no role is granted at \(unit) or any unit above it")
        }
        let held = covering.map(\.description).joined(separator: ", ")
        return .denied(reason: "none of the grants covering \(unit) (\(held)) carries permission \(permission)")
    }

    /// The permissions `grants` confer at `unit`.
    public func permissions(at unit: UnitPath, grants: [EffectiveGrant]) -> Set<Permission> {
        grants.filter { $0.unit.contains(unit) }.reduce(into: Set()) { acc, g in
            acc.formUnion(roles[g.role]?.permissions ?? [])
        }
    }

    /// May the holder of `grants` grant (or revoke) `roleName` at `unit`?
    ///
    /// Three rules, each one a way to escalate if left out:
    /// 1. the granter holds `roles.grant` at `unit` (so only inside their subtree);
    /// 2. the role may be granted at `unit`'s level (a commune admin cannot hand out a provincial role);
    /// 3. the granter already holds every permission of the role at `unit` (no one grants more than they have).
    public func mayGrant(_ roleName: String, at unit: UnitPath, grants: [EffectiveGrant]) -> Decision {
        guard let role = roles[roleName] else { return .denied(reason: "unknown role '\(roleName)'") }
        let base = decide(.rolesGrant, at: unit, grants: grants)
        guard case .allowed = base else { return base }
        guard role.grantableAt.contains(unit.level) else {
            let levels = role.grantableAt.sorted().map(\.rawValue).joined(separator: ", ")
            return .denied(reason: "role '\(roleName)' may be granted only at level \(levels), not at \(unit.level.rawValue) unit \(unit)")
        }
        let missing = role.permissions.subtracting(permissions(at: unit, grants: grants))
        guard missing.isEmpty else {
            let list = missing.sorted().map(\.rawValue).joined(separator: ", ")
            return .denied(reason: "granting '\(roleName)' at \(unit) would confer permissions the granter does not hold there: \(list)")
        }
        return base
    }
}

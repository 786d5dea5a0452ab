public import Foundation
public import GatehouseCore

/// Who is asking: an administrator's account with the grants it holds now, and where the
/// request came from. Built per request from a verified access token (admin API, SCIM), the
/// console's session, or the command line; never cached across requests, so a revoked grant
/// stops working at once.
public struct AdminActor: Sendable, Hashable {
    /// The administrator's account id; `nil` for the command line (`cli`), which acts with the
    /// machine's authority over the whole tree.
    public var accountID: UUID?
    /// For messages and the audit detail.
    public var username: String
    /// Grants resolved to unit paths.
    public var grants: [EffectiveGrant]
    /// The OAuth client whose token carried the request, recorded in audit events.
    public var clientID: String?
    /// The client's address, recorded in audit events.
    public var sourceIP: String?

    public init(accountID: UUID?, username: String, grants: [EffectiveGrant], clientID: String? = nil, sourceIP: String? = nil) {
        self.accountID = accountID
        self.username = username
        self.grants = grants
        self.clientID = clientID
        self.sourceIP = sourceIP
    }

    /// The command line: the machine's operator, allowed everything, audited as `cli`.
    public static let commandLine = AdminActor(accountID: nil, username: "cli", grants: [])

    /// True for the command line, which the grant rules do not restrict.
    public var isCommandLine: Bool { accountID == nil }

    /// The `actor` field of audit events: the account id, or `cli`.
    public var auditName: String { accountID?.uuidString ?? "cli" }

    /// An audit record for something this actor did.
    func record(_ action: String, target: String?, unit: UnitPath?, detail: [String: String] = [:], result: AuditResult = .success,
                at time: Date) -> AuditRecord {
        var detail = detail
        if accountID != nil { detail["actor_username"] = username }
        return AuditRecord(action: action, actor: auditName, target: target, unit: unit, clientID: clientID, sourceIP: sourceIP,
                           result: result, detail: detail, time: time)
    }
}

extension Authorizer {
    /// The subtrees where `actor` holds `permission`: the reach of a search or a listing.
    /// Nested grants collapse into the outermost (a grant at `/ha-noi` makes one at
    /// `/ha-noi/phuong-ba-dinh` redundant).
    public func reach(of actor: AdminActor, for permissions: Set<Permission>) -> [UnitPath] {
        if actor.isCommandLine { return [.root] }
        let roots = actor.grants.filter { grant in
            guard let role = roles[grant.role] else { return false }
            return !role.permissions.isDisjoint(with: permissions)
        }.map(\.unit)
        return roots.filter { unit in !roots.contains { $0 != unit && $0.contains(unit) } }
            .reduce(into: [UnitPath]()) { if !$0.contains($1) { $0.append($1) } }
            .sorted(by: <)
    }

    /// Throws ``AdminError/forbidden(_:)`` with the decision's reason unless `actor` may
    /// exercise `permission` at `unit`.
    public func require(_ permission: Permission, at unit: UnitPath, actor: AdminActor) throws(AdminError) {
        if actor.isCommandLine { return }
        let decision = decide(permission, at: unit, grants: actor.grants)
        guard decision.isAllowed else {
            throw .forbidden("\(actor.username) may not \(Self.verb(permission)) at \(unit): \(decision)")
        }
    }

    /// Words for a permission in refusals.
    static func verb(_ permission: Permission) -> String {
        switch permission {
        case .accountsCreate: "create accounts"
        case .accountsEdit: "edit accounts"
        case .accountsDisable: "disable or enable accounts"
        case .accountsResetCredentials: "reset passwords or second factors"
        case .rolesGrant: "grant or revoke roles"
        case .unitsManage: "manage units"
        case .clientsManage: "manage clients"
        case .auditRead: "read the audit trail"
        default: "use \(permission)"
        }
    }
}

extension Permission {
    /// Permissions that let an administrator see accounts (to act on them).
    public static let accountViewing: Set<Permission> = [
        .accountsCreate, .accountsEdit, .accountsDisable, .accountsResetCredentials, .rolesGrant,
    ]
}

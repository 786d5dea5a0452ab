public import Foundation
public import GatehouseCore
import GatehouseStore

extension AdminService {
    /// Grants `role` at `unit` to the account. Refused unless the actor may administer the
    /// account (`roles.grant` at its home unit) and may grant the role there
    /// (``Authorizer/mayGrant(_:at:grants:)``: `roles.grant` at `unit`, the role grantable at
    /// that level, every permission of the role already held there). Nobody changes their own
    /// grants: that is what another administrator is for.
    public func grantRole(_ role: String, at unit: UnitPath, to accountID: UUID, by actor: AdminActor) async throws -> ManagedGrant {
        let authorizer = self.authorizer, now = self.now
        return try await write { tx in
            let (account, home) = try Self.account(id: accountID, requiring: .rolesGrant, actor: actor, authorizer: authorizer, tx: tx)
            try Self.checkNotSelf(account, actor: actor, verb: "grant roles to")
            try Self.requireMayGrant(role, at: unit, actor: actor, authorizer: authorizer)
            let target: OrgUnit
            do { target = try tx.unit(path: unit) } catch StoreError.notFound { throw AdminError.notFound("unit \(unit) not found") }
            let grant = RoleGrant(id: UUID(), accountID: account.id, role: role, unitID: target.id, grantedBy: actor.accountID, createdAt: now)
            do { try tx.insertGrant(grant) } catch StoreError.alreadyExists {
                throw AdminError.conflict("'\(account.username)' already holds \(role)@\(unit)")
            }
            try tx.appendAudit(actor.record(AdminAuditAction.roleGrant, target: account.id.uuidString, unit: unit,
                                            detail: ["username": account.username.value, "role": role, "home_unit": home.description], at: now))
            return ManagedGrant(id: grant.id, accountID: account.id, role: role, unit: unit, grantedBy: actor.accountID, createdAt: now)
        }
    }

    /// Revokes a grant, under the same rules as granting it.
    public func revokeGrant(id grantID: UUID, by actor: AdminActor) async throws {
        let authorizer = self.authorizer, now = self.now
        try await write { tx in
            let grant: RoleGrant
            do { grant = try tx.grant(id: grantID) } catch StoreError.notFound { throw AdminError.notFound("grant \(grantID.uuidString.lowercased()) not found") }
            let (account, _) = try Self.account(id: grant.accountID, requiring: .rolesGrant, actor: actor, authorizer: authorizer, tx: tx)
            try Self.checkNotSelf(account, actor: actor, verb: "revoke roles of")
            let unit = try tx.unit(id: grant.unitID).path
            try Self.requireMayGrant(grant.role, at: unit, actor: actor, authorizer: authorizer)
            try tx.deleteGrant(id: grantID)
            try tx.appendAudit(actor.record(AdminAuditAction.roleRevoke, target: account.id.uuidString, unit: unit,
                                            detail: ["username": account.username.value, "role": grant.role], at: now))
        }
    }

    /// The roles the actor may grant at `unit`, for the console's choices.
    public func grantableRoles(at unit: UnitPath, by actor: AdminActor) -> [Role] {
        authorizer.roles.values.filter { actor.isCommandLine || authorizer.mayGrant($0.name, at: unit, grants: actor.grants).isAllowed }
            .sorted { $0.name < $1.name }
    }

    static func requireMayGrant(_ role: String, at unit: UnitPath, actor: AdminActor, authorizer: Authorizer) throws(AdminError) {
        if actor.isCommandLine {
            guard let known = authorizer.roles[role] else { throw .invalid("unknown role '\(role)'") }
            guard known.grantableAt.contains(unit.level) else { throw .invalid("role '\(role)' may not be granted at \(unit.level.rawValue) level") }
            return
        }
        let decision = authorizer.mayGrant(role, at: unit, grants: actor.grants)
        guard decision.isAllowed else {
            if authorizer.roles[role] == nil { throw .invalid("unknown role '\(role)'") }
            throw .forbidden("\(actor.username) may not grant \(role)@\(unit): \(decision)")
        }
    }

    static func checkNotSelf(_ account: Account, actor: AdminActor, verb: String) throws(AdminError) {
        if account.id == actor.accountID { throw .forbidden("administrators cannot \(verb) themselves; ask another administrator") }
    }
}

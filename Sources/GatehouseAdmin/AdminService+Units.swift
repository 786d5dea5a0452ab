public import Foundation
public import GatehouseCore
public import GatehouseStore

/// What a unit move or merge changed, or would change under `--dry-run`.
public struct UnitReorganisation: Sendable, Hashable, Codable {
    public var action: String
    public var from: UnitPath
    public var to: UnitPath
    /// Units whose path changes (the moved unit and its descendants; for a merge, the
    /// descendants that move under the target).
    public var unitsRepathed: Int
    /// Accounts whose home unit's path or unit changes.
    public var accounts: Int
    /// Grants whose unit's path or unit changes.
    public var grants: Int
    /// Grants dropped by a merge because the account already held the role at the target.
    public var grantsDropped: Int
    /// Clients owned by units of the subtree, which follow them.
    public var clients: Int
    /// True when nothing was written.
    public var dryRun: Bool
}

/// Thrown inside a dry run's transaction to roll it back, carrying what it found.
private struct DryRunRollback: Error { let outcome: UnitReorganisation }

extension AdminService {
    /// Units of the actor's reach in `subtree` (all of it the actor may see), in tree order.
    public func units(in subtree: UnitPath, page: Page, by actor: AdminActor) async throws -> [OrgUnit] {
        let roots = authorizer.reach(of: actor, for: Set(Permission.administrative))
        let visible = roots.compactMap { root -> UnitPath? in
            if subtree.contains(root) { return root }
            if root.contains(subtree) { return subtree }
            return nil
        }
        let wanted = page.offset + page.limit
        let all = try await read { tx in try visible.flatMap { try tx.units(in: $0, page: Page(limit: wanted)) } }
        return Array(all.sorted { $0.path < $1.path }.dropFirst(page.offset).prefix(page.limit))
    }

    /// A unit the actor may see.
    public func unit(_ path: UnitPath, by actor: AdminActor) async throws -> OrgUnit {
        guard authorizer.reach(of: actor, for: Set(Permission.administrative)).contains(where: { $0.contains(path) }) else {
            throw AdminError.notFound("unit \(path) not found")
        }
        return try await read { tx in try tx.unit(path: path) }
    }

    /// Adds a unit under its parent (`units.manage` at the parent).
    public func createUnit(_ path: UnitPath, name: String, code: String? = nil, by actor: AdminActor) async throws -> OrgUnit {
        guard let parentPath = path.parent else { throw AdminError.conflict("the root unit / exists already") }
        let name = try Self.unitName(name)
        try authorizer.require(.unitsManage, at: parentPath, actor: actor)
        let now = self.now
        return try await write { tx in
            let parent: OrgUnit
            do { parent = try tx.unit(path: parentPath) } catch StoreError.notFound {
                throw AdminError.notFound("parent unit \(parentPath) not found; add it first")
            }
            let unit = OrgUnit(id: UUID(), path: path, name: name, parentID: parent.id, code: code, createdAt: now)
            try tx.insertUnit(unit)
            try tx.appendAudit(actor.record(AdminAuditAction.unitCreate, target: path.description, unit: path, detail: ["name": name], at: now))
            return unit
        }
    }

    /// Renames a unit or changes its code (`units.manage` at the unit).
    public func updateUnit(_ path: UnitPath, name: String?, code: String??, by actor: AdminActor) async throws -> OrgUnit {
        let name = try name.map(Self.unitName)
        try authorizer.require(.unitsManage, at: path, actor: actor)
        let now = self.now
        return try await write { tx in
            var unit = try tx.unit(path: path)
            var detail: [String: String] = [:]
            if let name { unit.name = name; detail["name"] = name }
            if let code { unit.code = code; detail["code"] = code ?? "" }
            let updated = try tx.updateUnit(unit)
            try tx.appendAudit(actor.record(AdminAuditAction.unitEdit, target: path.description, unit: path, detail: detail, at: now))
            return updated
        }
    }

    /// Moves `path` and its subtree under `newParent`, optionally with a new slug: one
    /// transaction, with its audit event. Accounts, grants and clients reference units by id,
    /// so all follow; a unit keeps its level (a commune moves under another province, a
    /// province stays under /). Needs `units.manage` where the unit is now and where it goes.
    /// With `dryRun`, the same work is done and rolled back, and the outcome reported.
    public func moveUnit(_ path: UnitPath, under newParent: UnitPath, slug: String? = nil, dryRun: Bool, by actor: AdminActor) async throws -> UnitReorganisation {
        guard let oldParent = path.parent else { throw AdminError.invalid("the root unit / cannot be moved") }
        guard newParent.depth == oldParent.depth else {
            throw AdminError.invalid("a move keeps a unit's level: \(path) (\(path.level.rawValue)) can move under a \(oldParent.level.rawValue)-level unit, not under \(newParent)")
        }
        try authorizer.require(.unitsManage, at: path, actor: actor)
        try authorizer.require(.unitsManage, at: newParent, actor: actor)
        let now = self.now
        return try await reorganise(dryRun: dryRun) { tx in
            let unit = try tx.unit(path: path)
            let parent: OrgUnit
            do { parent = try tx.unit(path: newParent) } catch StoreError.notFound { throw AdminError.notFound("unit \(newParent) not found") }
            let (units, accounts, grants, clients) = try Self.subtreeCounts(path, tx: tx)
            let moved = try tx.moveUnit(id: unit.id, toParent: parent.id, slug: slug)
            let outcome = UnitReorganisation(action: AdminAuditAction.unitMove, from: path, to: moved.path, unitsRepathed: units,
                                             accounts: accounts, grants: grants, grantsDropped: 0, clients: clients, dryRun: dryRun)
            try tx.appendAudit(actor.record(AdminAuditAction.unitMove, target: unit.id.uuidString, unit: moved.path,
                                            detail: Self.detail(outcome), at: now))
            return outcome
        }
    }

    /// Merges `path` into `target`, a unit of the same level: accounts and grants move to the
    /// target, child units move under it, and `path` is deleted; one transaction with its
    /// audit event. Needs `units.manage` at both. `dryRun` reports without writing.
    public func mergeUnit(_ path: UnitPath, into target: UnitPath, dryRun: Bool, by actor: AdminActor) async throws -> UnitReorganisation {
        try authorizer.require(.unitsManage, at: path, actor: actor)
        try authorizer.require(.unitsManage, at: target, actor: actor)
        let now = self.now
        return try await reorganise(dryRun: dryRun) { tx in
            let unit = try tx.unit(path: path)
            let into: OrgUnit
            do { into = try tx.unit(path: target) } catch StoreError.notFound { throw AdminError.notFound("unit \(target) not found") }
            let (units, accounts, grants, clients) = try Self.subtreeCounts(path, tx: tx)
            let counts = try tx.mergeUnit(id: unit.id, into: into.id)
            let outcome = UnitReorganisation(action: AdminAuditAction.unitMerge, from: path, to: target, unitsRepathed: units - 1,
                                             accounts: accounts, grants: grants, grantsDropped: counts.grantsDropped, clients: clients,
                                             dryRun: dryRun)
            try tx.appendAudit(actor.record(AdminAuditAction.unitMerge, target: unit.id.uuidString, unit: target,
                                            detail: Self.detail(outcome), at: now))
            return outcome
        }
    }

    /// Runs a reorganisation in one write transaction; a dry run rolls it back and reports.
    private func reorganise(dryRun: Bool, _ body: @escaping @Sendable (any StoreWriter) throws -> UnitReorganisation) async throws -> UnitReorganisation {
        do {
            return try await write { tx in
                let outcome = try body(tx)
                if dryRun { throw DryRunRollback(outcome: outcome) }
                return outcome
            }
        } catch let rollback as DryRunRollback {
            return rollback.outcome
        }
    }

    /// Units, accounts (by home unit), grants and owned clients in `path`'s subtree.
    static func subtreeCounts(_ path: UnitPath, tx: any StoreReader) throws -> (units: Int, accounts: Int, grants: Int, clients: Int) {
        let units = try tx.units(in: path, page: Page(limit: 10_000))
        let accounts = try tx.countAccounts(AccountQuery(subtree: path))
        let grants = try units.reduce(0) { $0 + (try tx.grants(unitID: $1.id).count) }
        let ids = Set(units.map(\.id))
        let clients = try tx.clients().count { $0.unitID.map(ids.contains) ?? false }
        return (units.count, accounts, grants, clients)
    }

    static func detail(_ outcome: UnitReorganisation) -> [String: String] {
        ["from": outcome.from.description, "to": outcome.to.description, "units": "\(outcome.unitsRepathed)",
         "accounts": "\(outcome.accounts)", "grants": "\(outcome.grants)", "grants_dropped": "\(outcome.grantsDropped)",
         "clients": "\(outcome.clients)"]
    }

    static func unitName(_ raw: String) throws(AdminError) -> String {
        do { return try Text.displayName(raw) } catch { throw .invalid(error.description) }
    }
}

extension AdminService {
    /// Audit events of the actor's reach (`audit.read`), optionally narrowed to `unit`'s
    /// subtree, after `sequence`, oldest first. Events are filed under the unit's path at the
    /// time they happened.
    public func auditEvents(in unit: UnitPath?, after sequence: Int64, limit: Int, by actor: AdminActor) async throws -> [AuditEvent] {
        var reach = authorizer.reach(of: actor, for: [.auditRead])
        if let unit {
            guard reach.contains(where: { $0.contains(unit) }) || reach.contains(where: { unit.contains($0) }) else {
                throw AdminError.forbidden("\(actor.username) may not read the audit trail of \(unit)")
            }
            reach = reach.compactMap { $0.contains(unit) ? unit : (unit.contains($0) ? $0 : nil) }
        }
        guard !reach.isEmpty else { throw AdminError.forbidden("\(actor.username) may not read the audit trail") }
        let subtrees = reach
        return try await read { tx in try tx.auditEvents(within: subtrees, after: sequence, limit: min(max(limit, 1), 1_000)) }
    }
}

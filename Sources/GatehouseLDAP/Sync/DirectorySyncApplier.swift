internal import Foundation
internal import GatehouseCore
internal import GatehouseStore

/// Writes a batch of plans in one transaction, each change with its audit event, or (without
/// a writer, for a dry run) checks them against the store and writes nothing.
///
/// Plans were computed from a snapshot taken before the batch; each is applied to the account
/// as it is now. A plan that can no longer be applied in full is applied as far as it can and
/// the rest reported: a username taken by another account (local, or another directory's),
/// an account deleted meanwhile. Disabling is left to the caller (`toDisable`), which runs the
/// account-disable operation after the batch commits.
struct DirectorySyncApplier: Sendable {
    /// Audit actions, each recorded in the transaction of its change with actor `ldap:NAME`.
    enum Action {
        static let create = "ldap.account.create"
        static let update = "ldap.account.update"
        static let move = "ldap.account.move"
        static let enable = "ldap.account.enable"
        /// The entry went away; the account-disable operation records `account.disable` too.
        static let disable = "ldap.account.disable"
        static let grantAdd = "ldap.grant.add"
        static let grantRemove = "ldap.grant.remove"
        /// One per run, with its counts.
        static let run = "ldap.sync"
    }

    struct Outcome: Sendable {
        /// The plans as applied (changes that could not be made left out).
        var applied: [AccountSyncPlan] = []
        var skipped: [DirectorySyncSkip] = []
        /// Accounts to disable through the account-disable operation: id and username.
        var toDisable: [(id: UUID, username: String)] = []
    }

    let configuration: DirectorySyncConfiguration

    var directory: String { configuration.name }
    var actor: String { configuration.actor }

    /// Applies `plans` with `writer`, or only checks them when `writer` is nil.
    func apply(_ plans: [AccountSyncPlan], tx: any StoreReader, writer: (any StoreWriter)?, now: Date) throws -> Outcome {
        var outcome = Outcome()
        for plan in plans {
            if plan.accountID == nil {
                try create(plan, tx: tx, writer: writer, now: now, into: &outcome)
            } else {
                try update(plan, tx: tx, writer: writer, now: now, into: &outcome)
            }
        }
        return outcome
    }

    private func create(_ plan: AccountSyncPlan, tx: any StoreReader, writer: (any StoreWriter)?, now: Date, into outcome: inout Outcome) throws {
        guard let target = plan.target, let entry = plan.entry else { return }
        if try find({ try tx.account(directory: directory, externalID: plan.externalID) }) != nil {
            return  // created meanwhile (the entry came twice); the next run compares it
        }
        if let holder = try find({ try tx.account(username: target.username) }) {
            outcome.skipped.append(DirectorySyncSkip(dn: entry.dn, reason: "username '\(target.username)' is taken by \(Self.describe(holder))"))
            return
        }
        let account = Account(
            id: UUID(), username: target.username, displayName: target.displayName, email: target.email, unitID: target.unitID,
            status: .active, source: .directory(name: directory, externalID: plan.externalID), createdAt: now)
        let home = try tx.unit(id: target.unitID).path
        if let writer {
            try writer.insertAccount(account)
            try writer.recordDirectoryEntry(accountID: account.id, dn: entry.dn, dnKey: entry.dnKey, disabledBySync: false)
            for grant in plan.grantsToAdd {
                try writer.insertDirectoryGrant(
                    RoleGrant(id: UUID(), accountID: account.id, role: grant.role, unitID: grant.unitID, createdAt: now), directory: directory)
            }
            try writer.appendAudit(audit(Action.create, account.id, home, now, [
                "username": target.username.value, "dn": entry.dn, "external_id": plan.externalID,
                "grants": plan.grantsToAdd.map { "\($0.role)@\($0.unit)" }.joined(separator: " "),
            ]))
        }
        outcome.applied.append(plan)
    }

    private func update(_ plan: AccountSyncPlan, tx: any StoreReader, writer: (any StoreWriter)?, now: Date, into outcome: inout Outcome) throws {
        guard let id = plan.accountID, var account = try find({ try tx.account(id: id) }) else { return }
        let before = account
        var applied = plan
        applied.changes = []
        var events: [(String, [String: String])] = []
        for change in plan.changes {
            switch change {
            case .rename(let from, let to):
                guard let target = plan.target else { continue }
                if let holder = try find({ try tx.account(username: target.username) }), holder.id != account.id {
                    outcome.skipped.append(DirectorySyncSkip(
                        dn: plan.entry?.dn ?? from, reason: "cannot rename '\(from)' to '\(to)': the username is taken by \(Self.describe(holder))"))
                    continue
                }
                account.username = target.username
                events.append((Action.update, ["field": "username", "from": from, "to": to]))
            case .displayName:
                guard let target = plan.target else { continue }
                account.displayName = target.displayName
                events.append((Action.update, ["field": "display_name"]))
            case .email:
                guard let target = plan.target else { continue }
                account.email = target.email
                events.append((Action.update, ["field": "email"]))
            case .move(let from, let to):
                guard let target = plan.target else { continue }
                account.unitID = target.unitID
                events.append((Action.move, ["from": from.description, "to": to.description]))
            case .enable:
                guard account.status == .disabled else { continue }
                account.status = .active
                events.append((Action.enable, [:]))
            case .disable(let reason):
                guard account.status != .disabled else { continue }
                outcome.toDisable.append((account.id, account.username.value))
                events.append((Action.disable, ["reason": reason.rawValue]))
            case .grantAdded, .grantRemoved, .create:
                continue  // below
            }
            applied.changes.append(change)
        }
        let home = try tx.unit(id: account.unitID).path
        let grantsHeld = try tx.grants(accountID: account.id)
        let held = Set(grantsHeld.map { GrantKey(role: $0.role, unitID: $0.unitID) })
        var grantsToAdd: [AccountSyncPlan.GrantTarget] = []
        for grant in plan.grantsToAdd where !held.contains(GrantKey(role: grant.role, unitID: grant.unitID)) {
            grantsToAdd.append(grant)
            applied.changes.append(.grantAdded(role: grant.role, unit: grant.unit))
        }
        let heldIDs = Set(grantsHeld.map(\.id))
        var grantsToRemove: [RoleGrant] = []
        for grant in plan.grantsToRemove where heldIDs.contains(grant.id) {
            grantsToRemove.append(grant)
            applied.changes.append(.grantRemoved(role: grant.role, unit: try tx.unit(id: grant.unitID).path))
        }
        applied.grantsToAdd = grantsToAdd
        applied.grantsToRemove = grantsToRemove
        if let writer {
            if account != before { account = try writer.updateAccount(account) }
            if let entry = plan.entry {
                try writer.recordDirectoryEntry(accountID: account.id, dn: entry.dn, dnKey: entry.dnKey, disabledBySync: entry.disabledBySync)
            }
            for grant in grantsToRemove {
                try writer.deleteGrant(id: grant.id)
                events.append((Action.grantRemove, ["role": grant.role, "unit": try tx.unit(id: grant.unitID).path.description]))
            }
            for grant in grantsToAdd {
                try writer.insertDirectoryGrant(
                    RoleGrant(id: UUID(), accountID: account.id, role: grant.role, unitID: grant.unitID, createdAt: now), directory: directory)
                events.append((Action.grantAdd, ["role": grant.role, "unit": grant.unit.description]))
            }
            for (action, detail) in events {
                try writer.appendAudit(audit(action, account.id, home, now, detail.merging(["username": account.username.value]) { a, _ in a }))
            }
        }
        outcome.applied.append(applied)
    }

    private struct GrantKey: Hashable {
        var role: String
        var unitID: UUID
    }

    private func audit(_ action: String, _ accountID: UUID, _ unit: UnitPath, _ now: Date, _ detail: [String: String]) -> AuditRecord {
        AuditRecord(
            action: action, actor: actor, target: accountID.uuidString.lowercased(), unit: unit,
            detail: detail.merging(["directory": directory]) { a, _ in a }, time: now)
    }

    /// The result of a lookup, or nil when the store has no such record.
    private func find<T>(_ lookup: () throws -> T) throws -> T? {
        do { return try lookup() } catch let error as StoreError {
            if case .notFound = error { return nil }
            throw error
        }
    }

    private static func describe(_ account: Account) -> String {
        if let name = account.source.directoryName { return "an account of directory '\(name)'" }
        return "a local account"
    }
}

internal import Foundation
internal import GatehouseCore
internal import GatehouseStore

/// Decides what each entry means for its account: the diff of a synchronisation, computed
/// without I/O from the entry, the account as stored and the members of the mapped groups.
///
/// Rules:
/// - Accounts are matched by external id, never by DN or username.
/// - An entry that is present, matches the user filter, is not disabled in the directory, maps
///   to a unit and has a valid username is *eligible*: its account is created, or updated to
///   its username, display name, email and unit, and enabled again if the synchronisation had
///   disabled it. An account an administrator disabled, or one locked by brute-force
///   protection, keeps its status.
/// - An entry that is gone, no longer matches the filter, or is disabled in the directory
///   disables its account (never deletes it: the audit trail keeps its history) and loses the
///   grants the synchronisation made.
/// - An entry that maps to no unit or has an invalid username is skipped: its account, if
///   any, is left as it is, since a configuration mistake must not disable accounts in bulk.
/// - Grants: an eligible account holds `role` at `unit` for every group rule whose group lists
///   its DN. Only grants the synchronisation made are ever removed; a grant given by hand is
///   never touched, and one given by hand that a rule would give is not given twice.
struct DirectorySyncPlanner: Sendable {
    enum Outcome: Sendable {
        case plan(AccountSyncPlan)
        case unchanged
        case skipped(DirectorySyncSkip)
    }

    let directory: String
    let unitMapper: UnitMapper
    let unitIDs: [UnitPath: UUID]
    let unitPaths: [UUID: UnitPath]
    let membership: GroupMembership
    /// What each group rule gives, in the configuration's order.
    let ruleTargets: [AccountSyncPlan.GrantTarget]

    init(configuration: DirectorySyncConfiguration, units: [OrgUnit], membership: GroupMembership) {
        directory = configuration.name
        unitMapper = UnitMapper(rules: configuration.unitRules)
        unitIDs = Dictionary(units.map { ($0.path, $0.id) }, uniquingKeysWith: { a, _ in a })
        unitPaths = Dictionary(units.map { ($0.id, $0.path) }, uniquingKeysWith: { a, _ in a })
        self.membership = membership
        let ids = unitIDs
        ruleTargets = configuration.groupRules.map { rule in
            AccountSyncPlan.GrantTarget(role: rule.role, unitID: ids[rule.unit] ?? UUID(), unit: rule.unit)
        }
    }

    /// The plan for a present entry that matches the user filter.
    func plan(_ user: DirectoryUser, existing: DirectoryAccount?) -> Outcome {
        if user.disabledInDirectory {
            guard let existing else { return .skipped(DirectorySyncSkip(dn: user.dn, reason: "disabled in the directory")) }
            return planGone(existing, reason: .disabledInDirectory, entry: user).map(Outcome.plan) ?? .unchanged
        }
        guard let unit = unitMapper.unit(for: user.distinguishedName) else {
            return .skipped(DirectorySyncSkip(dn: user.dn, reason: "no unit rule matches the DN"))
        }
        guard let unitID = unitIDs[unit] else {
            return .skipped(DirectorySyncSkip(dn: user.dn, reason: "unit \(unit) does not exist"))
        }
        guard let rawUsername = user.username else {
            return .skipped(DirectorySyncSkip(dn: user.dn, reason: "the entry has no username attribute"))
        }
        let username: Username
        do { username = try Username(rawUsername) } catch {
            return .skipped(DirectorySyncSkip(dn: user.dn, reason: error.description))
        }
        let desiredGrants = grants(for: user.dnKey)
        guard let existing else {
            let target = AccountSyncPlan.Target(username: username, displayName: user.displayName ?? rawUsername, email: user.email, unitID: unitID)
            var plan = AccountSyncPlan(
                externalID: user.externalID, accountID: nil, username: username.value,
                changes: [.create(displayName: target.displayName, email: target.email, unit: unit)], target: target,
                entry: .init(dn: user.dn, dnKey: user.dnKey, disabledBySync: false))
            plan.grantsToAdd = desiredGrants
            plan.changes += desiredGrants.map { .grantAdded(role: $0.role, unit: $0.unit) }
            return .plan(plan)
        }
        let account = existing.account
        let displayName = user.displayName ?? account.displayName
        var plan = AccountSyncPlan(
            externalID: user.externalID, accountID: account.id, username: username.value,
            target: .init(username: username, displayName: displayName, email: user.email, unitID: unitID))
        if username != account.username { plan.changes.append(.rename(from: account.username.value, to: username.value)) }
        if displayName != account.displayName { plan.changes.append(.displayName(from: account.displayName, to: displayName)) }
        if user.email != account.email { plan.changes.append(.email(from: account.email, to: user.email)) }
        if unitID != account.unitID {
            plan.changes.append(.move(from: unitPaths[account.unitID] ?? .root, to: unit))
        }
        var disabledBySync = existing.disabledBySync
        if account.status == .disabled && existing.disabledBySync {
            plan.changes.append(.enable)
            disabledBySync = false
        } else if account.status == .active {
            disabledBySync = false
        }
        if existing.dnKey != user.dnKey || existing.dn != user.dn || disabledBySync != existing.disabledBySync {
            plan.entry = .init(dn: user.dn, dnKey: user.dnKey, disabledBySync: disabledBySync)
        }
        addGrantChanges(&plan, desired: desiredGrants, existing: existing)
        return plan.writesAnything ? .plan(plan) : .unchanged
    }

    /// The plan for an account whose entry is gone, no longer matches the user filter, or is
    /// disabled in the directory; nil when there is nothing to do.
    func planGone(_ existing: DirectoryAccount, reason: AccountSyncPlan.DisableReason, entry: DirectoryUser? = nil) -> AccountSyncPlan? {
        let account = existing.account
        var plan = AccountSyncPlan(externalID: account.source.externalID ?? "", accountID: account.id, username: account.username.value)
        if account.status != .disabled {
            plan.changes.append(.disable(reason))
            plan.entry = .init(dn: entry?.dn ?? existing.dn ?? "", dnKey: entry?.dnKey ?? existing.dnKey ?? "", disabledBySync: true)
        }
        addGrantChanges(&plan, desired: [], existing: existing)
        return plan.writesAnything ? plan : nil
    }

    /// For the grant targets of `changedRules` (group rules whose members changed), the grant
    /// changes of accounts that are not planned otherwise: `holders` are the accounts whose
    /// DN a changed rule's group lists, `current` the managed grants of those targets.
    func planRuleChanges(
        changedRules: [Int], holders: [DirectoryAccount], currentHolders: [DirectoryAccount]
    ) -> [AccountSyncPlan] {
        let targets = Set(changedRules.map { ruleTargets[$0] }.map { Key(role: $0.role, unitID: $0.unitID) })
        var byID: [UUID: DirectoryAccount] = [:]
        for account in holders + currentHolders { byID[account.account.id] = account }
        var plans: [AccountSyncPlan] = []
        for existing in byID.values.sorted(by: { $0.account.username < $1.account.username }) {
            // An account the synchronisation disabled has no entry; one an administrator
            // disabled still has, and keeps what its groups give, as a full run decides.
            let eligible = !existing.disabledBySync
            let desired = eligible ? grants(for: existing.dnKey ?? "").filter { targets.contains(Key(role: $0.role, unitID: $0.unitID)) } : []
            var plan = AccountSyncPlan(
                externalID: existing.account.source.externalID ?? "", accountID: existing.account.id, username: existing.account.username.value)
            addGrantChanges(&plan, desired: desired, existing: existing, only: targets)
            if plan.writesAnything { plans.append(plan) }
        }
        return plans
    }

    private struct Key: Hashable {
        var role: String
        var unitID: UUID
    }

    /// The grants the group rules give the entry `dnKey`, without duplicates.
    func grants(for dnKey: String) -> [AccountSyncPlan.GrantTarget] {
        var seen = Set<Key>()
        return membership.rules(containing: dnKey).map { ruleTargets[$0] }.filter { seen.insert(Key(role: $0.role, unitID: $0.unitID)).inserted }
    }

    /// Adds `desired` grants the account lacks and removes managed grants it should not hold;
    /// with `only`, considers those targets alone.
    private func addGrantChanges(
        _ plan: inout AccountSyncPlan, desired: [AccountSyncPlan.GrantTarget], existing: DirectoryAccount, only: Set<Key>? = nil
    ) {
        let held = Set(existing.grants.map { Key(role: $0.role, unitID: $0.unitID) })
        let wanted = Set(desired.map { Key(role: $0.role, unitID: $0.unitID) })
        for target in desired where !held.contains(Key(role: target.role, unitID: target.unitID)) {
            plan.grantsToAdd.append(target)
            plan.changes.append(.grantAdded(role: target.role, unit: target.unit))
        }
        for grant in existing.managedGrants {
            let key = Key(role: grant.role, unitID: grant.unitID)
            if let only, !only.contains(key) { continue }
            guard !wanted.contains(key) else { continue }
            plan.grantsToRemove.append(grant)
            plan.changes.append(.grantRemoved(role: grant.role, unit: unitPaths[grant.unitID] ?? .root))
        }
    }
}

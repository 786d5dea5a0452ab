internal import Foundation
internal import GatehouseCore
internal import GatehouseStore

/// The working state of one run: the plans waiting for their batch, the external ids seen,
/// the counts. Used by one task from start to end.
final class DirectorySyncRun {
    let configuration: DirectorySyncConfiguration
    let store: any Store
    let disabler: any DirectoryAccountDisabler
    let clock: any GatehouseCore.Clock
    let planner: DirectorySyncPlanner
    let applier: DirectorySyncApplier
    let observer: DirectorySyncObserver
    let dryRun: Bool
    /// The lease holder, renewed in every batch; nil in a dry run.
    let leaseHolder: String?
    let started = ContinuousClock.now

    private(set) var counts = DirectorySyncCounts()
    private(set) var entriesRead = 0
    private(set) var disabledAccounts: [String] = []
    /// External ids reported present this run (for the sweep that disables the rest).
    private(set) var seen = Set<String>()
    private var pending: [AccountSyncPlan] = []
    private var pendingIDs = Set<String>()
    /// When the lease was last taken or renewed (by a batch or `keepLease`).
    private var leaseRenewed = ContinuousClock.now

    init(
        configuration: DirectorySyncConfiguration, store: any Store, disabler: any DirectoryAccountDisabler, clock: any GatehouseCore.Clock,
        planner: DirectorySyncPlanner, observer: DirectorySyncObserver, dryRun: Bool, leaseHolder: String?
    ) {
        self.configuration = configuration
        self.store = store
        self.disabler = disabler
        self.clock = clock
        self.planner = planner
        applier = DirectorySyncApplier(configuration: configuration)
        self.observer = observer
        self.dryRun = dryRun
        self.leaseHolder = leaseHolder
    }

    var directory: String { configuration.name }

    /// Renews the lease when a third of it has passed without a batch doing so (a long read
    /// that changes nothing); throws `leaseLost` when another node has taken it.
    func keepLease() async throws {
        guard let holder = leaseHolder else { return }
        let lease = configuration.leaseDuration
        guard ContinuousClock.now - leaseRenewed >= lease / 3 else { return }
        let directory = self.directory, clock = self.clock
        let held = try await store.write { tx in
            try tx.renewDirectoryLease(directory: directory, holder: holder, until: clock.now() + lease.timeInterval)
        }
        guard held else { throw DirectorySyncError.leaseLost(directory: directory) }
        leaseRenewed = ContinuousClock.now
    }

    /// Takes in one page from the reader.
    func handle(_ read: DirectoryRead) async throws {
        try await keepLease()
        switch read {
        case .users(let users, let refused):
            entriesRead += users.count + refused.count
            for skip in refused { skipped(skip) }
            let existing = try await lookup(users.map(\.externalID))
            for user in users {
                seen.insert(user.externalID)
                if pendingIDs.contains(user.externalID) { try await flush() }
                switch planner.plan(user, existing: existing[user.externalID]) {
                case .plan(let plan): try await enqueue(plan)
                case .unchanged: counts.unchanged += 1
                case .skipped(let skip): skipped(skip)
                }
            }
        case .present(let ids):
            entriesRead += ids.count
            seen.formUnion(ids)
        case .gone(let ids):
            entriesRead += ids.count
            let existing = try await lookup(ids)
            for id in ids {
                seen.remove(id)
                guard let account = existing[id] else { continue }
                if pendingIDs.contains(id) { try await flush() }
                if let plan = planner.planGone(account, reason: .gone) { try await enqueue(plan) }
            }
        }
        report()
    }

    /// Disables the accounts of the directory that were not seen this run (a full read, or an
    /// RFC 4533 present phase): their entries are gone or no longer match the filter.
    func sweepUnseen() async throws {
        try await flush()
        var after: String?
        while true {
            let directory = self.directory
            let page = try await store.read { [after] tx in try tx.directoryAccounts(directory: directory, after: after, limit: 1_000) }
            guard let last = page.last else { break }
            after = last.account.source.externalID
            for account in page where !seen.contains(account.account.source.externalID ?? "") {
                if let plan = planner.planGone(account, reason: .gone) { try await enqueue(plan) }
            }
            try await keepLease()
        }
        try await flush()
    }

    /// Recomputes the grants of the group rules whose group changed since the last run, for
    /// accounts not otherwise changed this run (an incremental run).
    func recomputeRules(_ changed: [Int]) async throws {
        guard !changed.isEmpty else { return }
        try await flush()
        let directory = self.directory
        let memberKeys = Array(changed.reduce(into: Set<String>()) { $0.formUnion(planner.membership.members[$1]) })
        let targets = Set(changed.map { "\(planner.ruleTargets[$0].role)@\(planner.ruleTargets[$0].unitID)" })
        let (holders, current) = try await store.read { tx in
            let holders = try tx.directoryAccounts(directory: directory, dnKeys: memberKeys)
            let known = Set(holders.map(\.account.id))
            let grantHolders = Set(try tx.directoryGrants(directory: directory)
                .filter { targets.contains("\($0.role)@\($0.unitID)") && !known.contains($0.accountID) }.map(\.accountID))
            let ids = try grantHolders.compactMap { try tx.account(id: $0).source.externalID }
            return (holders, try tx.directoryAccounts(directory: directory, externalIDs: ids))
        }
        for plan in planner.planRuleChanges(changedRules: changed, holders: holders, currentHolders: current) {
            try await enqueue(plan)
        }
        try await flush()
    }

    private func lookup(_ ids: [String]) async throws -> [String: DirectoryAccount] {
        guard !ids.isEmpty else { return [:] }
        let directory = self.directory
        let found = try await store.read { tx in try tx.directoryAccounts(directory: directory, externalIDs: ids) }
        return Dictionary(found.map { ($0.account.source.externalID ?? "", $0) }, uniquingKeysWith: { a, _ in a })
    }

    private func enqueue(_ plan: AccountSyncPlan) async throws {
        pending.append(plan)
        pendingIDs.insert(plan.externalID)
        if pending.count >= configuration.batchSize { try await flush() }
    }

    private func skipped(_ skip: DirectorySyncSkip) {
        counts.skipped += 1
        observer.change?(skip.description)
    }

    /// Writes the waiting plans in one transaction (checks them, in a dry run), then disables
    /// the accounts the batch marked, each through the account-disable operation.
    func flush() async throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        pendingIDs = []
        let applier = self.applier, clock = self.clock
        let outcome: DirectorySyncApplier.Outcome
        if dryRun {
            outcome = try await store.read { tx in try applier.apply(batch, tx: tx, writer: nil, now: clock.now()) }
        } else {
            let holder = leaseHolder ?? "", directory = self.directory, lease = configuration.leaseDuration
            outcome = try await store.write { tx in
                let now = clock.now()
                guard try tx.renewDirectoryLease(directory: directory, holder: holder, until: now + lease.timeInterval) else {
                    throw DirectorySyncError.leaseLost(directory: directory)
                }
                return try applier.apply(batch, tx: tx, writer: tx, now: now)
            }
            leaseRenewed = ContinuousClock.now
        }
        for plan in outcome.applied {
            counts.count(plan)
            for line in plan.lines { observer.change?(line) }
        }
        for skip in outcome.skipped { skipped(skip) }
        for account in outcome.toDisable {
            disabledAccounts.append(account.username)
            if !dryRun { try await disabler.disableAccount(id: account.id, actor: configuration.actor) }
        }
        report()
    }

    func report() {
        observer.progress?(DirectorySyncProgress(entriesRead: entriesRead, counts: counts, elapsed: ContinuousClock.now - started))
    }
}

extension Duration {
    /// In seconds, for `Date` arithmetic.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

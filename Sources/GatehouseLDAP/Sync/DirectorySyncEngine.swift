internal import Foundation
public import GatehouseCore
public import GatehouseStore

/// Synchronises the accounts of one directory with its entries: creates, updates, moves,
/// disables and enables accounts again, and adds and removes the grants its group rules give.
///
/// ```swift
/// let engine = DirectorySyncEngine(configuration: configuration, pool: pool, store: store,
///                                  disabler: disabler, node: "node-1")
/// let report = try await engine.run(full: false, dryRun: false)
/// print(report.counts.table())
/// ```
///
/// A run:
/// 1. takes the directory's lease (`Store.acquireDirectoryLease`), so one node at a time
///    writes; each batch, and a long read every third of the lease, renews it
///    (`renewDirectoryLease`, which never takes a lease back), and a run that lost it stops
///    before its next write;
/// 2. reads the mapped groups' members;
/// 3. full (asked for, first run, configuration changed, or the last full run older than
///    `fullSyncInterval`): reads every user entry with the paged results control (RFC 2696),
///    a page at a time into the diff, then disables the accounts whose entry was not seen.
///    With RFC 4533 a fresh cookie is taken first, so changes made during the read come again
///    in the next incremental run;
/// 4. incremental: an RFC 4533 refreshOnly refresh from the stored cookie (streamed, never
///    paged; a present phase, as after a server restart, disables accounts by difference), or,
///    without RFC 4533, a search for `modifyTimestamp>=` the stored watermark plus one for the
///    changed entries that left the user filter (deleted entries wait for the next full run);
///    then recomputes the grants of groups whose members changed;
/// 5. writes the changes in batches of `batchSize` accounts, one transaction each with its
///    audit events; disables through the `DirectoryAccountDisabler` (sessions ended, refresh
///    tokens revoked, a `sub` revocation published); never deletes an account;
/// 6. saves the cookie or watermark, audits the run (`ldap.sync`) and gives the lease back.
///
/// A run that stops midway (killed, the directory or database gone) leaves whole batches and
/// no new cookie: the next run reads the same changes again and converges. A dry run takes no
/// lease and writes nothing.
public final class DirectorySyncEngine: Sendable {
    public let configuration: DirectorySyncConfiguration
    let pool: LDAPConnectionPool
    let store: any Store
    let disabler: any DirectoryAccountDisabler
    let clock: any GatehouseCore.Clock
    /// Names this node in the lease (with a per-run suffix).
    let node: String

    public init(
        configuration: DirectorySyncConfiguration, pool: LDAPConnectionPool, store: any Store, disabler: any DirectoryAccountDisabler,
        clock: any GatehouseCore.Clock = SystemClock(), node: String
    ) {
        self.configuration = configuration
        self.pool = pool
        self.store = store
        self.disabler = disabler
        self.clock = clock
        self.node = node
    }

    var directory: String { configuration.name }

    /// Runs one synchronisation; see the type's documentation.
    ///
    /// - Throws: `DirectorySyncError` (lease held or lost, a unit missing, the directory
    ///   unreachable), store errors, or what the disabler throws.
    public func run(full: Bool = false, dryRun: Bool = false, observer: DirectorySyncObserver = DirectorySyncObserver()) async throws
        -> DirectorySyncReport
    {
        let holder = "\(node) run \(UUID().uuidString.prefix(8).lowercased())"
        if !dryRun { try await takeLease(holder) }
        do {
            let report = try await perform(full: full, dryRun: dryRun, holder: dryRun ? nil : holder, observer: observer)
            if !dryRun { try await releaseLease(holder) }
            return report
        } catch {
            if !dryRun {
                try? await releaseLease(holder)
                await auditFailure(error)
            }
            throw error
        }
    }

    /// Records a run that failed (`ldap.sync` with result `failure`), if the store still answers.
    private func auditFailure(_ error: any Error) async {
        let actor = configuration.actor, directory = self.directory, now = clock.now()
        let reason = (error as? DirectorySyncError)?.description ?? String(describing: error)
        _ = try? await store.write { tx in
            try tx.appendAudit(AuditRecord(
                action: DirectorySyncApplier.Action.run, actor: actor, target: directory, unit: .root, result: .failure,
                detail: ["error": reason], time: now))
        }
    }

    private func takeLease(_ holder: String) async throws {
        let directory = self.directory, clock = self.clock, duration = configuration.leaseDuration.timeInterval
        let current: DirectoryLease? = try await store.write { tx in
            let now = clock.now()
            if try tx.acquireDirectoryLease(directory: directory, holder: holder, until: now + duration, at: now) { return nil }
            return try tx.directoryLease(directory: directory)
        }
        if let current { throw DirectorySyncError.leaseHeld(directory: directory, holder: current.holder, until: current.expiresAt) }
    }

    private func releaseLease(_ holder: String) async throws {
        let directory = self.directory
        _ = try await store.write { tx in try tx.releaseDirectoryLease(directory: directory, holder: holder) }
    }

    private func perform(full requested: Bool, dryRun: Bool, holder: String?, observer: DirectorySyncObserver) async throws -> DirectorySyncReport {
        let directory = self.directory
        let (units, state) = try await store.read { tx in
            (try tx.units(in: .root, page: Page(limit: 10_000)), try tx.directorySyncState(directory: directory))
        }
        try checkUnits(units)
        let method = try await incrementalMethod()
        let membership = try await ldap { [configuration] connection in try DirectoryReader(configuration: configuration).readGroups(connection) }
        let planner = DirectorySyncPlanner(configuration: configuration, units: units, membership: membership)
        let run = DirectorySyncRun(
            configuration: configuration, store: store, disabler: disabler, clock: clock, planner: planner, observer: observer,
            dryRun: dryRun, leaseHolder: holder)
        var warnings = membership.warnings
        let digests = membership.digests(configuration.groupRules)

        var next = state ?? DirectorySyncState(directory: directory)
        var kind = DirectorySyncReport.Kind.incremental
        if requested || needsFullRun(state, method: method) {
            kind = .full
            try await fullRun(run, method: method, state: &next)
        } else {
            do {
                try await incrementalRun(run, method: method, state: &next)
            } catch let error as DirectorySyncError {
                guard case .directory(_, let cause) = error, cause.code == .syncRefreshRequired else { throw error }
                warnings.append("the directory refused the stored cookie (\(cause.message)); ran a full synchronisation instead")
                kind = .full
                try await fullRun(run, method: method, state: &next)
            }
            if kind == .incremental {
                let changed = configuration.groupRules.indices.filter { index in
                    let key = GroupMembership.ruleKey(configuration.groupRules[index])
                    return digests[key] != state?.groupDigests[key]
                }
                try await run.recomputeRules(changed)
            }
        }
        try await run.flush()

        let now = clock.now()
        next.groupDigests = digests
        next.configurationDigest = configuration.digest
        next.lastSyncAt = now
        if kind == .full { next.lastFullSyncAt = now }
        let report = DirectorySyncReport(
            directory: directory, kind: kind, method: method, dryRun: dryRun, counts: run.counts, entriesRead: run.entriesRead,
            disabledAccounts: run.disabledAccounts, warnings: warnings, duration: ContinuousClock.now - run.started)
        if let holder { try await finish(next, report: report, holder: holder) }
        return report
    }

    /// Saves the state and audits the run, in one transaction that still holds the lease.
    private func finish(_ state: DirectorySyncState, report: DirectorySyncReport, holder: String) async throws {
        let actor = configuration.actor, clearVerifiers = !configuration.keepsPasswordVerifiers, now = clock.now()
        let lease = configuration.leaseDuration.timeInterval
        var detail = report.counts.auditDetail
        detail["kind"] = report.kind.rawValue
        detail["method"] = report.method.rawValue
        detail["entries_read"] = String(report.entriesRead)
        detail["disabled_accounts"] = Self.list(report.disabledAccounts)
        try await store.write { [detail] tx in
            guard try tx.renewDirectoryLease(directory: state.directory, holder: holder, until: now + lease) else {
                throw DirectorySyncError.leaseLost(directory: state.directory)
            }
            try tx.saveDirectorySyncState(state)
            if clearVerifiers { try tx.deleteDirectoryPasswordVerifiers(directory: state.directory) }
            try tx.appendAudit(AuditRecord(
                action: DirectorySyncApplier.Action.run, actor: actor, target: state.directory, unit: .root, detail: detail, time: now))
        }
    }

    /// Up to 50 usernames, then how many more.
    static func list(_ names: [String]) -> String {
        let shown = names.prefix(50).joined(separator: " ")
        return names.count > 50 ? shown + " …+\(names.count - 50)" : shown
    }

    private func checkUnits(_ units: [OrgUnit]) throws {
        let known = Set(units.map(\.path))
        let named = configuration.unitRules.map(\.unit) + configuration.groupRules.map(\.unit)
        let missing = Set(named.filter { !known.contains($0) }).sorted().map(\.description)
        guard missing.isEmpty else {
            throw DirectorySyncError.configuration(
                directory: directory, "ldap.yaml names unit(s) that do not exist: \(missing.joined(separator: ", ")); create them first")
        }
    }

    func needsFullRun(_ state: DirectorySyncState?, method: DirectorySyncConfiguration.IncrementalMethod) -> Bool {
        guard let state, let lastFull = state.lastFullSyncAt, state.configurationDigest == configuration.digest else { return true }
        if clock.now().timeIntervalSince(lastFull) >= configuration.fullSyncInterval.timeInterval { return true }
        return method == .contentSync ? state.cookie == nil : state.watermark == nil
    }

    /// The method incremental runs use: as configured, or for `automatic` RFC 4533 when the
    /// server advertises it and the external id is `entryUUID` (the sync controls name entries
    /// by `entryUUID`), else `modifyTimestamp`.
    func incrementalMethod() async throws -> DirectorySyncConfiguration.IncrementalMethod {
        switch configuration.incrementalMethod {
        case .contentSync, .modifyTimestamp: return configuration.incrementalMethod
        case .automatic:
            guard DirectoryUserMapper(attributes: configuration.attributes).isEntryUUID else { return .modifyTimestamp }
            return try await ldap { connection in try connection.supportsContentSync() } ? .contentSync : .modifyTimestamp
        }
    }

    private func fullRun(_ run: DirectorySyncRun, method: DirectorySyncConfiguration.IncrementalMethod, state: inout DirectorySyncState) async throws {
        let reader = DirectoryReader(configuration: configuration)
        if method == .contentSync {
            state.cookie = try await ldap { connection in try reader.freshCookie(connection) }
        }
        let filter = configuration.userFilter
        let newest = try await stream(run) { connection, channel in try reader.readPaged(connection, filter: filter, into: channel) }
        try await run.sweepUnseen()
        if method == .modifyTimestamp { state.watermark = DirectoryReader.later(state.watermark, newest) }
    }

    private func incrementalRun(_ run: DirectorySyncRun, method: DirectorySyncConfiguration.IncrementalMethod, state: inout DirectorySyncState) async throws {
        let reader = DirectoryReader(configuration: configuration)
        switch method {
        case .contentSync, .automatic:
            let cookie = state.cookie
            let outcome = try await stream(run) { connection, channel in try reader.readContentSync(connection, cookie: cookie, into: channel) }
            if !outcome.refreshDeletes { try await run.sweepUnseen() }
            if let cookie = outcome.cookie { state.cookie = cookie }
        case .modifyTimestamp:
            guard let watermark = state.watermark else { return }
            let changed = reader.changedFilter(since: watermark), left = reader.leftFilter(since: watermark)
            let newest = try await stream(run) { connection, channel in try reader.readPaged(connection, filter: changed, into: channel) }
            _ = try await stream(run) { connection, channel in try reader.readGone(connection, filter: left, into: channel) }
            state.watermark = DirectoryReader.later(watermark, newest)
        }
    }

    /// Runs `produce` on a pooled connection, handing what it sends to `run` as it comes, at
    /// most two pages ahead.
    private func stream<R: Sendable>(
        _ run: DirectorySyncRun, _ produce: @escaping @Sendable (LDAPConnection, PageChannel<DirectoryRead>) throws -> R
    ) async throws -> R {
        let channel = PageChannel<DirectoryRead>(capacity: 2)
        let producer = Task { [self] () throws -> R in
            do {
                let value = try await ldap { connection in try produce(connection, channel) }
                channel.finish()
                return value
            } catch {
                channel.finish(throwing: error)
                throw error
            }
        }
        do {
            for try await page in channel.pages {
                channel.taken()
                try await run.handle(page)
            }
        } catch {
            channel.cancel()
            _ = try? await producer.value
            throw error
        }
        return try await producer.value
    }

    /// `body` on a pooled connection; LDAP errors come out as `DirectorySyncError.directory`.
    private func ldap<T: Sendable>(_ body: @escaping @Sendable (LDAPConnection) throws -> T) async throws -> T {
        do {
            return try await pool.withConnection(body)
        } catch let error as LDAPError {
            throw DirectorySyncError.directory(directory: directory, error)
        }
    }
}

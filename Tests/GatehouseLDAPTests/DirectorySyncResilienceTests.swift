import Foundation
import GatehouseCore
@testable import GatehouseLDAP
import GatehouseStore
import Synchronization
import Testing

/// A synchronisation stopped midway, a second node, a directory that goes away, and what
/// disabling an account ends.
@Suite("Directory sync: interruptions and contention", .enabled(if: TestDirectory.enabled, TestDirectory.disabledReason))
struct DirectorySyncResilienceTests {
    /// The apply fails after two batches (as if the process died): whole batches stay, the
    /// next run (once the dead run's lease has run out) converges, and the one after changes
    /// nothing.
    @Test func interruptedApplyConvergesOnTheNextRun() async throws {
        let fixture = try SyncFixture.make()
        defer { fixture.cleanUp() }
        try await SyncHarness.with { h in
            let configuration = try fixture.configuration(batchSize: 2)
            // Writes: the lease, two batches, then failure (the lease is never given back).
            let failing = FailingStore(h.store, failAfterWrites: 3)
            await #expect(throws: FailingStore.Crash.self) { try await h.syncEngine(configuration, store: failing).run() }
            let partial = try await h.store.read { try $0.countAccounts(AccountQuery(directory: "ha-noi")) }
            #expect(partial > 0 && partial < 7, "some batches were written: \(partial)")
            #expect(try await h.store.read { try $0.directorySyncState(directory: "ha-noi") } == nil, "no state saved")

            await #expect(throws: DirectorySyncError.self, "the dead run's lease still runs") { try await h.syncEngine(configuration).run() }
            h.clock.advance(by: 121)
            let rerun = try await h.syncEngine(configuration).run()
            #expect(rerun.kind == .full)
            #expect(rerun.counts.created == 7 - partial)
            #expect(try await h.snapshot() == .init(accounts: DirectorySyncTests.expectedAccounts, grants: DirectorySyncTests.expectedGrants))
            let again = try await h.syncEngine(configuration).run()
            #expect(!again.counts.hasChanges)
        }
    }

    /// While one run holds the lease, another node's run is refused with a message naming the
    /// holder, and writes nothing.
    @Test func leaseKeepsASecondNodeOut() async throws {
        let fixture = try SyncFixture.make()
        defer { fixture.cleanUp() }
        try await SyncHarness.with { h in
            let configuration = try fixture.configuration(batchSize: 2)
            let gated = GatedStore(h.store, gateAtWrite: 2)  // stops in its first batch
            let first = Task { try await h.syncEngine(configuration, store: gated, node: "node-1").run() }
            await gated.waitUntilGated()
            do {
                _ = try await h.syncEngine(configuration, node: "node-2").run()
                Issue.record("the second node ran while the first held the lease")
            } catch let error as DirectorySyncError {
                guard case .leaseHeld(_, let holder, _) = error else { throw error }
                #expect(holder.hasPrefix("node-1 run "))
                #expect(error.description.contains("is being synchronised by node-1"))
            }
            gated.open()
            let report = try await first.value
            #expect(report.counts.created == 7)
            let second = try await h.syncEngine(configuration, node: "node-2").run()
            #expect(!second.counts.hasChanges, "once the first is done the second may run")
        }
    }

    /// A run that stalls past its lease, while another node takes over, stops at its next batch
    /// instead of writing beside the new holder.
    @Test func lostLeaseStopsTheRun() async throws {
        let fixture = try SyncFixture.make()
        defer { fixture.cleanUp() }
        try await SyncHarness.with { h in
            let configuration = try fixture.configuration(batchSize: 2)
            let gated = GatedStore(h.store, gateAtWrite: 2)
            let stalled = Task { try await h.syncEngine(configuration, store: gated, node: "node-1").run() }
            await gated.waitUntilGated()
            h.clock.advance(by: 121)
            let other = try await h.syncEngine(configuration, node: "node-2").run()
            #expect(other.counts.created == 7)
            gated.open()
            do {
                _ = try await stalled.value
                Issue.record("the stalled run wrote after losing its lease")
            } catch let error as DirectorySyncError {
                guard case .leaseLost = error else { throw error }
            }
            #expect(try await h.store.read { try $0.countAccounts(AccountQuery(directory: "ha-noi")) } == 7, "nothing written twice")
        }
    }

    /// The directory's connections are cut in the middle of a full read: the run stops with
    /// one clear error naming the directory, and the next run converges.
    @Test func directoryGoneMidwayIsAClearError() async throws {
        let fixture = try SyncFixture.make()
        defer { fixture.cleanUp() }
        let upstream = try #require(URLComponents(string: try TestDirectory.requireURL())?.port)
        let relay = try TCPRelay(upstreamPort: upstream)
        defer { relay.stop() }
        try await SyncHarness.with { h in
            let pool = LDAPConnectionPool(
                configuration: LDAPConfiguration(url: "ldap://127.0.0.1:\(relay.port)", networkTimeout: .seconds(2), operationTimeout: .seconds(3)),
                credentials: TestDirectory.serviceAccount, maximumConnections: 1)
            defer { pool.shutDown() }
            let configuration = try fixture.configuration(pageSize: 1, batchSize: 1)
            let cut = Atomic<Bool>(false)
            let observer = DirectorySyncObserver(progress: { progress in
                if progress.entriesRead >= 2, !cut.exchange(true, ordering: .relaxed) { relay.dropConnections(reset: true) }
            })
            let engine = DirectorySyncEngine(configuration: configuration, pool: pool, store: h.store, disabler: EngineDisabler(engine: h.engine),
                                             clock: h.clock, node: "test")
            do {
                _ = try await engine.run(observer: observer)
                Issue.record("the run finished although its connection was cut")
            } catch let error as DirectorySyncError {
                guard case .directory(let name, let cause) = error else { throw error }
                #expect(name == "ha-noi")
                #expect(cause.isUnavailable, "\(cause.debugDescription)")
                #expect(error.description.hasPrefix("directory 'ha-noi': directory ldap://127.0.0.1:\(relay.port)"), "\(error)")
                #expect(!error.description.contains("\n"))
            }
            #expect(try await h.store.read { try $0.directoryLease(directory: "ha-noi") } == nil, "the lease is given back")
            let rerun = try await engine.run()
            #expect(rerun.kind == .full && rerun.counts.created > 0 && rerun.counts.disabled == 0)
            #expect(try await h.snapshot() == .init(accounts: DirectorySyncTests.expectedAccounts, grants: DirectorySyncTests.expectedGrants))
        }
    }

    @Test func unreachableDirectoryIsAClearError() async throws {
        try await SyncHarness.with { h in
            let pool = LDAPConnectionPool(
                configuration: LDAPConfiguration(url: "ldap://127.0.0.1:\(try LoopbackPort.closed())", networkTimeout: .seconds(1)),
                credentials: TestDirectory.serviceAccount, maximumConnections: 1)
            defer { pool.shutDown() }
            let engine = DirectorySyncEngine(
                configuration: DirectorySyncConfiguration(name: "hue", userBase: "dc=hue"), pool: pool, store: h.store,
                disabler: EngineDisabler(engine: h.engine), clock: h.clock, node: "test")
            await #expect { try await engine.run() } throws: { error in
                guard let error = error as? DirectorySyncError, case .directory(_, let cause) = error else { return false }
                return cause.isUnavailable && error.description.contains("is unreachable")
            }
        }
    }

    /// Deleting an entry disables its account through the account-disable operation: its
    /// sessions and refresh tokens end and a `sub` revocation is published.
    @Test func disablingEndsSessionsAndPublishesARevocation() async throws {
        let fixture = try SyncFixture.make()
        defer { fixture.cleanUp() }
        try await SyncHarness.with { h in
            let configuration = try fixture.configuration(method: .contentSync)
            _ = try await h.syncEngine(configuration).run()
            let hoa = try await h.account("pham.thi.hoa")
            let now = h.clock.now()
            try await h.store.write { tx in
                try tx.insertClient(Client(id: "portal", name: "Cổng", secretHash: "x", redirectURIs: ["https://portal.test/cb"], createdAt: now))
                try tx.insertSession(SSOSession(idHash: "session-hoa", accountID: hoa.id, authTime: now, lastSeenAt: now, expiresAt: now + 3600))
                try tx.insertRefreshFamily(RefreshFamily(id: UUID(), clientID: "portal", accountID: hoa.id, sessionID: "session-hoa",
                                                         scope: "openid", currentTokenHash: "h", createdAt: now, expiresAt: now + 86_400))
            }
            try fixture.admin.delete(fixture.dn("pham.thi.hoa"))
            let report = try await h.syncEngine(configuration).run()
            #expect(report.disabledAccounts == ["pham.thi.hoa"])
            let after = try await h.store.read { tx in
                (try tx.account(id: hoa.id), try tx.sessions(accountID: hoa.id), try tx.revocations(after: 0, limit: 100))
            }
            #expect(after.0.status == .disabled)
            #expect(after.1.allSatisfy { $0.revokedAt != nil })
            #expect(after.2.contains { $0.kind == .subject && $0.value.lowercased() == hoa.id.uuidString.lowercased() })
            let events = try await h.store.read { try $0.auditEvents(after: 0, limit: 10_000) }
            #expect(events.contains { $0.record.action == "account.disable" && $0.record.actor == "ldap:ha-noi" })
            #expect(events.contains { $0.record.action == "ldap.account.disable" && $0.record.detail["reason"] != nil })
            let run = try #require(events.last)
            #expect(run.record.action == "ldap.sync" && run.record.detail["disabled_accounts"] == "pham.thi.hoa")
            #expect(try await h.store.read { try $0.countAccounts(AccountQuery(directory: "ha-noi")) } == 7, "never deleted")
        }
    }
}

/// A store whose writes fail once `failAfterWrites` have succeeded, as a process that dies.
final class FailingStore: Store, @unchecked Sendable {
    struct Crash: Error {}
    private let inner: any Store
    private let remaining: Mutex<Int>

    init(_ inner: any Store, failAfterWrites: Int) {
        self.inner = inner
        remaining = Mutex(failAfterWrites)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T { try await inner.read(body) }
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        let allowed = remaining.withLock { count -> Bool in
            count -= 1
            return count >= 0
        }
        guard allowed else { throw Crash() }
        return try await inner.write(body)
    }
    func ping() async throws { try await inner.ping() }
    func close() async {}
}

/// A store that holds its `gateAtWrite`-th write until `open()`.
final class GatedStore: Store, @unchecked Sendable {
    private let inner: any Store
    private let gateAt: Int
    private let state = Mutex<(writes: Int, gated: Bool, opened: Bool)>((0, false, false))

    init(_ inner: any Store, gateAtWrite: Int) {
        self.inner = inner
        gateAt = gateAtWrite
    }

    func waitUntilGated() async {
        while !state.withLock({ $0.gated }) { try? await Task.sleep(for: .milliseconds(10)) }
    }

    func open() { state.withLock { $0.opened = true } }

    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T { try await inner.read(body) }
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        let hold = state.withLock { s -> Bool in
            s.writes += 1
            if s.writes == gateAt { s.gated = true }
            return s.writes == gateAt
        }
        if hold { while !state.withLock({ $0.opened }) { try await Task.sleep(for: .milliseconds(10)) } }
        return try await inner.write(body)
    }
    func ping() async throws { try await inner.ping() }
    func close() async {}
}

import Foundation
import GatehouseCore
@testable import GatehouseLDAP
import GatehouseStore
import Testing

/// Synchronisation against the real slapd (with syncprov): full runs, incremental runs by
/// RFC 4533 and by `modifyTimestamp`, idempotence, dry runs.
@Suite("Directory sync against slapd", .enabled(if: TestDirectory.enabled, TestDirectory.disabledReason))
struct DirectorySyncTests {
    static let expectedAccounts: [String: String] = [
        "nguyen.thi.mai": "active / Nguyễn Thị Mai nguyen.thi.mai@gatehouse.test",
        "tran.van.hung": "active /ha-noi Trần Văn Hùng tran.van.hung@gatehouse.test",
        "le.thi.thu": "active /ha-noi/phuong-ba-dinh Lê Thị Thu le.thi.thu@gatehouse.test",
        "do.van.nam": "active /ha-noi/phuong-hoan-kiem Đỗ Văn Nam do.van.nam@gatehouse.test",
        "pham.thi.hoa": "active /hue Phạm Thị Hoa pham.thi.hoa@gatehouse.test",
        "vu.van.long": "active /hue/phuong-phu-xuan Vũ Văn Long vu.van.long@gatehouse.test",
        "ngo.thi.kim": "active /hue #Ngô Thị Kim, TS. ngo.thi.kim@gatehouse.test",
    ]

    static let expectedGrants: [String: [String]] = [
        "nguyen.thi.mai": ["auditor@/"],
        "tran.van.hung": ["clerk@/ha-noi"],
        "do.van.nam": ["clerk@/ha-noi"],
        "pham.thi.hoa": ["official@/hue"],
        "ngo.thi.kim": ["official@/hue"],
    ]

    @Test(arguments: SyncHarness.Backend.available)
    func fullSyncCreatesAccountsInTheirUnitsWithTheirGrants(_ backend: SyncHarness.Backend) async throws {
        let fixture = try SyncFixture.make()
        defer { fixture.cleanUp() }
        try await SyncHarness.with(backend) { h in
            let lines = LineRecorder()
            let report = try await h.syncEngine(try fixture.configuration()).run(observer: DirectorySyncObserver(change: lines.append))
            #expect(report.kind == .full)
            #expect(report.method == .contentSync, "slapd advertises RFC 4533 and the external id is entryUUID")
            #expect(report.counts.created == 7)
            #expect(report.counts.grantsAdded == 5)
            #expect(report.counts.skipped == 2, "\(lines.lines)")
            #expect(lines.lines.contains { $0.hasPrefix("skip") && $0.contains("ou=lac-loi") && $0.contains("no unit rule") })
            #expect(lines.lines.contains { $0.hasPrefix("skip") && $0.contains("Tên Sai") && $0.contains("must not contain") })
            let snapshot = try await h.snapshot()
            #expect(snapshot.accounts == Self.expectedAccounts, "NFD names arrive as NFC; units from parsed DNs")
            #expect(snapshot.grants == Self.expectedGrants)
            let account = try await h.account("le.thi.thu")
            #expect(account.displayName.unicodeScalars.elementsEqual("Lê Thị Thu".precomposedStringWithCanonicalMapping.unicodeScalars))
            guard case .directory("ha-noi", let externalID) = account.source else { throw TestFailure("not a directory account") }
            #expect(externalID.count == 36, "keyed by entryUUID")

            let actions = try await h.auditActions()
            #expect(actions.filter { $0 == "ldap.account.create" }.count == 7)
            #expect(actions.last == "ldap.sync")
            let state = try #require(try await h.store.read { try $0.directorySyncState(directory: "ha-noi") })
            #expect(state.cookie != nil && state.lastFullSyncAt != nil)
            #expect(try await h.store.read { try $0.directoryLease(directory: "ha-noi") } == nil, "the lease is given back")

            let again = try await h.syncEngine(try fixture.configuration()).run()
            #expect(again.kind == .incremental)
            #expect(!again.counts.hasChanges, "a second run changes nothing: \(again.counts)")
            let forced = try await h.syncEngine(try fixture.configuration()).run(full: true)
            #expect(!forced.counts.hasChanges && forced.counts.unchanged == 7, "nor does a full one: \(forced.counts)")
            #expect(try await h.snapshot() == snapshot)
        }
    }

    @Test(arguments: [DirectorySyncConfiguration.IncrementalMethod.contentSync, .modifyTimestamp])
    func incrementalRunPicksUpChanges(_ method: DirectorySyncConfiguration.IncrementalMethod) async throws {
        let fixture = try SyncFixture.make()
        defer { fixture.cleanUp() }
        try await SyncHarness.with { h in
            let configuration = try fixture.configuration(method: method)
            _ = try await h.syncEngine(configuration).run()

            let admin = fixture.admin, base = fixture.base
            try fixture.addUser("hoang.van.em", name: "Hoàng Văn Em", in: "ou=phuong-phu-xuan,ou=hue", nfd: true)
            try admin.modify(fixture.dn("tran.van.hung"), replacing: [
                LDAPAttribute("cn", ["Trần Văn Hùng (Văn thư)"]), LDAPAttribute("mail", ["hung@hanoi.gatehouse.test"]),
            ])
            // Moved to Hà Nội; the Huế group still lists the old DN (no refint overlay).
            try admin.rename(fixture.dn("pham.thi.hoa"), newRDN: "uid=pham.thi.hoa", newSuperior: "ou=ha-noi,\(base)")
            try admin.delete(fixture.dn("vu.van.long"))
            try admin.modify(fixture.dn("do.van.nam"), replacing: [LDAPAttribute("description", ["locked"])])
            try fixture.setMembers("van-thu-ha-noi", [fixture.dn("tran.van.hung"), fixture.dn("do.van.nam"), fixture.dn("le.thi.thu")])

            let lines = LineRecorder()
            let report = try await h.syncEngine(configuration).run(observer: DirectorySyncObserver(change: lines.append))
            #expect(report.kind == .incremental)
            #expect(report.method == method)
            #expect(report.counts.created == 1)
            #expect(report.counts.updated == 1)
            #expect(report.counts.moved == 1)
            // RFC 4533 reports the deleted entry; a modifyTimestamp search cannot see deletions.
            #expect(report.counts.disabled == (method == .contentSync ? 2 : 1), "\(lines.lines)")
            #expect(report.counts.grantsAdded == 1)
            #expect(report.counts.grantsRemoved == 2, "do.van.nam's clerk (locked), pham.thi.hoa's official (moved out of the group)")
            #expect(lines.lines.contains("move     pham.thi.hoa  /hue → /ha-noi"))
            #expect(lines.lines.contains("disable  do.van.nam  (entry gone or no longer matching the user filter)"))

            var expected = Self.expectedAccounts
            expected["hoang.van.em"] = "active /hue/phuong-phu-xuan Hoàng Văn Em hoang.van.em@gatehouse.test"
            expected["tran.van.hung"] = "active /ha-noi Trần Văn Hùng (Văn thư) hung@hanoi.gatehouse.test"
            expected["pham.thi.hoa"] = "active /ha-noi Phạm Thị Hoa pham.thi.hoa@gatehouse.test"
            expected["do.van.nam"] = "disabled /ha-noi/phuong-hoan-kiem Đỗ Văn Nam do.van.nam@gatehouse.test"
            if method == .contentSync { expected["vu.van.long"] = "disabled /hue/phuong-phu-xuan Vũ Văn Long vu.van.long@gatehouse.test" }
            var grants = Self.expectedGrants
            grants["do.van.nam"] = nil
            grants["pham.thi.hoa"] = nil
            grants["le.thi.thu"] = ["clerk@/ha-noi"]
            #expect(try await h.snapshot() == .init(accounts: expected, grants: grants))

            let again = try await h.syncEngine(configuration).run()
            #expect(!again.counts.hasChanges, "idempotent: \(again.counts)")
            if method == .modifyTimestamp {
                let full = try await h.syncEngine(configuration).run(full: true)
                #expect(full.counts.disabled == 1, "the deletion shows at the next full run")
                #expect(try await h.account("vu.van.long").status == .disabled)
            }

            // The entry comes back: the account the synchronisation disabled is enabled again.
            try admin.modify(fixture.dn("do.van.nam"), replacing: [LDAPAttribute("description", [])])
            let back = try await h.syncEngine(configuration).run()
            #expect(back.counts.reenabled == 1 && back.counts.grantsAdded == 1, "\(back.counts)")
            #expect(try await h.account("do.van.nam").status == .active)
        }
    }

    /// After a slapd restart the session log is empty and an incremental refresh turns into a
    /// present phase: the server lists what is there and the bridge infers deletions. An
    /// outdated cookie gets the same answer.
    @Test func presentPhaseInfersDeletions() async throws {
        let fixture = try SyncFixture.make()
        defer { fixture.cleanUp() }
        try await SyncHarness.with { h in
            let configuration = try fixture.configuration(method: .contentSync)
            _ = try await h.syncEngine(configuration).run()
            try fixture.admin.delete(fixture.dn("vu.van.long"))
            try await h.store.write { tx in
                var state = try tx.directorySyncState(directory: "ha-noi")!
                state.cookie = Array("rid=000,csn=20000101000000.000000Z#000000#000#000000".utf8)
                try tx.saveDirectorySyncState(state)
            }
            let report = try await h.syncEngine(configuration).run()
            #expect(report.kind == .incremental)
            #expect(report.counts.disabled == 1)
            #expect(report.counts.unchanged == 6, "\(report.counts)")
            #expect(try await h.account("vu.van.long").status == .disabled)
            #expect(try await h.account("tran.van.hung").status == .active)
        }
    }

    @Test func dryRunWritesNothing() async throws {
        let fixture = try SyncFixture.make()
        defer { fixture.cleanUp() }
        try await SyncHarness.with { h in
            let lines = LineRecorder()
            let report = try await h.syncEngine(try fixture.configuration()).run(dryRun: true, observer: DirectorySyncObserver(change: lines.append))
            #expect(report.dryRun && report.counts.created == 7 && report.counts.grantsAdded == 5)
            #expect(lines.lines.filter { $0.hasPrefix("create") }.count == 7)
            #expect(lines.lines.contains("grant+   tran.van.hung  clerk@/ha-noi"))
            #expect(try await h.store.read { try $0.countAccounts(AccountQuery()) } == 0)
            #expect(try await h.auditActions().isEmpty)
            #expect(try await h.store.read { try $0.directorySyncState(directory: "ha-noi") } == nil)
            #expect(try await h.store.read { try $0.directoryLease(directory: "ha-noi") } == nil)
        }
    }

    /// Grants given by hand are never taken away, nor given twice.
    @Test func grantsGivenByHandAreLeftAlone() async throws {
        let fixture = try SyncFixture.make()
        defer { fixture.cleanUp() }
        try await SyncHarness.with { h in
            let configuration = try fixture.configuration()
            _ = try await h.syncEngine(configuration).run()
            let thu = try await h.account("le.thi.thu"), hung = try await h.account("tran.van.hung")
            let now = h.clock.now()
            try await h.store.write { tx in
                let hanoi = try tx.unit(path: try UnitPath("/ha-noi"))
                try tx.insertGrant(RoleGrant(id: UUID(), accountID: thu.id, role: "clerk", unitID: hanoi.id, createdAt: now))
                try tx.insertGrant(RoleGrant(id: UUID(), accountID: hung.id, role: "official", unitID: hanoi.id, createdAt: now))
            }
            try fixture.setMembers("van-thu-ha-noi", [fixture.dn("tran.van.hung"), fixture.dn("do.van.nam"), fixture.dn("le.thi.thu")])
            let joined = try await h.syncEngine(configuration).run()
            #expect(!joined.counts.hasChanges, "the clerk grant by hand already gives what the group gives: \(joined.counts)")
            try fixture.setMembers("van-thu-ha-noi", [fixture.dn("do.van.nam")])
            let left = try await h.syncEngine(configuration).run()
            #expect(left.counts.grantsRemoved == 1, "only the managed grant of tran.van.hung: \(left.counts)")
            let grants = try await h.snapshot().grants
            #expect(grants["le.thi.thu"] == ["clerk@/ha-noi"])
            #expect(grants["tran.van.hung"] == ["official@/ha-noi"])
        }
    }

    /// A directory user whose username a local account holds is not merged into it.
    @Test func usernameOfALocalAccountIsNotTakenOver() async throws {
        let fixture = try SyncFixture.make()
        defer { fixture.cleanUp() }
        try await SyncHarness.with { h in
            let now = h.clock.now()
            let local = Account(id: UUID(), username: try Username("pham.thi.hoa"), displayName: "Cán bộ trung ương",
                                unitID: try await h.store.read { try $0.unit(path: .root).id }, createdAt: now)
            try await h.store.write { try $0.insertAccount(local) }
            let lines = LineRecorder()
            let report = try await h.syncEngine(try fixture.configuration()).run(observer: DirectorySyncObserver(change: lines.append))
            #expect(report.counts.created == 6 && report.counts.skipped == 3)
            #expect(lines.lines.contains { $0.contains("username 'pham.thi.hoa' is taken by a local account") })
            #expect(try await h.account("pham.thi.hoa").source == .local)
        }
    }
}

/// Collects the lines an observer is given.
final class LineRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var lines: [String] { lock.withLock { stored } }
    var append: @Sendable (String) -> Void { { [self] line in lock.withLock { stored.append(line) } } }
}

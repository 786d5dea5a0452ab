import Foundation
import GatehouseCore

/// Many transactions at once against one row, one unique key, or the audit chain. Kept
/// apart from the functional cases (as Dex does) because they are slower and test the
/// backend's locking rather than its mapping.
enum ContentionCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("contention.version-checked-increments", versionCheckedIncrements),
        ConformanceCase("contention.same-username-inserts", sameUsernameInserts),
        ConformanceCase("contention.audit-appends", auditAppends),
    ]

    static let writers = 50

    /// Each task reads the account, increments a counter in it and stores it with the version
    /// it read, retrying on `conflict`: every increment must land exactly once.
    static func versionCheckedIncrements(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        let account = Fixture.account("counter", unit: root, clock: clock)
        var counted = account
        counted.displayName = "0"
        try await store.write { [counted] in try $0.insertAccount(counted) }
        let attempts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<writers {
                group.addTask {
                    var attempts = 0
                    while true {
                        attempts += 1
                        var current = try await store.read { try $0.account(id: account.id) }
                        current.displayName = String(Int(current.displayName)! + 1)
                        do {
                            _ = try await store.write { [current] in try $0.updateAccount(current) }
                            return attempts
                        } catch let error as StoreError where error.kind == .conflict {
                            if attempts > 1_000 { throw ConformanceFailure("increment did not land after 1000 attempts") }
                        }
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        let final = try await store.read { try $0.account(id: account.id) }
        try checkEqual(final.displayName, String(writers), "every increment landed once")
        try checkEqual(final.version, 1 + writers, "one version per increment")
        try check(attempts >= writers, "attempt count")
    }

    /// Concurrent inserts of one username: exactly one wins, every other sees `alreadyExists`.
    static func sameUsernameInserts(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        let racers = 20
        let results = try await withThrowingTaskGroup(of: StoreError?.self) { group in
            for i in 0..<racers {
                group.addTask {
                    let account = Fixture.account(i % 2 == 0 ? "Hot.Name" : "hot.NAME", unit: root, clock: clock)
                    do {
                        try await store.write { tx in
                            try tx.insertAccount(account)
                            try tx.appendAudit(Fixture.audit("account.create", clock: clock))
                        }
                        return nil
                    } catch let error as StoreError {
                        return error
                    }
                }
            }
            return try await group.reduce(into: [StoreError?]()) { $0.append($1) }
        }
        try checkEqual(results.filter { $0 == nil }.count, 1, "exactly one insert succeeded")
        for case let error? in results {
            try checkEqual(error.kind, .alreadyExists, "the others: \(error.debugDescription)")
        }
        try checkEqual(try await store.read { try $0.countAccounts(AccountQuery()) }, 1, "one account stored")
        try checkEqual(try await store.read { try $0.lastAuditEvent() }?.sequence, 1, "one audit event, from the winner")
    }

    /// Concurrent single-event appends form one contiguous, valid chain.
    static func auditAppends(store: any Store, clock: ManualClock) async throws {
        let sequences = try await withThrowingTaskGroup(of: Int64.self) { group in
            for i in 0..<writers {
                group.addTask {
                    try await store.write { try $0.appendAudit(Fixture.audit("test.concurrent", clock: clock, detail: ["writer": String(i)])) }.sequence
                }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        try checkEqual(sequences.sorted(), Array(1...Int64(writers)), "each append got its own sequence")
        let events = try await store.read { try $0.auditEvents(after: 0, limit: 1_000) }
        try checkEqual(events.count, writers, "every event stored")
        try checkEqual(AuditChain.verify(events), nil, "the chain verifies")
        try checkEqual(Set(events.map { $0.record.detail["writer"]! }).count, writers, "no event lost or doubled")
    }
}

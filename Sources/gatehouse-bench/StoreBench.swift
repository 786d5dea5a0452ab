import Foundation
import GatehouseCore
import GatehouseStore
import GatehouseStorePostgres
import GatehouseStoreSQL
import GatehouseStoreSQLite

/// The store at the scale Gatehouse runs at: 150,000 accounts in a tree of 34 provinces and
/// about 3,300 communes.
///
/// - account inserts per second, in transactions of 1,000;
/// - single-row reads by username per second, one task and eight;
/// - subtree counts (a province, the whole tree);
/// - audit appends per second, one event per transaction, next to the cost of the primitive
///   underneath: a bare `BEGIN; INSERT one row; COMMIT` on a one-column table in the same
///   database, which is what the disk's sync rate allows.
///
/// SQLite runs in a temporary folder. PostgreSQL runs too when `GATEHOUSE_BENCH_POSTGRES_URL`
/// is set: a maintenance URL through which the bench creates a scratch database and drops it
/// afterwards (`scripts/test-postgres.sh start DIR` prints one, with fsync off).
enum StoreBench {
    static let accounts = 150_000
    static let batch = 1_000
    static let provinces = 34
    static let communesPerProvince = 97

    static func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlite = try SQLiteDatabase(path: folder.appendingPathComponent("bench.sqlite").path)
        try await bench("sqlite", database: sqlite)

        if let url = ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_POSTGRES_URL"], !url.isEmpty {
            try await withScratchPostgres(url) { database in try await bench("postgres", database: database) }
        }
    }

    static func bench(_ label: String, database: any SQLDatabase) async throws {
        let store = try await SQLStore(database: database)
        do {
            try await measure(label, store: store, database: database)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    static func measure(_ label: String, store: SQLStore, database: any SQLDatabase) async throws {

        // The tree: provinces and communes, in one transaction.
        let root = try await store.read { try $0.unit(path: .root) }
        let now = Date()
        var provinceUnits: [OrgUnit] = []
        var communes: [OrgUnit] = []
        for p in 1...provinces {
            let province = OrgUnit(id: UUID(), path: try UnitPath(String(format: "/tinh-%02d", p)), name: "Tỉnh \(p)", parentID: root.id, createdAt: now)
            provinceUnits.append(province)
            for c in 1...communesPerProvince {
                communes.append(OrgUnit(
                    id: UUID(), path: try province.path.appending(String(format: "xa-%03d", c)), name: "Xã \(c) tỉnh \(p)",
                    parentID: province.id, createdAt: now))
            }
        }
        try await store.write { [provinceUnits, communes] tx in
            for unit in provinceUnits + communes { try tx.insertUnit(unit) }
        }

        // Accounts, spread over the communes, 1,000 per transaction.
        let communeIDs = communes.map(\.id)
        let insertStart = DispatchTime.now().uptimeNanoseconds
        for first in stride(from: 0, to: accounts, by: batch) {
            try await store.write { tx in
                for i in first..<min(first + batch, accounts) {
                    try tx.insertAccount(Account(
                        id: UUID(), username: try Username(username(i)), displayName: "Cán bộ số \(i)", email: "\(username(i))@example.gov.vn",
                        unitID: communeIDs[i % communeIDs.count], passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
                        createdAt: now))
                }
            }
        }
        let insertSeconds = Double(DispatchTime.now().uptimeNanoseconds - insertStart) / 1e9
        report("\(label): account inserts, 1,000 per transaction", Double(accounts) / insertSeconds, "accounts/s")

        // Reads by username.
        let single = try await perSecond {
            let name = try Username(username(Int.random(in: 0..<accounts)))
            _ = try await store.read { try $0.account(username: name) }
        }
        report("\(label): read by username, 1 task", single, "reads/s")
        let parallel = try await perSecond(tasks: 8) {
            let name = try Username(username(Int.random(in: 0..<accounts)))
            _ = try await store.read { try $0.account(username: name) }
        }
        report("\(label): read by username, 8 tasks", parallel, "reads/s")

        // Subtree counts.
        let province = provinceUnits[provinces / 2].path
        let inProvince = try await store.read { try $0.countAccounts(AccountQuery(subtree: province)) }
        let provinceRate = try await perSecond(seconds: 1) { _ = try await store.read { try $0.countAccounts(AccountQuery(subtree: province)) } }
        report("\(label): count \(inProvince) accounts in \(province)", provinceRate, "counts/s")
        let everyone = try await store.read { try $0.countAccounts(AccountQuery(subtree: .root)) }
        let rootRate = try await perSecond(seconds: 1) { _ = try await store.read { try $0.countAccounts(AccountQuery(subtree: .root)) } }
        report("\(label): count \(everyone) accounts under /", rootRate, "counts/s")
        let unitRate = try await perSecond(seconds: 1) { _ = try await store.read { try $0.countUnits(in: province) } }
        report("\(label): count units in \(province)", unitRate, "counts/s")

        // Audit appends against the bare durable-commit rate.
        let audit = try await perSecond {
            _ = try await store.write { try $0.appendAudit(AuditRecord(action: "bench.append", actor: "bench", target: "x", time: Date())) }
        }
        report("\(label): audit append, 1 per transaction", audit, "appends/s")
        let audit8 = try await perSecond(tasks: 8) {
            _ = try await store.write { try $0.appendAudit(AuditRecord(action: "bench.append", actor: "bench", target: "x", time: Date())) }
        }
        report("\(label): audit append, 8 tasks", audit8, "appends/s")
        let bare = try await bareCommitRate(database)
        report("\(label): bare BEGIN; INSERT; COMMIT (floor)", bare, "commits/s")
        report("\(label): serialization retries, whole run", Double(store.serializationRetries), "retries")
    }

    static func username(_ i: Int) -> String { String(format: "can.bo.%06d", i) }

    /// One-row transactions on a one-column table, through the driver alone.
    static func bareCommitRate(_ database: any SQLDatabase) async throws -> Double {
        try await database.withConnection(forWriting: true) { try $0.executeScript("CREATE TABLE bench_commit (n BIGINT)") }
        let begin = database.dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await perSecond {
            let value = Int64.random(in: 0..<Int64.max)
            try await database.withConnection(forWriting: true) { connection in
                try connection.execute(begin, [])
                try connection.execute("INSERT INTO bench_commit (n) VALUES ($1)", [.int(value)])
                try connection.execute("COMMIT", [])
            }
        }
    }

    /// Runs `body` repeatedly for about `seconds` in `tasks` concurrent tasks and returns the
    /// total operations per second (the async counterpart of `opsPerSecond`).
    static func perSecond(seconds: Double = 2, tasks: Int = 1, _ body: @escaping @Sendable () async throws -> Void) async throws -> Double {
        for _ in 0..<10 { try await body() }  // warm up
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        let count = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    var n = 0
                    while DispatchTime.now().uptimeNanoseconds < deadline {
                        try await body()
                        n += 1
                    }
                    return n
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(count) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Creates a scratch database through the maintenance URL `url`, runs `body` on it and
    /// drops it. The name is random hex: safe in CREATE/DROP DATABASE, which take no parameters.
    static func withScratchPostgres(_ url: String, _ body: (PostgresDatabase) async throws -> Void) async throws {
        let admin = try PostgresDatabase(url: url, poolSize: 1)
        let name = "gh_bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await admin.withConnection(forWriting: true) { try $0.executeScript("CREATE DATABASE \(name)") }
        var failure: (any Error)?
        do {
            guard var components = URLComponents(string: url) else { throw StoreError.invalid("GATEHOUSE_BENCH_POSTGRES_URL is not a URL") }
            components.path = "/" + name
            let database = try PostgresDatabase(url: components.string ?? url, poolSize: 8)
            do { try await body(database) } catch { failure = error }
            await database.close()
        } catch {
            failure = failure ?? error
        }
        try await admin.withConnection(forWriting: true) { try $0.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        await admin.close()
        if let failure { throw failure }
    }
}

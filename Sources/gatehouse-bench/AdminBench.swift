import Foundation
import GatehouseCore
import GatehousePolicy
import GatehouseStore
import GatehouseStorePostgres
import GatehouseStoreSQL
import GatehouseStoreSQLite

/// What delegated administration asks of the store and the authorizer, at 150,000 accounts in
/// the 34 provinces of `Tests/Fixtures/provinces.csv` with 97 communes each (3,332 units), on
/// SQLite and (when `GATEHOUSE_BENCH_POSTGRES_URL` is set) on PostgreSQL:
///
/// - the admin account list, a page of 50 ordered by username (`StoreReader.accounts`): by a
///   username prefix of 2–4 letters, by a province subtree, by a commune subtree, and by a prefix
///   inside a province (what a province administrator's search box sends), with the totals the
///   list shows (`countAccounts`); p50 and p99 over 1,000 queries with varied arguments, next to
///   an empty read transaction and a one-row read, the floor every query pays;
/// - the authorization decision for an admin action (`Authorizer.decide`, `mayGrant`) with the
///   roles of `Policies/roles.yaml`, per decision; and the whole decision with the actor's
///   grants loaded from the store (`effectiveGrants`), p50 and p99;
/// - the audit log: appending 1,000 events one per transaction and 10,000 in transactions of 100,
///   1,000 and 5,000, then 1,000,000 more (1,000 per transaction), then verifying the whole chain
///   as `gatehouse audit verify` does (batches of 10,000 through `AuditChainVerifier`), next to
///   reading the same batches without verifying and to the SHA-256 chain hash alone, with the
///   process's peak memory during the verification.
///
/// The accounts are seeded with the store's bulk inserts; how fast `gatehouse accounts import`
/// loads the same 150,000 is `gatehouse-bench import`. A query whose p99 passes 50 ms has the
/// plan of its slowest run printed (EXPLAIN QUERY PLAN, EXPLAIN ANALYZE); `GATEHOUSE_BENCH_EXPLAIN=1`
/// prints every plan. `GATEHOUSE_BENCH_ACCOUNTS`, `GATEHOUSE_BENCH_AUDIT_EVENTS` and
/// `GATEHOUSE_BENCH_QUERIES` set other sizes for a quick run.
enum AdminBench {
    static let environment = ProcessInfo.processInfo.environment
    static var accounts: Int { environment["GATEHOUSE_BENCH_ACCOUNTS"].flatMap { Int($0) } ?? 150_000 }
    static var auditEvents: Int { environment["GATEHOUSE_BENCH_AUDIT_EVENTS"].flatMap { Int($0) } ?? 1_000_000 }
    static var queries: Int { environment["GATEHOUSE_BENCH_QUERIES"].flatMap { Int($0) } ?? 1_000 }
    static var explainAll: Bool { environment["GATEHOUSE_BENCH_EXPLAIN"].map { !$0.isEmpty && $0 != "0" } ?? false }
    static let communesPerProvince = 97
    static let pageSize = 50
    static let seedBatch = 5_000
    /// Events per transaction of the 1,000,000 appended; `GATEHOUSE_BENCH_AUDIT_BATCH` sets another.
    static var auditBatch: Int { environment["GATEHOUSE_BENCH_AUDIT_BATCH"].flatMap { Int($0) }.map { max(1, $0) } ?? 1_000 }
    /// Transaction sizes compared before the big append, `probeEvents` events each.
    static let probeBatches = [1, 100, 1_000, 5_000]
    static let probeEvents = 10_000
    /// `gatehouse audit verify` reads this many events per read transaction.
    static let verifyBatch = 10_000
    /// A p99 above this prints the query's plan.
    static let slowMilliseconds = 50.0

    static func run() async throws {
        let roles = try PolicySet.parse(["roles.yaml": try String(contentsOfFile: "Policies/roles.yaml", encoding: .utf8)]).roles
        let tree = try Tree.load()
        print("\(accounts) accounts, \(tree.provinces.count) provinces and \(tree.communes.count) communes, \(auditEvents) audit events, "
            + "\(queries) queries per figure, \(roles.count) roles from Policies/roles.yaml, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-admin-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await bench("sqlite", database: try SQLiteDatabase(path: folder.appendingPathComponent("admin.sqlite").path), tree: tree, roles: roles)
        if let url = environment["GATEHOUSE_BENCH_POSTGRES_URL"], !url.isEmpty {
            try await StoreBench.withScratchPostgres(url) { database in
                try await bench("postgres", database: database, tree: tree, roles: roles)
            }
        } else {
            print("postgres: skipped (GATEHOUSE_BENCH_POSTGRES_URL is not set)")
        }
    }

    static func bench(_ label: String, database: any SQLDatabase, tree: Tree, roles: [Role]) async throws {
        let store = try await SQLStore(database: database)
        do {
            let seeded = try await seed(label, store: store, database: database, tree: tree)
            try await searches(label, store: store, database: database, tree: tree, seeded: seeded)
            try await decisions(label, store: store, tree: tree, seeded: seeded, roles: roles)
            try await audit(label, store: store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    // MARK: Seeding

    /// The unit tree, built once and inserted into each backend.
    struct Tree: Sendable {
        var provinces: [OrgUnit] = []
        var communes: [OrgUnit] = []

        /// The provinces of `Tests/Fixtures/provinces.csv`, each with `communesPerProvince`
        /// communes named as `ImportFiles` names them; the root's id is filled in per store.
        static func load() throws -> Tree {
            let csv = try String(contentsOfFile: "Tests/Fixtures/provinces.csv", encoding: .utf8)
            var tree = Tree()
            let now = Date()
            for line in csv.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                guard fields.count >= 2 else { continue }
                let province = OrgUnit(id: UUID(), path: try UnitPath("/" + String(fields[0])), name: String(fields[1]), parentID: nil, createdAt: now)
                tree.provinces.append(province)
                for n in 1...communesPerProvince {
                    let name = "\(n % 3 == 0 ? "Phường" : "Xã") \(ImportFiles.places[n % ImportFiles.places.count]) \(n)"
                    let slug = ImportFiles.ascii(name).replacingOccurrences(of: " ", with: "-")
                    tree.communes.append(OrgUnit(id: UUID(), path: try province.path.appending(slug), name: name, parentID: province.id, createdAt: now))
                }
            }
            return tree
        }
    }

    /// What the seeding left for the measurements to aim at.
    struct Seeded: Sendable {
        var usernames: [String]
        /// Administrators: account id and the unit of their admin grant.
        var provinceAdmins: [(id: UUID, unit: UnitPath)]
        var communeAdmins: [(id: UUID, unit: UnitPath)]
        var grants: Int
    }

    /// Units one by one, then accounts and grants with the bulk inserts, `seedBatch` per
    /// transaction: 7 in 10 accounts hold `official` at their unit and 2 in 10 `clerk`; the first
    /// account of each province holds `province-admin` there, the first of each commune
    /// `commune-admin`, and account 0 `central-admin` at the root.
    static func seed(_ label: String, store: SQLStore, database: any SQLDatabase, tree: Tree) async throws -> Seeded {
        let start = DispatchTime.now().uptimeNanoseconds
        let root = try await store.read { try $0.unit(path: .root) }
        try await store.write { tx in
            for var province in tree.provinces {
                province.parentID = root.id
                try tx.insertUnit(province)
            }
            for commune in tree.communes { try tx.insertUnit(commune) }
        }
        let unitsDone = DispatchTime.now().uptimeNanoseconds
        let now = Date()
        let count = accounts
        var all: [Account] = [], grants: [RoleGrant] = [], usernames: [String] = []
        all.reserveCapacity(count)
        usernames.reserveCapacity(count)
        var provinceAdmins: [Int: (id: UUID, unit: UnitPath)] = [:], communeAdmins: [Int: (id: UUID, unit: UnitPath)] = [:]
        for i in 0..<count {
            let (f, m, g) = (ImportFiles.family[i % 16], ImportFiles.middle[(i / 7) % 10], ImportFiles.given[(i / 3) % 30])
            let username = "\(ImportFiles.ascii(f)).\(ImportFiles.ascii(m)).\(ImportFiles.ascii(g)).\(i)".lowercased()
            let atProvince = i % 10 == 0
            let unitIndex = atProvince ? (i / 10) % tree.provinces.count : i % tree.communes.count
            let unit = atProvince ? tree.provinces[unitIndex] : tree.communes[unitIndex]
            let id = UUID()
            all.append(Account(
                id: id, username: try Username(username), displayName: "\(f) \(m) \(g)", email: "\(username)@\(unit.path.segments[0]).gov.vn",
                unitID: unit.id, status: i % 50 == 0 ? .disabled : .active,
                passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", createdAt: now))
            usernames.append(username)
            if i % 10 < 9 { grants.append(RoleGrant(id: UUID(), accountID: id, role: i % 10 < 7 ? "official" : "clerk", unitID: unit.id, createdAt: now)) }
            if i == 0 {
                grants.append(RoleGrant(id: UUID(), accountID: id, role: "central-admin", unitID: root.id, createdAt: now))
            } else if atProvince, provinceAdmins[unitIndex] == nil {
                provinceAdmins[unitIndex] = (id, unit.path)
                grants.append(RoleGrant(id: UUID(), accountID: id, role: "province-admin", unitID: unit.id, createdAt: now))
            } else if !atProvince, communeAdmins[unitIndex] == nil {
                communeAdmins[unitIndex] = (id, unit.path)
                grants.append(RoleGrant(id: UUID(), accountID: id, role: "commune-admin", unitID: unit.id, createdAt: now))
            }
        }
        for first in stride(from: 0, to: all.count, by: seedBatch) {
            let batch = Array(all[first..<min(first + seedBatch, all.count)])
            try await store.write { try $0.insertAccounts(batch) }
        }
        for first in stride(from: 0, to: grants.count, by: seedBatch) {
            let batch = Array(grants[first..<min(first + seedBatch, grants.count)])
            try await store.write { try $0.insertGrants(batch) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        report("\(label): seed \(tree.provinces.count + tree.communes.count) units, one insert each", Double(unitsDone - start) / 1e9, "s")
        report("\(label): seed \(count) accounts and \(grants.count) grants (bulk)", seconds - Double(unitsDone - start) / 1e9, "s")
        if database.dialect == .postgres {
            // What autovacuum does after a bulk load anyway, done now so the plans measured are
            // the ones it settles on rather than whichever comes first.
            try await database.withConnection(forWriting: true) { try $0.executeScript("ANALYZE") }
        }
        return Seeded(
            usernames: usernames, provinceAdmins: provinceAdmins.keys.sorted().map { provinceAdmins[$0]! },
            communeAdmins: communeAdmins.keys.sorted().map { communeAdmins[$0]! }, grants: grants.count)
    }

    // MARK: The account list

    static func searches(_ label: String, store: SQLStore, database: any SQLDatabase, tree: Tree, seeded: Seeded) async throws {
        let n = queries, page = Page(limit: pageSize)
        let usernames = seeded.usernames
        let floor = try await latencies(n) { _ in _ = try await store.read { _ in 0 } }
        floor.report("\(label): empty read transaction (floor)")
        let single = try await latencies(n) { i in
            let name = try Username(usernames[(i &* 7_919) % usernames.count])
            _ = try await store.read { try $0.account(username: name) }
        }
        single.report("\(label): one account by username (floor)")

        // Prefixes of 2, 3 and 4 letters of existing usernames: "ng" (nguyen, ngo: 1 in 8
        // accounts), "tra", "le.v" and so on.
        var random = SplitMix(seed: 42)
        let prefixes = (0..<n).map { _ in String(usernames[random.next(usernames.count)].prefix(2 + random.next(3))) }
        let provinces = (0..<n).map { _ in tree.provinces[random.next(tree.provinces.count)].path }
        let communes = (0..<n).map { _ in tree.communes[random.next(tree.communes.count)].path }
        let cases: [(name: String, queries: [AccountQuery])] = [
            ("prefix of 2-4 letters", prefixes.map { AccountQuery(usernamePrefix: $0) }),
            ("province subtree", provinces.map { AccountQuery(subtree: $0) }),
            ("commune subtree", communes.map { AccountQuery(subtree: $0) }),
            ("prefix of 2-4 letters in a province", zip(provinces, prefixes).map { AccountQuery(subtree: $0, usernamePrefix: $1) }),
        ]
        for (name, list) in cases {
            var rows = 0, total = 0
            let pageLatency = try await latencies(n) { i in
                let query = list[i]
                rows += try await store.read { try $0.accounts(query, page: page) }.count
            }
            let countLatency = try await latencies(n) { i in
                let query = list[i]
                total += try await store.read { try $0.countAccounts(query) }
            }
            pageLatency.report("\(label): accounts by \(name), page of \(pageSize) (\(rows / n) rows avg)")
            countLatency.report("\(label): count accounts by \(name) (\(total / n) avg)")
            if pageLatency.p99 > slowMilliseconds * 1_000 || explainAll {
                try await explain(label, database: database, "accounts by \(name), the slowest", AccountSQL.page(list[pageLatency.slowest], page: page))
            }
            if countLatency.p99 > slowMilliseconds * 1_000 || explainAll {
                try await explain(label, database: database, "count accounts by \(name), the slowest", AccountSQL.count(list[countLatency.slowest]))
            }
        }
    }

    // MARK: Authorization

    static func decisions(_ label: String, store: SQLStore, tree: Tree, seeded: Seeded, roles: [Role]) async throws {
        let authorizer = Authorizer(roles: roles)
        // A province administrator of the first province who also audits the second, files
        // documents in one of its communes and reads them in one of their own.
        let home = tree.provinces[0].path, other = tree.provinces[1 % tree.provinces.count].path
        let grants = [
            EffectiveGrant(role: "province-admin", unit: home),
            EffectiveGrant(role: "auditor", unit: other),
            EffectiveGrant(role: "clerk", unit: tree.communes[communesPerProvince].path),
            EffectiveGrant(role: "official", unit: tree.communes[1].path),
        ]
        let inside = tree.communes.prefix(communesPerProvince).map(\.path)
        let outside = tree.communes.dropFirst(communesPerProvince).map(\.path)
        var i = 0
        let cases: [(String, () -> Decision)] = [
            ("decide accounts.disable, allowed (commune in subtree)", { authorizer.decide(.accountsDisable, at: inside[i % inside.count], grants: grants) }),
            ("decide accounts.disable, denied (other province)", { authorizer.decide(.accountsDisable, at: outside[i % outside.count], grants: grants) }),
            ("mayGrant commune-admin, allowed", { authorizer.mayGrant("commune-admin", at: inside[i % inside.count], grants: grants) }),
            ("mayGrant province-admin at a commune, denied (level)", { authorizer.mayGrant("province-admin", at: inside[i % inside.count], grants: grants) }),
        ]
        for (name, decision) in cases {
            var allowed = 0
            let rate = opsPerSecond {
                i &+= 1
                if decision().isAllowed { allowed += 1 }
            }
            report("\(label): \(name), \(grants.count) grants", 1e9 / rate, "ns/decision")
            report("\(label): \(name)", rate, "decisions/s")
        }

        // The whole decision: load the actor's grants, then decide at a commune of the actor's
        // own unit (allowed) or of the next province (denied), alternately.
        let admins = (seeded.provinceAdmins + seeded.communeAdmins)
        guard !admins.isEmpty else { return }
        let provinceOf = Dictionary(tree.provinces.enumerated().map { ($1.path.segments[0], $0) }, uniquingKeysWith: { a, _ in a })
        var allowedCount = 0, grantsLoaded = 0
        let loaded = try await latencies(queries) { i in
            let admin = admins[(i &* 131) % admins.count]
            let p = provinceOf[admin.unit.segments[0]] ?? 0
            let target = admin.unit.depth == 2 && i % 2 == 0
                ? admin.unit
                : tree.communes[((i % 2 == 0 ? p : p + 1) % tree.provinces.count) * communesPerProvince + i % communesPerProvince].path
            let id = admin.id
            let grants = try await store.read { try $0.effectiveGrants(accountID: id) }
            grantsLoaded += grants.count
            if authorizer.decide(.accountsDisable, at: target, grants: grants).isAllowed { allowedCount += 1 }
        }
        loaded.report("\(label): effectiveGrants + decide (\(String(format: "%.1f", Double(grantsLoaded) / Double(queries))) grants, \(allowedCount * 100 / queries)% allowed)")
    }

    // MARK: The audit log

    static func audit(_ label: String, store: SQLStore) async throws {
        // The transaction size matters: a transaction's appends share one durable commit, and
        // the one-row chain head is written once per transaction (it was once per event, which
        // left PostgreSQL a growing chain of row versions to step over in a long transaction).
        var appended = 0
        for size in probeBatches {
            let events = size == 1 ? probeEvents / 10 : probeEvents
            let seconds = try await append(store, from: appended, count: events, batch: size)
            appended += events
            report("\(label): audit append, \(size) per transaction (\(events) events)", Double(events) / seconds, "events/s")
        }
        let batch = auditBatch, events = auditEvents
        let appendSeconds = try await append(store, from: appended, count: events, batch: batch)
        appended += events
        report("\(label): audit append, \(batch) per transaction", Double(events) / appendSeconds, "events/s")
        report("\(label): audit append of \(events) events, total", appendSeconds, "s")

        // `gatehouse audit verify`, batch for batch.
        Memory.resetPeak()
        let before = Memory.current()
        let verifyStart = DispatchTime.now().uptimeNanoseconds
        var verifier = AuditChainVerifier()
        var after: Int64 = 0
        while true {
            let from = after
            let batch = try await store.read { tx in try tx.auditEvents(after: from, limit: verifyBatch) }
            if let fault = verifier.check(batch) { throw BenchFailure("\(label): audit chain broken: \(fault)") }
            guard let last = batch.last else { break }
            after = last.sequence
        }
        if let fault = verifier.finish() { throw BenchFailure("\(label): audit chain broken: \(fault)") }
        let verifySeconds = Double(DispatchTime.now().uptimeNanoseconds - verifyStart) / 1e9
        let peak = Memory.peak()
        guard verifier.checked == appended else { throw BenchFailure("\(label): verified \(verifier.checked) of \(appended) events") }
        report("\(label): audit verify, batches of \(verifyBatch)", Double(appended) / verifySeconds, "events/s")
        report("\(label): audit verify of \(appended) events, total", verifySeconds, "s")
        report("\(label): audit verify, peak resident memory (\(before / 1_048_576) MiB before)", Double(peak) / 1_048_576, "MiB")

        // The two halves of it: reading and decoding the batches, and hashing.
        let readStart = DispatchTime.now().uptimeNanoseconds
        after = 0
        while true {
            let from = after
            let batch = try await store.read { tx in try tx.auditEvents(after: from, limit: verifyBatch) }
            guard let last = batch.last else { break }
            after = last.sequence
        }
        let readSeconds = Double(DispatchTime.now().uptimeNanoseconds - readStart) / 1e9
        report("\(label): audit read alone, same batches", Double(appended) / readSeconds, "events/s")
        let sample = record(7, time: Date())
        var sequence: Int64 = 0
        let hashRate = opsPerSecond(seconds: 1) {
            sequence += 1
            _ = AuditChain.hash(previousHash: AuditEvent.genesisHash, record: sample, sequence: sequence)
        }
        report("\(label): SHA-256 chain hash alone", hashRate, "events/s")
    }

    /// Appends events `first ..< first + count`, `batch` per transaction; returns the seconds taken.
    static func append(_ store: SQLStore, from first: Int, count: Int, batch: Int) async throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        for low in stride(from: first, to: first + count, by: batch) {
            let high = min(low + batch, first + count)
            try await store.write { tx in
                let now = Date()
                for n in low..<high { try tx.appendAudit(record(n, time: now)) }
            }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// An administrator's action as the admin API records it.
    static func record(_ n: Int, time: Date) -> AuditRecord {
        let actions = ["account.disable", "account.update", "role.grant", "role.revoke", "account.reset_credentials", "account.create"]
        return AuditRecord(
            action: actions[n % actions.count], actor: "nguyen.van.an.\(n % 4_000)", target: "tran.thi.binh.\(n)",
            unit: try? UnitPath("/ha-noi/xa-tan-phuoc-\(n % 97 + 1)"), clientID: "admin-console",
            sourceIP: "10.\(n % 200).\(n / 200 % 250).\(n % 250 + 1)", detail: n % 3 == 0 ? ["reason": "chuyển công tác"] : [:], time: time)
    }

    // MARK: Plans

    /// The statements `SQLTransaction.accounts(_:page:)` and `countAccounts` run (see its
    /// `accountFilter`), rebuilt here to ask each database for its plan.
    enum AccountSQL {
        static let columns = """
            a.id, a.username, a.display_name, a.email, a.unit_id, a.status, a.password_hash, a.password_changed_at, \
            a.must_change_password, a.mfa_secret, a.mfa_recovery_codes, a.mfa_last_step, a.mfa_failures, a.directory, a.external_id, a.provisioning_id, \
            a.created_at, a.updated_at, a.version
            """

        static func filter(_ query: AccountQuery) -> (from: String, where: String, parameters: [SQLValue]) {
            let from = "accounts a"
            var conditions: [String] = [], parameters: [SQLValue] = []
            func bind(_ value: String) -> String { parameters.append(.text(value)); return "$\(parameters.count)" }
            if let subtree = query.subtree, !subtree.isRoot {
                let path = subtree.description
                conditions.append("a.unit_id IN (SELECT id FROM units WHERE ((path = \(bind(path)) OR (path >= \(bind(path + "/")) AND path < \(bind(path + "0"))))))")
            }
            if let prefix = query.usernamePrefix, !prefix.isEmpty {
                conditions.append("a.username >= \(bind(prefix))")
                var scalars = Array(prefix.unicodeScalars)
                let last = scalars.removeLast()
                scalars.append(Unicode.Scalar(last.value + 1)!)
                conditions.append("a.username < \(bind(String(String.UnicodeScalarView(scalars))))")
            }
            return (from, conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), parameters)
        }

        static func page(_ query: AccountQuery, page: Page) -> (String, [SQLValue]) {
            let (from, filter, parameters) = self.filter(query)
            let n = parameters.count
            return ("SELECT \(columns) FROM \(from)\(filter) ORDER BY a.username LIMIT $\(n + 1) OFFSET $\(n + 2)",
                    parameters + [.int(Int64(page.limit)), .int(Int64(page.offset))])
        }

        static func count(_ query: AccountQuery) -> (String, [SQLValue]) {
            let (from, filter, parameters) = self.filter(query)
            return ("SELECT COUNT(*) AS n FROM \(from)\(filter)", parameters)
        }
    }

    /// Prints the plan of `statement`: EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL.
    static func explain(_ label: String, database: any SQLDatabase, _ name: String, _ statement: (String, [SQLValue])) async throws {
        let (sql, parameters) = statement
        let prefix = database.dialect == .sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN (ANALYZE, BUFFERS) "
        let rows = try await database.withConnection(forWriting: false) { try $0.query(prefix + sql, parameters) }
        print("\(label): plan of \(name) [\(parameters.map { if case .text(let s) = $0 { s } else if case .int(let n) = $0 { "\(n)" } else { "?" } }.joined(separator: ", "))]")
        for row in rows {
            let text = database.dialect == .sqlite ? row["detail"] : row["QUERY PLAN"]
            if case .text(let line) = text { print("    " + line) }
        }
    }

    // MARK: Measuring

    /// Latencies of runs of `body(i)`, in microseconds.
    struct Latencies {
        var sorted: [Double]
        /// The `i` of the slowest run.
        var slowest: Int
        var p50: Double { sorted[sorted.count / 2] }
        var p99: Double { sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)] }

        func report(_ name: String) {
            gatehouse_bench.report(name + ", p50", p50, "µs")
            gatehouse_bench.report(name + ", p99", p99, "µs")
        }
    }

    /// Runs `body(i)` for `i` in `0 ..< n`, after a warm-up, and times each run.
    static func latencies(_ n: Int, _ body: (Int) async throws -> Void) async throws -> Latencies {
        for i in 0..<min(20, n) { try await body(n - 1 - i) }  // warm up
        var samples: [Double] = []
        samples.reserveCapacity(n)
        for i in 0..<n {
            let start = DispatchTime.now().uptimeNanoseconds
            try await body(i)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
        }
        return Latencies(sorted: samples.sorted(), slowest: samples.indices.max { samples[$0] < samples[$1] } ?? 0)
    }

    /// A small seeded generator, so every backend gets the same queries.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// This process's resident memory, from /proc/self/status (Linux).
    enum Memory {
        /// Starts the peak (VmHWM) over from the current size.
        static func resetPeak() {
            guard let file = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
            try? file.write(contentsOf: Data("5".utf8))
            try? file.close()
        }
        static func current() -> Int { field("VmRSS") }
        static func peak() -> Int { field("VmHWM") }

        /// A `kB` line of /proc/self/status, in bytes.
        static func field(_ name: String) -> Int {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
            for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
                return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1_024
            }
            return 0
        }
    }
}

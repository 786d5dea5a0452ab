import Foundation
import GatehouseStorePostgres
import GatehouseStoreSQL
import Testing

@Suite("Driver: PostgreSQL", .enabled(if: DriverPostgresEnvironment.enabled, DriverPostgresEnvironment.disabledReason))
struct DriverPostgresTests {
    @Test("result columns map by type")
    func columnTypes() async throws {
        try await DriverFixture.withPostgres { db, _ in
            #expect(db.dialect == .postgres)
            let row = try await db.withConnection(forWriting: false) { connection in
                try connection.query("""
                    SELECT true AS yes, false AS no, 2::smallint AS small, 7::integer AS int4, 1.5::numeric AS num,
                           0.25::real AS f4, '\\x00ff'::bytea AS bin, 'Huế'::varchar AS vc, NULL::integer AS nothing,
                           '2025-07-01'::date AS day, $1::bytea AS sent, $2::boolean AS flag
                    """, [.blob([0xDE, 0xAD]), .int(1)]).first
            }
            #expect(row?["yes"] == .int(1))
            #expect(row?["no"] == .int(0))
            #expect(row?["small"] == .int(2))
            #expect(row?["int4"] == .int(7))
            #expect(row?["num"] == .double(1.5))
            #expect(row?["f4"] == .double(0.25))
            #expect(row?["bin"] == .blob([0x00, 0xFF]))
            #expect(row?["vc"] == .text("Huế"))
            #expect(row?["nothing"] == .null)
            #expect(row?["day"] == .text("2025-07-01"))
            #expect(row?["sent"] == .blob([0xDE, 0xAD]))
            #expect(row?["flag"] == .int(1))
        }
    }

    @Test("connections killed with pg_terminate_backend are re-established")
    func reconnectAfterTerminate() async throws {
        try await DriverFixture.withPostgres(poolSize: 3) { db, url in
            // Open all three connections by keeping three bodies busy at once.
            let before = try await Self.backendPIDs(db, count: 3)
            #expect(before.count == 3)
            let database = try #require(URLComponents(string: url)?.path.dropFirst()).description
            try await DriverFixture.withAdmin { admin in
                let killed = try await admin.withConnection(forWriting: true) { connection in
                    try connection.query(
                        "SELECT pg_terminate_backend(pid, 5000) AS ok FROM pg_stat_activity WHERE datname = $1",
                        [.text(database)])
                }
                #expect(killed.count == 3)
                #expect(killed.allSatisfy { $0["ok"] == .int(1) })
            }
            let after = try await Self.backendPIDs(db, count: 3)
            #expect(after.count == 3)
            #expect(after.isDisjoint(with: before))
        }
    }

    @Test("a connection lost during a body throws connectionFailure; the next call reconnects")
    func dropDuringBody() async throws {
        try await DriverFixture.withPostgres(poolSize: 1) { db, _ in
            let first = try await db.withConnection(forWriting: false) { try $0.query("SELECT pg_backend_pid() AS pid", []) }
            let error = await expectSQLError {
                _ = try await db.withConnection(forWriting: true) { connection in
                    try connection.execute("SELECT pg_terminate_backend(pg_backend_pid())", [])
                }
            }
            #expect(error?.kind == .connectionFailure)
            let second = try await db.withConnection(forWriting: false) { try $0.query("SELECT pg_backend_pid() AS pid", []) }
            #expect(second.first?["pid"] != nil)
            #expect(second.first?["pid"] != first.first?["pid"])
        }
    }

    @Test("a waiting caller gets a connection when one is freed")
    func waiters() async throws {
        let gauge = DriverConcurrencyGauge()
        try await DriverFixture.withPostgres(poolSize: 2) { db, _ in
            try await withThrowingTaskGroup(of: SQLValue.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await db.withConnection(forWriting: true) { connection in
                            gauge.enter()
                            defer { gauge.leave() }
                            gauge.holdUntilPeak(2)
                            return try connection.query("SELECT 1 AS slept FROM pg_sleep(0.05)", []).first?["slept"] ?? .null
                        }
                    }
                }
                for try await value in group { #expect(value == .int(1)) }
            }
            #expect(gauge.peak == 2)
        }
    }

    /// The backend PIDs of `count` bodies running at the same time (so on distinct connections).
    static func backendPIDs(_ db: PostgresDatabase, count: Int) async throws -> Set<SQLValue> {
        try await withThrowingTaskGroup(of: SQLValue.self) { group in
            for _ in 0..<count {
                group.addTask {
                    try await db.withConnection(forWriting: false) { connection in
                        try connection.query("SELECT pg_backend_pid() AS pid, pg_sleep(0.2)", []).first?["pid"] ?? .null
                    }
                }
            }
            var pids: Set<SQLValue> = []
            for try await pid in group { pids.insert(pid) }
            return pids
        }
    }
}

/// URL checks and connection failures: these need no server, so they run everywhere.
@Suite("Driver: PostgreSQL without a server")
struct DriverPostgresOfflineTests {
    @Test("an unreachable server fails fast with host:port and without the password")
    func unreachable() throws {
        let password = "S3cret-pw_9"
        for url in [
            "postgres://gatehouse:\(password)@127.0.0.1:1/postgres",
            "postgresql://gatehouse@127.0.0.1:1/postgres?password=\(password)",
            "postgres://gatehouse:S3cret%2Dpw_9@127.0.0.1:1/postgres",
        ] {
            let started = ContinuousClock.now
            #expect {
                _ = try PostgresDatabase(url: url, connectTimeout: 2)
            } throws: { error in
                guard let error = error as? SQLError else { return false }
                let text = error.description
                return error.kind == .connectionFailure && text.contains("127.0.0.1:1")
                    && !text.contains(password) && !text.contains("S3cret%2D") && !text.contains("\n")
            }
            #expect(ContinuousClock.now - started < .seconds(3))
        }
    }

    @Test("an invalid URL is refused before connecting, without the password")
    func invalidURL() throws {
        for url in [
            "mysql://root:S3cret@localhost/db",
            "sqlite:data/gatehouse.sqlite",
            "postgres://gatehouse:S3cret@127.0.0.1:5432/db?no_such_option=S3cret",
        ] {
            #expect {
                _ = try PostgresDatabase(url: url)
            } throws: { error in
                guard let error = error as? SQLError else { return false }
                return error.kind == .other && !error.description.contains("S3cret")
            }
        }
        #expect(throws: SQLError.self) { _ = try PostgresDatabase(url: "postgres://127.0.0.1:1/x", poolSize: 0) }
    }
}

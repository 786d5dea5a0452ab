import Foundation
import GatehouseStoreSQL
import Testing

/// Behaviour both drivers share, run against each engine with the same SQL.
@Suite("Driver: both engines")
struct DriverCommonTests {
    static let schema = """
        CREATE TABLE parent (id integer PRIMARY KEY);
        CREATE TABLE item (
            id integer PRIMARY KEY,
            parent integer REFERENCES parent (id),
            email text UNIQUE,
            qty integer NOT NULL CHECK (qty > 0)
        );
        INSERT INTO parent (id) VALUES (1);
        """

    @Test("every SQLValue type round-trips", arguments: DriverEngine.available)
    func roundTrip(engine: DriverEngine) async throws {
        var random = SystemRandomNumberGenerator()
        let large = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let samples: [(SQLValue, SQLValue, SQLValue, SQLValue)] = [
            (.int(0), .double(0), .text(""), .blob([])),
            (.int(Int64.max), .double(3.141592653589793), .text("Phường Bà Đình, Thành phố Hà Nội"), .blob([0])),
            (.int(Int64.min), .double(-1e300), .text("Đặc khu Côn Đảo 🇻🇳 — “ngoặc” ‘kép’"), .blob([0, 1, 2, 0x7F, 0x80, 0xFF])),
            (.int(-1), .double(0.1), .text(#"O'Brien "quoted" \ $1 ?1 %s"#), .blob(large)),
            (.int(9_007_199_254_740_993), .double(-2.5e-300), .text("Ha\u{0300} No\u{0323}i"), .null),
            (.null, .null, .null, .null),
        ]
        try await DriverFixture.withDatabase(engine) { db in
            let rows = try await db.withConnection(forWriting: true) { connection in
                try connection.executeScript("CREATE TABLE sample (id integer PRIMARY KEY, i bigint, d double precision, s text, b bytea)")
                for (index, sample) in samples.enumerated() {
                    let changed = try connection.execute(
                        "INSERT INTO sample (id, i, d, s, b) VALUES ($1, $2, $3, $4, $5)",
                        [.int(Int64(index)), sample.0, sample.1, sample.2, sample.3])
                    #expect(changed == 1)
                }
                return try connection.query("SELECT id, i, d, s, b FROM sample ORDER BY id", [])
            }
            #expect(rows.count == samples.count)
            for (row, sample) in zip(rows, samples) {
                #expect(row.columns == ["id", "i", "d", "s", "b"])
                #expect(row["i"] == sample.0)
                #expect(row["d"] == sample.1)
                #expect(row["s"] == sample.2)
                #expect(row["b"] == sample.3)
                // Swift compares strings by canonical equivalence; the bytes must survive too.
                if case .text(let sent) = sample.2, case .text(let read) = row["s"] {
                    #expect(Array(read.utf8) == Array(sent.utf8))
                }
            }
            // Reads on another connection see the same values.
            let again = try await db.withConnection(forWriting: false) { connection in
                try connection.query("SELECT b FROM sample WHERE i = $1", [.int(-1)])
            }
            #expect(again.first?["b"] == .blob(large))
        }
    }

    @Test("execute reports changed rows; query returns RETURNING rows", arguments: DriverEngine.available)
    func changeCounts(engine: DriverEngine) async throws {
        try await DriverFixture.withDatabase(engine) { db in
            try await db.withConnection(forWriting: true) { connection in
                try connection.executeScript(Self.schema)
                #expect(try connection.execute("CREATE TABLE other (x integer)", []) == 0)
                #expect(try connection.execute("BEGIN", []) == 0)
                for id in 1...3 {
                    #expect(try connection.execute(
                        "INSERT INTO item (id, parent, qty) VALUES ($1, 1, $2)", [.int(Int64(id)), .int(5)]) == 1)
                }
                #expect(try connection.execute("COMMIT", []) == 0)
                #expect(try connection.execute("UPDATE item SET qty = qty + $1", [.int(1)]) == 3)
                #expect(try connection.execute("DELETE FROM item WHERE id = $1", [.int(99)]) == 0)
                #expect(try connection.execute("SELECT * FROM item", []) >= 0)
                let inserted = try connection.query(
                    "INSERT INTO item (id, parent, email, qty) VALUES ($1, $2, $3, $4) RETURNING id, email",
                    [.int(10), .int(1), .text("a@example.org"), .int(1)])
                #expect(inserted.count == 1)
                #expect(inserted.first?["id"] == .int(10))
                #expect(inserted.first?["email"] == .text("a@example.org"))
                #expect(inserted.first?["missing"] == .null)
                #expect(try connection.query("SELECT count(*) AS n FROM item", []).first?["n"] == .int(4))
                #expect(try connection.query("SELECT id FROM item WHERE id > $1", [.int(1000)]).isEmpty)
            }
        }
    }

    @Test("constraint errors are classified", arguments: DriverEngine.available)
    func errorKinds(engine: DriverEngine) async throws {
        try await DriverFixture.withDatabase(engine) { db in
            try await db.withConnection(forWriting: true) { connection in
                try connection.executeScript(Self.schema)
                try connection.execute("INSERT INTO item (id, parent, email, qty) VALUES ($1, $2, $3, $4)",
                                       [.int(1), .int(1), .text("taken@example.org"), .int(1)])
            }
            func kind(_ sql: String, _ parameters: [SQLValue]) async -> SQLError? {
                await expectSQLError {
                    _ = try await db.withConnection(forWriting: true) { try $0.execute(sql, parameters) }
                }
            }
            let insert = "INSERT INTO item (id, parent, email, qty) VALUES ($1, $2, $3, $4)"
            let unique = await kind(insert, [.int(2), .int(1), .text("taken@example.org"), .int(1)])
            #expect(unique?.kind == .uniqueViolation)
            #expect(unique?.description.contains("taken@example.org") == false)
            let primaryKey = await kind(insert, [.int(1), .int(1), .text("new@example.org"), .int(1)])
            #expect(primaryKey?.kind == .uniqueViolation)
            let foreignKey = await kind(insert, [.int(3), .int(42), .null, .int(1)])
            #expect(foreignKey?.kind == .foreignKeyViolation)
            let check = await kind(insert, [.int(4), .int(1), .null, .int(-7)])
            #expect(check?.kind == .constraintViolation)
            let notNull = await kind(insert, [.int(5), .int(1), .null, .null])
            #expect(notNull?.kind == .constraintViolation)
            let syntax = await kind("INSERT INTO nowhere VALUES ($1)", [.int(1)])
            #expect(syntax?.kind == .other)
            #expect(syntax?.code.isEmpty == false)
            let count = await kind("SELECT $1, $2", [.int(1)])
            #expect(count?.kind == .other)
            let twoStatements = await kind("SELECT 1; SELECT 2", [])
            #expect(twoStatements?.kind == .other)
            let script = await expectSQLError {
                try await db.withConnection(forWriting: true) {
                    try $0.executeScript("INSERT INTO parent (id) VALUES (7); INSERT INTO parent (id) VALUES (7);")
                }
            }
            #expect(script?.kind == .uniqueViolation)
            // The connection is still usable after each error.
            let rows = try await db.withConnection(forWriting: true) { try $0.query("SELECT count(*) AS n FROM item", []) }
            #expect(rows.first?["n"] == .int(1))
        }
    }

    @Test("a body that throws or returns mid-transaction leaves nothing behind", arguments: DriverEngine.available)
    func transactions(engine: DriverEngine) async throws {
        struct Abort: Error {}
        try await DriverFixture.withDatabase(engine, poolSize: 1) { db in
            try await db.withConnection(forWriting: true) { try $0.executeScript(Self.schema) }
            await #expect(throws: Abort.self) {
                try await db.withConnection(forWriting: true) { connection in
                    try connection.execute("BEGIN", [])
                    try connection.execute("INSERT INTO parent (id) VALUES ($1)", [.int(2)])
                    throw Abort()
                }
            }
            let leftOpen = await expectSQLError {
                try await db.withConnection(forWriting: true) { connection in
                    try connection.execute("BEGIN", [])
                    try connection.execute("INSERT INTO parent (id) VALUES ($1)", [.int(3)])
                }
            }
            #expect(leftOpen?.kind == .other)
            // A failed statement inside a transaction, then the body gives up.
            _ = await expectSQLError {
                try await db.withConnection(forWriting: true) { connection in
                    try connection.execute("BEGIN", [])
                    try connection.execute("INSERT INTO parent (id) VALUES ($1)", [.int(1)])
                }
            }
            let ids = try await db.withConnection(forWriting: true) { connection in
                try connection.execute("BEGIN", [])
                try connection.execute("INSERT INTO parent (id) VALUES ($1)", [.int(4)])
                try connection.execute("ROLLBACK", [])
                try connection.execute("BEGIN", [])
                try connection.execute("INSERT INTO parent (id) VALUES ($1)", [.int(5)])
                try connection.execute("COMMIT", [])
                return try connection.query("SELECT id FROM parent ORDER BY id", [])
            }
            #expect(ids.map { $0["id"] } == [.int(1), .int(5)])
        }
    }

    @Test("many tasks share the connections", arguments: DriverEngine.available)
    func concurrentCalls(engine: DriverEngine) async throws {
        let gauge = DriverConcurrencyGauge()
        let limit = 3
        try await DriverFixture.withDatabase(engine, poolSize: limit) { db in
            try await db.withConnection(forWriting: true) { try $0.executeScript("CREATE TABLE n (v integer)") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<64 {
                    group.addTask {
                        let value = try await db.withConnection(forWriting: task % 8 == 0) { connection -> SQLValue in
                            gauge.enter()
                            defer { gauge.leave() }
                            gauge.holdUntilPeak(2)
                            Thread.sleep(forTimeInterval: 0.002)
                            if task % 8 == 0 {
                                try connection.execute("INSERT INTO n (v) VALUES ($1)", [.int(Int64(task))])
                            }
                            return try connection.query("SELECT $1 + 1 AS v", [.int(Int64(task))]).first?["v"] ?? .null
                        }
                        #expect(value == .int(Int64(task + 1)))
                    }
                }
                try await group.waitForAll()
            }
            // PostgreSQL: at most poolSize at once. SQLite: the readers plus the writer.
            #expect(gauge.peak >= 2)
            #expect(gauge.peak <= limit + (engine == .sqlite ? 1 : 0))
            let count = try await db.withConnection(forWriting: false) { try $0.query("SELECT count(*) AS c FROM n", []) }
            #expect(count.first?["c"] == .int(8))
        }
    }

    @Test("close() closes; later calls fail with connectionFailure", arguments: DriverEngine.available)
    func closeThenUse(engine: DriverEngine) async throws {
        try await DriverFixture.withDatabase(engine) { db in
            let one = try await db.withConnection(forWriting: false) { try $0.query("SELECT 1 AS one", []) }
            #expect(one.first?["one"] == .int(1))
            await db.close()
            for forWriting in [true, false] {
                let error = await expectSQLError {
                    _ = try await db.withConnection(forWriting: forWriting) { try $0.query("SELECT 1", []) }
                }
                #expect(error?.kind == .connectionFailure)
                #expect(error?.message == "database is closed")
            }
            await db.close() // closing twice is harmless
        }
    }
}

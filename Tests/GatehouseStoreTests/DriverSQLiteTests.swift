import Foundation
import GatehouseStoreSQL
import GatehouseStoreSQLite
import Testing

@Suite("Driver: SQLite")
struct DriverSQLiteTests {
    @Test("creates the folder; WAL, foreign keys, FULL sync; readers are read-only")
    func settings() async throws {
        try await DriverFixture.withSQLite(readers: 2) { db, path in
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(db.dialect == .sqlite)
            let writer = try await db.withConnection(forWriting: true) { connection in
                try connection.query("PRAGMA synchronous", []).first?.values.first
            }
            #expect(writer == .int(2)) // FULL
            for forWriting in [true, false] {
                let settings = try await db.withConnection(forWriting: forWriting) { connection in
                    (try connection.query("PRAGMA journal_mode", []).first?.values.first,
                     try connection.query("PRAGMA foreign_keys", []).first?.values.first)
                }
                #expect(settings.0 == .text("wal"))
                #expect(settings.1 == .int(1))
            }
            try await db.withConnection(forWriting: true) { try $0.executeScript("CREATE TABLE t (x integer)") }
            let readOnly = await expectSQLError {
                _ = try await db.withConnection(forWriting: false) { try $0.execute("INSERT INTO t VALUES ($1)", [.int(1)]) }
            }
            #expect(readOnly?.kind == .other)
        }
    }

    @Test("100 concurrent read-modify-write transactions on the writer give exactly 100")
    func writerSerialization() async throws {
        try await DriverFixture.withSQLite { db, _ in
            try await db.withConnection(forWriting: true) { connection in
                try connection.executeScript("CREATE TABLE counter (id integer PRIMARY KEY, n integer NOT NULL); INSERT INTO counter VALUES (1, 0);")
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        try await db.withConnection(forWriting: true) { connection in
                            try connection.execute("BEGIN", [])
                            guard case .int(let n) = try connection.query("SELECT n FROM counter WHERE id = $1", [.int(1)]).first?["n"] else {
                                throw SQLError(.other, "no counter")
                            }
                            try connection.execute("UPDATE counter SET n = $1 WHERE id = $2", [.int(n + 1), .int(1)])
                            try connection.execute("COMMIT", [])
                        }
                    }
                    group.addTask {
                        _ = try await db.withConnection(forWriting: false) { try $0.query("SELECT n FROM counter", []) }
                    }
                }
                try await group.waitForAll()
            }
            let n = try await db.withConnection(forWriting: false) { try $0.query("SELECT n FROM counter", []) }
            #expect(n.first?["n"] == .int(100))
        }
    }

    @Test("the statement cache stays correct past its bound and across schema changes")
    func statementCache() async throws {
        try await DriverFixture.withSQLite(readers: 1) { db, _ in
            try await db.withConnection(forWriting: true) { connection in
                try connection.executeScript("CREATE TABLE t (a integer); INSERT INTO t VALUES (1);")
                #expect(try connection.query("SELECT * FROM t", []).first?.columns == ["a"])
                for i in 0..<300 {
                    let row = try connection.query("SELECT $1 + \(i) AS v", [.int(1)]).first
                    #expect(row?["v"] == .int(Int64(i + 1)))
                }
                try connection.executeScript("ALTER TABLE t ADD COLUMN b text DEFAULT 'x'")
                #expect(try connection.query("SELECT * FROM t", []).first?.columns == ["a", "b"])
            }
        }
    }

    @Test("committed writes survive closing and reopening the file")
    func reopen() async throws {
        try await DriverFixture.withSQLite { db, path in
            try await db.withConnection(forWriting: true) { connection in
                try connection.executeScript("CREATE TABLE t (s text)")
                try connection.execute("INSERT INTO t VALUES ($1)", [.text("Thừa Thiên Huế")])
            }
            await db.close()
            let reopened = try SQLiteDatabase(path: path, readers: 1)
            let rows = try await reopened.withConnection(forWriting: false) { try $0.query("SELECT s FROM t", []) }
            #expect(rows.first?["s"] == .text("Thừa Thiên Huế"))
            await reopened.close()
        }
    }

    @Test("a path that cannot be opened fails with connectionFailure")
    func unopenable() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(DriverFixture.randomName())
        try Data("not a folder".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect {
            _ = try SQLiteDatabase(path: file.appendingPathComponent("db.sqlite").path)
        } throws: { error in
            (error as? SQLError)?.kind == .connectionFailure
        }
    }
}

import Foundation
import GatehouseCore
import GatehouseStore
import GatehouseStorePostgres
import GatehouseStoreSQL
import GatehouseStoreSQLite
import Testing

/// The migration runner: versions recorded once, re-opening is a no-op, and two processes
/// opening one database at the same time are both fine.
@Suite("Store migrations")
struct MigrationTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// What a freshly opened database must hold after any number of opens.
    static func checkMigratedOnce(_ database: any SQLDatabase) async throws {
        let versions = try await database.withConnection(forWriting: false) { connection in
            try connection.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version", [])
        }
        #expect(versions.map { $0["version"] } == (1...SQLSchema.latestVersion).map { .int(Int64($0)) })
        #expect(versions.first?["applied_at"] == .int(Int64(start.timeIntervalSince1970 * 1000)))
        let roots = try await database.withConnection(forWriting: false) { connection in
            try connection.query("SELECT id, name FROM units WHERE path = $1", [.text("/")])
        }
        #expect(roots.count == 1)
        #expect(roots.first?["name"] == .text("Trung ương"))
    }

    @Test func sqliteReopenIsIdempotent() async throws {
        try await StoreFixture.withSQLiteFile { path in
            let clock = ManualClock(Self.start)
            let first = try await SQLStore(database: try SQLiteDatabase(path: path), clock: clock)
            let root = try await first.read { try $0.unit(path: .root) }
            _ = try await first.write { try $0.appendAudit(AuditRecord(action: "test", actor: "cli", time: clock.now())) }
            #expect(try await first.appliedMigrations() == Array(1...SQLSchema.latestVersion))
            await first.close()

            clock.advance(by: 3600)
            let database = try SQLiteDatabase(path: path)
            let second = try await SQLStore(database: database, clock: clock)
            #expect(try await second.read { try $0.unit(path: .root) } == root)
            #expect(try await second.read { try $0.lastAuditEvent() }?.sequence == 1)
            try await Self.checkMigratedOnce(database)
            await second.close()
        }
    }

    @Test func sqliteConcurrentOpensShareOneSchema() async throws {
        try await StoreFixture.withSQLiteFile { path in
            // Create the file first so both instances open the same WAL database.
            let bootstrap = try SQLiteDatabase(path: path)
            let clock = ManualClock(Self.start)
            let stores = try await withThrowingTaskGroup(of: SQLStore.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await SQLStore(database: try SQLiteDatabase(path: path), clock: clock) }
                }
                return try await group.reduce(into: [SQLStore]()) { $0.append($1) }
            }
            try await Self.checkMigratedOnce(bootstrap)
            for store in stores { await store.close() }
            await bootstrap.close()
        }
    }

    @Test func refusesASchemaNewerThanThisBuild() async throws {
        try await StoreFixture.withSQLiteFile { path in
            let database = try SQLiteDatabase(path: path)
            let store = try await SQLStore(database: database, clock: ManualClock(Self.start))
            _ = try await database.withConnection(forWriting: true) { connection in
                try connection.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [.int(999), .text("future"), .int(0)])
            }
            await store.close()
            do {
                _ = try await SQLStore(database: try SQLiteDatabase(path: path), clock: ManualClock(Self.start))
                Issue.record("opening a newer schema should fail")
            } catch let error as StoreError {
                #expect(error.kind == .invalid)
                #expect(error.description.contains("999"))
            }
        }
    }

    @Test(.enabled(if: StorePostgres.enabled, StorePostgres.disabledReason))
    func postgresConcurrentOpensAndReopen() async throws {
        try await StoreFixture.withPostgresURL { url in
            let clock = ManualClock(Self.start)
            // Separate pools, as separate processes would have.
            let stores = try await withThrowingTaskGroup(of: SQLStore.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await SQLStore(database: try PostgresDatabase(url: url, poolSize: 2), clock: clock) }
                }
                return try await group.reduce(into: [SQLStore]()) { $0.append($1) }
            }
            try await Self.checkMigratedOnce(stores[0].database)
            for store in stores { await store.close() }

            clock.advance(by: 60)
            let database = try PostgresDatabase(url: url, poolSize: 2)
            let again = try await SQLStore(database: database, clock: clock)
            try await Self.checkMigratedOnce(database)
            #expect(try await again.appliedMigrations() == Array(1...SQLSchema.latestVersion))
            await again.close()
        }
    }
}

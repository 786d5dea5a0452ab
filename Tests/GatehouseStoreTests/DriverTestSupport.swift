import Foundation
import GatehouseStorePostgres
import GatehouseStoreSQL
import GatehouseStoreSQLite
import Synchronization
import Testing

/// The engines the driver tests run on. PostgreSQL is included when
/// `GATEHOUSE_TEST_POSTGRES_URL` is set (see scripts/test-postgres.sh), and always in CI, where
/// a missing URL makes its tests fail rather than vanish.
enum DriverEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static let available: [DriverEngine] = DriverPostgresEnvironment.enabled ? [.sqlite, .postgres] : [.sqlite]

    var testDescription: String { rawValue }
}

/// The driver tests find PostgreSQL the same way the store tests do.
typealias DriverPostgresEnvironment = StorePostgres

/// Database fixtures: each test gets its own SQLite file or PostgreSQL database.
enum DriverFixture {
    static func randomName() -> String {
        "gh_drv_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }

    /// Runs `body` with a fresh database on `engine`, closed and removed afterwards.
    static func withDatabase(
        _ engine: DriverEngine, poolSize: Int = 4, _ body: (any SQLDatabase) async throws -> Void
    ) async throws {
        switch engine {
        case .sqlite: try await withSQLite(readers: poolSize) { db, _ in try await body(db) }
        case .postgres: try await withPostgres(poolSize: poolSize) { db, _ in try await body(db) }
        }
    }

    /// A new SQLite file in a new folder (the driver creates the folder).
    static func withSQLite(
        readers: Int = 4, _ body: (SQLiteDatabase, String) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(randomName())
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("nested/gatehouse.sqlite").path
        let db = try SQLiteDatabase(path: path, readers: readers)
        do {
            try await body(db, path)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    /// A new PostgreSQL database, created through the maintenance URL and dropped afterwards.
    static func withPostgres(
        poolSize: Int = 4, _ body: (PostgresDatabase, String) async throws -> Void
    ) async throws {
        let maintenanceURL = try DriverPostgresEnvironment.requireURL()
        let admin = try PostgresDatabase(url: maintenanceURL, poolSize: 1)
        let name = randomName()
        try await admin.withConnection(forWriting: true) { try $0.executeScript("CREATE DATABASE \(name)") }
        let url = try DriverPostgresEnvironment.url(maintenanceURL, database: name)
        var failure: (any Error)?
        do {
            let db = try PostgresDatabase(url: url, poolSize: poolSize)
            do {
                try await body(db, url)
            } catch {
                failure = error
            }
            await db.close()
        } catch {
            failure = error
        }
        try await admin.withConnection(forWriting: true) {
            try $0.executeScript("DROP DATABASE \(name) WITH (FORCE)")
        }
        await admin.close()
        if let failure { throw failure }
    }

    /// The maintenance database itself, for tests that act on other connections.
    static func withAdmin(_ body: (PostgresDatabase) async throws -> Void) async throws {
        let admin = try PostgresDatabase(url: try DriverPostgresEnvironment.requireURL(), poolSize: 1)
        do {
            try await body(admin)
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
    }
}

/// Counts bodies running at once and remembers the most seen.
final class DriverConcurrencyGauge: Sendable {
    private let state = Mutex((current: 0, peak: 0))

    func enter() {
        state.withLock {
            $0.current += 1
            $0.peak = max($0.peak, $0.current)
        }
    }

    func leave() {
        state.withLock { $0.current -= 1 }
    }

    var peak: Int { state.withLock { $0.peak } }

    /// Holds the calling body (on a driver thread) until `count` bodies have overlapped at
    /// least once, or `timeout` passes: on a loaded machine, tasks otherwise may happen to run
    /// one after another, and a pool that does allow `count` at once would look as if it did not.
    func holdUntilPeak(_ count: Int, timeout: TimeInterval = 10) {
        let deadline = Date().addingTimeInterval(timeout)
        while peak < count, Date() < deadline { Thread.sleep(forTimeInterval: 0.002) }
    }
}

/// Expects `body` to throw an `SQLError` and returns it.
func expectSQLError(
    _ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) async -> SQLError? {
    do {
        try await body()
        Issue.record("expected an SQLError, got none", sourceLocation: sourceLocation)
        return nil
    } catch let error as SQLError {
        return error
    } catch {
        Issue.record("expected an SQLError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

import Foundation
import GatehouseCore
import GatehouseStore
import GatehouseStorePostgres
import GatehouseStoreSQL
import GatehouseStoreSQLite
import Testing

/// Where the store tests find PostgreSQL: `GATEHOUSE_TEST_POSTGRES_URL`, a maintenance URL
/// through which each test creates (and afterwards drops) a database of its own. Without it
/// the PostgreSQL tests are disabled, except under CI (`CI` set), where they run and fail.
enum StorePostgres {
    static let url: String? = {
        let value = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    static let isCI: Bool = {
        guard let value = ProcessInfo.processInfo.environment["CI"] else { return false }
        return !["", "0", "false", "no"].contains(value.lowercased())
    }()

    /// Run the PostgreSQL tests: a server is configured, or CI requires them.
    static let enabled = url != nil || isCI

    static let disabledReason: Comment =
        "PostgreSQL store tests skipped: GATEHOUSE_TEST_POSTGRES_URL is not set (start a server with `scripts/test-postgres.sh start DIR` and export the URL it prints)"

    static func requireURL() throws -> String {
        guard let url else {
            throw StoreTestError("GATEHOUSE_TEST_POSTGRES_URL must be set when CI is set: start a server with scripts/test-postgres.sh start DIR")
        }
        return url
    }

    /// `url` with its database replaced by `database`.
    static func url(_ url: String, database: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw StoreTestError("GATEHOUSE_TEST_POSTGRES_URL is not a URL") }
        components.path = "/" + database
        guard let result = components.string else { throw StoreTestError("cannot build a PostgreSQL URL") }
        return result
    }
}

struct StoreTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Fresh databases for store tests: one SQLite file or one PostgreSQL database per test.
enum StoreFixture {
    /// A name made of lowercase hex only: safe to splice into CREATE/DROP DATABASE, which take
    /// no parameters.
    static func randomName(_ prefix: String) -> String {
        prefix + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    }

    /// Runs `body` with a new SQLite file in a new folder, removed afterwards.
    static func withSQLiteFile(_ body: (String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(randomName("gh_store_"))
        defer { try? FileManager.default.removeItem(at: folder) }
        try await body(folder.appendingPathComponent("gatehouse.sqlite").path)
    }

    /// Runs `body` with the URL of a new PostgreSQL database, dropped afterwards.
    static func withPostgresURL(_ body: (String) async throws -> Void) async throws {
        let maintenance = try StorePostgres.requireURL()
        let admin = try PostgresDatabase(url: maintenance, poolSize: 1)
        let name = randomName("gh_")
        try await admin.withConnection(forWriting: true) { try $0.executeScript("CREATE DATABASE \(name)") }
        var failure: (any Error)?
        do {
            try await body(try StorePostgres.url(maintenance, database: name))
        } catch {
            failure = error
        }
        do {
            try await admin.withConnection(forWriting: true) { try $0.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        } catch {
            failure = failure ?? error
        }
        await admin.close()
        if let failure { throw failure }
    }

    /// Runs conformance case `name` on `store`, reporting a `ConformanceFailure` at the line
    /// of the case that checked.
    static func run(_ name: String, store: any Store, clock: ManualClock) async throws {
        do {
            try await StoreConformance.run(name, store: store, clock: clock)
        } catch let failure as ConformanceFailure {
            Issue.record(
                Comment(rawValue: failure.message),
                sourceLocation: SourceLocation(fileID: failure.fileID, filePath: failure.filePath, line: failure.line, column: failure.column))
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}

import GatehouseCore
import GatehouseStore
import GatehouseStoreSQL
import GatehouseStoreSQLite
import Testing

/// Every conformance case on SQLite, each on a new database file.
@Suite("Store conformance: SQLite")
struct SQLiteStoreConformanceTests {
    @Test(arguments: StoreConformance.cases.map(\.name))
    func conformance(_ name: String) async throws {
        try await StoreFixture.withSQLiteFile { path in
            let clock = ManualClock()
            let store = try await SQLStore(database: try SQLiteDatabase(path: path), clock: clock)
            try await StoreFixture.run(name, store: store, clock: clock)
        }
    }
}

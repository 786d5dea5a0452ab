import GatehouseCore
import GatehouseStore
import GatehouseStorePostgres
import GatehouseStoreSQL
import Testing

/// Every conformance case on PostgreSQL, each on a new database.
@Suite("Store conformance: PostgreSQL", .enabled(if: StorePostgres.enabled, StorePostgres.disabledReason))
struct PostgresStoreConformanceTests {
    @Test(arguments: StoreConformance.cases.map(\.name))
    func conformance(_ name: String) async throws {
        try await StoreFixture.withPostgresURL { url in
            let clock = ManualClock()
            let store = try await SQLStore(database: try PostgresDatabase(url: url, poolSize: 4), clock: clock)
            try await StoreFixture.run(name, store: store, clock: clock)
        }
    }
}

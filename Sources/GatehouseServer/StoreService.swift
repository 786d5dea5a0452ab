public import GatehouseStore
public import ServiceLifecycle

/// Keeps the store open while the server runs and closes it, after requests in flight have
/// finished, when the service group shuts down.
public struct StoreService: Service {
    let store: any Store

    public init(store: any Store) { self.store = store }

    public func run() async throws {
        try? await gracefulShutdown()
        await store.close()
    }
}

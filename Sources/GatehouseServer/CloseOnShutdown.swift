public import ServiceLifecycle

/// A service that holds a resource (the store, a connection pool) open while the server runs
/// and closes it when the service group shuts down: after the HTTP server has stopped
/// accepting and the requests in flight have finished, because services stop in reverse order.
public struct CloseOnShutdown: Service {
    let close: @Sendable () async -> Void

    public init(_ close: @escaping @Sendable () async -> Void) { self.close = close }

    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}

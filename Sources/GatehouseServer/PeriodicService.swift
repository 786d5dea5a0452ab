public import ServiceLifecycle
public import Logging

/// Runs `body` every `interval` until graceful shutdown (for example reloading `Keys/` that
/// several nodes share). A failing run is logged and the next one goes ahead.
public struct PeriodicService: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let body: @Sendable () async throws -> Void

    public init(name: String, every interval: Duration, logger: Logger, _ body: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.body = body
    }

    public func run() async throws {
        // Graceful shutdown cancels the sleep, so stopping the server never waits out an interval.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                do { try await body() } catch {
                    logger.error("periodic task failed", metadata: ["task": .string(name), "error": .string("\(error)")])
                }
            }
        }
    }
}

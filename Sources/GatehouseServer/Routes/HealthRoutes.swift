import Hummingbird
import Foundation

/// A dependency `/health/ready` checks: the store answers, a signing key is active.
public struct ReadinessCheck: Sendable {
    public let name: String
    /// Throws, with a message fit for an operator, when the dependency is not ready.
    public let check: @Sendable () async throws -> Void

    public init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }
}

/// `GET /health/live` answers 200 while the process runs; `GET /health/ready` answers 200
/// only when every readiness check passes and 503 otherwise, with each check's state in a
/// small JSON object. Load balancers send traffic on `ready`, restart on `live`.
struct HealthRoutes<Context: RequestContext> {
    let checks: [ReadinessCheck]

    func register(on router: Router<Context>) {
        router.get("/health/live") { _, _ in
            Self.json(["status": "live"], status: .ok)
        }
        router.get("/health/ready") { _, context in
            var results: [String: String] = [:]
            var ready = true
            for item in checks {
                do {
                    try await item.check()
                    results[item.name] = "ok"
                } catch {
                    ready = false
                    results[item.name] = String(describing: error)
                    context.logger.warning("readiness check failed", metadata: ["check": .string(item.name), "error": .string(String(describing: error))])
                }
            }
            let body: [String: Any] = ["status": ready ? "ready" : "not ready", "checks": results]
            return Self.json(body, status: ready ? .ok : .serviceUnavailable)
        }
    }

    static func json(_ object: [String: Any], status: HTTPResponse.Status) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

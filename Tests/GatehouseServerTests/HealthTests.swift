import Foundation
import GatehouseServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct HealthTests {
    struct Down: Error, CustomStringConvertible { var description: String { "database unreachable" } }

    @Test func liveAlwaysAnswers() async throws {
        let app = Application(router: GatehouseServer.router(readiness: []))
        try await app.test(.router) { client in
            try await client.execute(uri: "/health/live", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("live"))
                #expect(response.headers[.requestID]?.isEmpty == false)
            }
        }
    }

    @Test func readyReportsEachCheckAnd503WhenOneFails() async throws {
        let checks = [
            ReadinessCheck(name: "store") {},
            ReadinessCheck(name: "keys") { throw Down() },
        ]
        let app = Application(router: GatehouseServer.router(readiness: checks))
        try await app.test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let results = body?["checks"] as? [String: String]
                #expect(results == ["store": "ok", "keys": "database unreachable"])
                #expect(body?["status"] as? String == "not ready")
            }
        }
    }

    @Test func readyIs200WhenAllPass() async throws {
        let app = Application(router: GatehouseServer.router(readiness: [ReadinessCheck(name: "store") {}]))
        try await app.test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func metricsCountRequestsByRouteAndStatusClass() async throws {
        let app = Application(router: GatehouseServer.router(readiness: []))
        try await app.test(.router) { client in
            for _ in 0..<3 { try await client.execute(uri: "/health/live", method: .get) { _ in } }
            try await client.execute(uri: "/no/such/path?code=secret", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(text.contains(#"gatehouse_http_requests_total{method="GET",route="/health/live",status="2xx"} 3"#))
                #expect(text.contains(#"status="4xx""#))
                #expect(!text.contains("secret"))
                #expect(text.contains("gatehouse_http_request_duration_seconds_bucket"))
            }
        }
    }
}

import AsyncHTTPClient
import Foundation
@testable import GatehouseServer
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import Testing

/// ``HTTPLimits`` on a real socket: oversized heads and bodies are refused with 431 and 413,
/// and clients that trickle their requests are closed without starving anyone else.
@Suite("HTTP limits and slow clients")
struct TransportLimitsTests {
    static func router(limits: HTTPLimits = HTTPLimits()) -> Router<GatehouseRequestContext> {
        let router = GatehouseServer.router(readiness: [], limits: limits)
        router.post("/echo") { request, _ -> String in
            let body = try await request.body.collect(upTo: 8 << 20)
            return "\(body.readableBytes)"
        }
        return router
    }

    @Test("too many header fields, or one too large, is answered 431 over HTTP/1.1")
    func headerLimits() async throws {
        var limits = HTTPLimits()
        limits.maxHeaderCount = 20
        try await TransportServer.run(router: Self.router(limits: limits), limits: limits) { port in
            let many = (0..<30).map { "X-Filler-\($0): v\r\n" }.joined()
            let first = try await RawConnection.open(port: port)
            try await first.send("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\(many)\r\n")
            #expect(await first.waitFor("431", timeout: .seconds(5)), "got: \(first.text)")
            #expect(first.text.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large"))
            #expect(await first.waitForClose(timeout: .seconds(5)))

            let large = try await RawConnection.open(port: port)
            try await large.send("GET /health/live HTTP/1.1\r\nHost: localhost\r\nCookie: \(String(repeating: "a", count: 40_000))\r\n\r\n")
            #expect(await large.waitFor("431", timeout: .seconds(5)), "got: \(large.text)")

            // Within the limits: answered normally.
            let fine = try await RawConnection.open(port: port)
            try await fine.send("GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            #expect(await fine.waitFor("HTTP/1.1 200", timeout: .seconds(5)), "got: \(fine.text)")
        }
    }

    @Test("the header limits are checked again above the parser (HTTP/2 heads arrive whole)")
    func headerLimitsMiddleware() async throws {
        var limits = HTTPLimits()
        limits.maxHeaderCount = 5
        var fields = HTTPFields()
        for i in 0..<6 { fields.append(HTTPField(name: HTTPField.Name("X-N\(i)")!, value: "v")) }
        #expect(HTTPLimitsMiddleware<GatehouseRequestContext>.headerProblem(fields, limits: limits) != nil)
        fields = HTTPFields([HTTPField(name: .cookie, value: String(repeating: "c", count: 9000))])
        #expect(HTTPLimitsMiddleware<GatehouseRequestContext>.headerProblem(fields, limits: HTTPLimits()) != nil)
        fields = [.accept: "text/html", .userAgent: "browser"]
        #expect(HTTPLimitsMiddleware<GatehouseRequestContext>.headerProblem(fields, limits: HTTPLimits()) == nil)
    }

    @Test("a declared or streamed body above the limit is answered 413")
    func bodyLimit() async throws {
        var limits = HTTPLimits()
        limits.maxBodySize = 1000
        try await TransportServer.run(router: Self.router(limits: limits), limits: limits) { port in
            let client = TransportServer.client()
            defer { _ = client.shutdown() }
            func post(_ bytes: Int, chunked: Bool) async throws -> (HTTPResponseStatus, String) {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/echo")
                request.method = .POST
                let payload = ByteBuffer(repeating: UInt8(ascii: "a"), count: bytes)
                request.body = chunked ? .stream(AsyncStream { $0.yield(payload); $0.finish() }, length: .unknown) : .bytes(payload)
                let response = try await client.execute(request, timeout: .seconds(10))
                return (response.status, String(buffer: try await response.body.collect(upTo: 1 << 16)))
            }
            let reply1 = try await post(1000, chunked: false)
            #expect(reply1 == (.ok, "1000"))
            let reply2 = try await post(1001, chunked: false)
            #expect(reply2.0 == .payloadTooLarge)
            let reply3 = try await post(900, chunked: true)
            #expect(reply3 == (.ok, "900"))
            let reply4 = try await post(5000, chunked: true)
            #expect(reply4.0 == .payloadTooLarge)
        }
    }

    @Test("limits from settings: defaults, overrides, and refusals")
    func settings() throws {
        #expect(try HTTPLimits(settings: [:]) == HTTPLimits())
        let set = try HTTPLimits(settings: ["max-body-size": "2048", "max-header-size": "4096", "header-timeout": "3", "idle-timeout": "7"])
        #expect(set.maxBodySize == 2048 && set.maxHeaderListSize == 4096 && set.maxHeaderFieldSize == 4096)
        #expect(set.headerTimeout == .seconds(3) && set.idleTimeout == .seconds(7) && set.bodyTimeout == .seconds(30))
        #expect(throws: HTTPLimits.InvalidSetting.self) { try HTTPLimits(settings: ["max-body-size": "-1"]) }
        #expect(throws: HTTPLimits.InvalidSetting.self) { try HTTPLimits(settings: ["body-timeout": "soon"]) }
    }

    /// Slowloris: many connections each trickling a request head a few bytes at a time. They
    /// are closed once the header deadline passes, and a well-behaved client is answered
    /// promptly all along.
    @Test("trickling clients are closed after the header timeout while others are served", .timeLimit(.minutes(1)))
    func slowloris() async throws {
        var limits = HTTPLimits()
        limits.headerTimeout = .seconds(3)
        try await TransportServer.run(router: Self.router(limits: limits), limits: limits) { port in
            let slow = try await withThrowingTaskGroup(of: RawConnection.self) { group in
                for _ in 0..<60 { group.addTask { try await RawConnection.open(port: port) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let started = ContinuousClock.now
            let head = Array("GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + String(repeating: "z", count: 400))
            // Trickle: every 100 ms each slow connection sends one more byte; never the blank line.
            let trickle = Task {
                for index in head.indices {
                    for connection in slow where connection.isOpen { try? await connection.send(String(head[index])) }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            defer { trickle.cancel() }

            // Meanwhile a normal client is answered, again and again, while every slow one is still connected.
            let client = TransportServer.client()
            defer { _ = client.shutdown() }
            var answeredWhileAllSlowOpen = 0
            while ContinuousClock.now - started < .seconds(2) {
                let before = ContinuousClock.now
                let (status, _, _) = try await TransportServer.get(client, "http://127.0.0.1:\(port)/health/live")
                #expect(status == .ok)
                #expect(ContinuousClock.now - before < .seconds(2), "a normal request waited behind the slow ones")
                if slow.allSatisfy(\.isOpen) { answeredWhileAllSlowOpen += 1 }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(answeredWhileAllSlowOpen >= 1, "answered \(answeredWhileAllSlowOpen) times while the slow clients were connected")

            for connection in slow {
                #expect(await connection.waitForClose(timeout: .seconds(5)), "a slow connection is still open")
            }
            let closedAfter = ContinuousClock.now - started
            #expect(closedAfter >= .seconds(2) && closedAfter < .seconds(8), "slow connections were closed after \(closedAfter)")
            #expect(slow.allSatisfy { !$0.text.contains("200 OK") }, "no slow request was answered")
        }
    }

    @Test("a kept-alive connection that sends nothing is closed after the idle timeout")
    func idleKeepAlive() async throws {
        var limits = HTTPLimits()
        limits.idleTimeout = .seconds(2)
        try await TransportServer.run(router: Self.router(limits: limits), limits: limits) { port in
            let connection = try await RawConnection.open(port: port)
            try await connection.send("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await connection.waitFor("HTTP/1.1 200", timeout: .seconds(5)))
            let answered = ContinuousClock.now
            #expect(await connection.waitForClose(timeout: .seconds(6)))
            let idle = ContinuousClock.now - answered
            #expect(idle > .milliseconds(1500), "kept alive until the idle timeout, closed after \(idle)")
        }
    }

    @Test("a body that stops coming is cut off after the body timeout")
    func stalledBody() async throws {
        var limits = HTTPLimits()
        limits.bodyTimeout = .seconds(1)
        try await TransportServer.run(router: Self.router(limits: limits), limits: limits) { port in
            let connection = try await RawConnection.open(port: port)
            try await connection.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nonly-a-few")
            #expect(await connection.waitForClose(timeout: .seconds(4)))
            #expect(!connection.text.contains("200 OK"))
        }
    }
}

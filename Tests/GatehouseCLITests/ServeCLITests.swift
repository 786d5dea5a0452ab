import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `gatehouse serve` as a process: it starts, answers /health/ready, logs JSON lines with a
/// request id, and stops cleanly on SIGTERM.
@Suite struct ServeCLITests {
    /// Starts `serve --port 0` and returns the process, its base URL and its output pipe. Waits
    /// for the "listening" line on a thread of its own, off the cooperative pool.
    func start(_ cli: CLI, environment: [String: String] = [:], arguments: [String] = []) async throws -> (Process, URL, Pipe) {
        let started: Started = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { Started(value: try startBlocking(cli, environment: environment, arguments: arguments)) }) }
        }
        return started.value
    }

    /// The running server handed from the starting thread to the test; used by one task at a time.
    struct Started: @unchecked Sendable { var value: (Process, URL, Pipe) }

    private func startBlocking(_ cli: CLI, environment: [String: String], arguments: [String]) throws -> (Process, URL, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments.contains("--port") ? ["serve"] + arguments : ["serve", "--port", String(try freeLoopbackPort())] + arguments
        process.currentDirectoryURL = cli.directory
        var env = ProcessInfo.processInfo.environment
        env["GATEHOUSE_DATABASE"] = cli.database
        env["GATEHOUSE_POLICIES"] = cli.directory.appendingPathComponent("Policies").path
        env["GATEHOUSE_KEYS"] = cli.directory.appendingPathComponent("Keys").path
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Read JSON log lines until the "listening" one names the URL.
        let (url, output) = awaitOutput(out, timeout: 20) { text -> URL? in
            for line in text.split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      object["msg"] as? String == "listening", let url = object["url"] as? String else { continue }
                return URL(string: url)
            }
            return nil
        }
        if let url { return (process, url, out) }
        process.terminate()
        throw CLITestError("serve did not report listening: \(output)")
    }

    struct CLITestError: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    func get(_ url: URL) async throws -> (Int, [String: Any], String?) {
        let (data, response) = try await URLSession.shared.data(from: url)
        let http = response as! HTTPURLResponse
        let body = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return (http.statusCode, body, http.value(forHTTPHeaderField: "X-Request-Id"))
    }

    @Test func servesReadinessAndStopsGracefullyOnSIGTERM() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        #expect(try await cli.run(["keys", "generate"]).status == 0)
        let (process, base, out) = try await start(cli)
        defer { if process.isRunning { process.terminate() } }

        let (status, body, requestID) = try await get(base.appendingPathComponent("health/ready"))
        #expect(status == 200)
        #expect(body["status"] as? String == "ready")
        #expect(body["checks"] as? [String: String] == ["store": "ok", "keys": "ok"])
        #expect(requestID?.isEmpty == false)

        let (liveStatus, _, _) = try await get(base.appendingPathComponent("health/live"))
        #expect(liveStatus == 200)

        kill(process.processIdentifier, SIGTERM)
        let stopped = Date().addingTimeInterval(10)
        while process.isRunning && Date() < stopped { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)

        // One JSON line per request, with the same request id the client saw, and no query strings.
        let log = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let requestLines = log.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["msg"] as? String == "request" }
        #expect(requestLines.contains { $0["request_id"] as? String == requestID && $0["path"] as? String == "/health/ready" && $0["status"] as? String == "200" })
        #expect(log.contains("\"msg\":\"stopped\""))
    }

    @Test func clientsDeclaredInPoliciesAreSynchronisedAtStart() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        #expect(try await cli.run(["keys", "generate"]).status == 0)
        try cli.declareCongVanClient()
        let secret = String(repeating: "k", count: 40)
        let (process, _, _) = try await start(cli, environment: ["CONG_VAN_SECRET": secret])
        kill(process.processIdentifier, SIGTERM)
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        let list = try await cli.run(["clients", "list"])
        #expect(list.stdout.contains("cong-van"), "\(list.stdout)")
        #expect(list.stdout.contains("clients.yaml"))
        let db = try Data(contentsOf: cli.directory.appendingPathComponent("gatehouse.sqlite"))
        #expect(db.range(of: Data(secret.utf8)) == nil)
    }
}

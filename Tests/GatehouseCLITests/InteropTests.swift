import Foundation
import Testing

/// Independent, widely used clients against a running `gatehouse serve`: Python authlib completes
/// the code flow with PKCE and joserfc verifies the signatures from the JWKS (Tests/Interop).
@Suite struct InteropTests {
    static var pythonPath: String? { ProcessInfo.processInfo.environment["GATEHOUSE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } }
    static var script: String { CLI.repositoryRoot.appendingPathComponent("Tests/Interop/oidc_client.py").path }

    /// Runs the interop script and returns its status and output.
    func runScript(_ arguments: [String]) async throws -> CLI.Result {
        guard let python = Self.pythonPath else { throw InteropSkipped() }
        return try await CLI.runProcess(python, [Self.script] + arguments)
    }

    struct InteropSkipped: Error {}

    @Test(.enabled(if: pythonPath != nil || ProcessInfo.processInfo.environment["CI"] != nil, "GATEHOUSE_PYTHON is not set (make test sets it)"))
    func authlibCompletesTheCodeFlowAndJoserfcVerifiesTheTokens() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        #expect(Self.pythonPath != nil, "GATEHOUSE_PYTHON must be set in CI")
        #expect(try await cli.run(["keys", "generate"]).status == 0)
        #expect(try await cli.run(["units", "add", "/hue", "--name", "Huế", "--level", "province"]).status == 0)
        let password = "mật khẩu dài cho thử nghiệm"
        #expect(try await cli.run(["accounts", "add", "le.thi.hoa", "--unit", "/hue", "--name", "Lê Thị Hoa", "--email", "hoa@hue.example",
                                   "--password-stdin", "--grant", "clerk@/hue"], stdin: password + "\n").status == 0)
        let backchannelPort = try freeLoopbackPort()
        func register(_ id: String, _ redirect: String, _ extra: [String] = []) async throws -> String {
            let r = try await cli.run(["clients", "add", id, "--redirect-uri", redirect] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("client secret") })
            return String(line.split(separator: " ").last!)
        }
        let secretA = try await register("cong-van", "http://127.0.0.1:9/cong-van/callback",
                                         ["--backchannel-logout-uri", "http://127.0.0.1:\(backchannelPort)/backchannel"])
        let secretB = try await register("nhan-su", "http://127.0.0.1:9/nhan-su/callback")

        let server = try await ServeCLITests().start(cli)
        defer { kill(server.0.processIdentifier, SIGTERM) }
        let issuer = server.1.absoluteString.hasSuffix("/") ? String(server.1.absoluteString.dropLast()) : server.1.absoluteString

        let r = try await runScript([
            "flow", "--issuer", issuer, "--client-id", "cong-van", "--client-secret=\(secretA)",
            "--redirect-uri", "http://127.0.0.1:9/cong-van/callback", "--username", "le.thi.hoa", "--password", password,
            "--backchannel-port", "\(backchannelPort)",
            "--second-client-id", "nhan-su", "--second-client-secret=\(secretB)", "--second-redirect-uri", "http://127.0.0.1:9/nhan-su/callback",
        ])
        #expect(r.status == 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        #expect(r.stdout.contains("interop: authlib code flow"))
    }
}

/// Two `gatehouse serve` processes sharing one PostgreSQL database behave as one service.
@Suite struct ScaleOutTests {
    @Test(.enabled(if: InteropTests.pythonPath != nil || ProcessInfo.processInfo.environment["CI"] != nil, "GATEHOUSE_PYTHON is not set (make test sets it)"))
    func twoNodesOnOnePostgreSQLShareSessionsLogoutsRevocationsAndDisabling() async throws {
        let env = ProcessInfo.processInfo.environment
        let maintenance = try #require(env["GATEHOUSE_TEST_POSTGRES_URL"], "GATEHOUSE_TEST_POSTGRES_URL must be set")
        let python = try #require(InteropTests.pythonPath, "GATEHOUSE_PYTHON must be set")
        let name = "gh_nodes_\(UUID().uuidString.prefix(8).lowercased())"
        let created = try await CLI.runProcess("/usr/bin/env", ["psql", maintenance, "-qc", "CREATE DATABASE \(name)"])
        #expect(created.status == 0, "\(created.stderr)")
        var components = try #require(URLComponents(string: maintenance))
        components.path = "/" + name
        let database = try #require(components.string)
        defer { Task.detached { _ = try? await CLI.runProcess("/usr/bin/env", ["psql", maintenance, "-qc", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"]) } }

        let cli = try CLI(); defer { cli.cleanUp() }
        let onPostgres = ["GATEHOUSE_DATABASE": database]
        #expect(try await cli.run(["keys", "generate"], environment: onPostgres).status == 0)
        #expect(try await cli.run(["units", "add", "/hue", "--name", "Huế", "--level", "province"], environment: onPostgres).status == 0)
        let password = "mật khẩu dài cho hai máy chủ"
        #expect(try await cli.run(["accounts", "add", "tran.van.nam", "--unit", "/hue", "--password-stdin"], stdin: password + "\n", environment: onPostgres).status == 0)
        let redirect = "http://127.0.0.1:9/app/callback"
        let registered = try await cli.run(["clients", "add", "app", "--redirect-uri", redirect], environment: onPostgres)
        let secretLine = try #require(registered.stdout.split(separator: "\n").first { $0.hasPrefix("client secret") })
        let secret = String(secretLine.split(separator: " ").last!)

        let portA = try freeLoopbackPort()
        let issuer = "http://127.0.0.1:\(portA)"
        let a = try await ServeCLITests().start(cli, environment: onPostgres, arguments: ["--port", "\(portA)", "--issuer", issuer])
        defer { kill(a.0.processIdentifier, SIGTERM) }
        let b = try await ServeCLITests().start(cli, environment: onPostgres, arguments: ["--port", "\(try freeLoopbackPort())", "--issuer", issuer])
        defer { kill(b.0.processIdentifier, SIGTERM) }
        let nodeB = b.1.absoluteString.hasSuffix("/") ? String(b.1.absoluteString.dropLast()) : b.1.absoluteString

        let disable = [CLI.binary, "accounts", "disable", "tran.van.nam", "--database", database,
                       "--policies", cli.directory.appendingPathComponent("Policies").path,
                       "--keys", cli.directory.appendingPathComponent("Keys").path].map { "'\($0)'" }.joined(separator: " ")
        let r = try await CLI.runProcess(python, [
            InteropTests.script, "nodes", "--issuer", issuer, "--node-a", issuer, "--node-b", nodeB,
            "--client-id", "app", "--client-secret=\(secret)", "--redirect-uri", redirect,
            "--username", "tran.van.nam", "--password", password, "--disable-command", disable,
        ])
        #expect(r.status == 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        #expect(r.stdout.contains("two nodes on one database"))
    }
}

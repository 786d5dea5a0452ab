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
        func register(_ id: String, _ redirect: String) async throws -> String {
            let r = try await cli.run(["clients", "add", id, "--redirect-uri", redirect])
            #expect(r.status == 0, "\(r.stderr)")
            let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("client secret") })
            return String(line.split(separator: " ").last!)
        }
        let secretA = try await register("cong-van", "http://127.0.0.1:9/cong-van/callback")
        let secretB = try await register("nhan-su", "http://127.0.0.1:9/nhan-su/callback")

        let server = try await ServeCLITests().start(cli)
        defer { kill(server.0.processIdentifier, SIGTERM) }
        let issuer = server.1.absoluteString.hasSuffix("/") ? String(server.1.absoluteString.dropLast()) : server.1.absoluteString

        let r = try await runScript([
            "flow", "--issuer", issuer, "--client-id", "cong-van", "--client-secret", secretA,
            "--redirect-uri", "http://127.0.0.1:9/cong-van/callback", "--username", "le.thi.hoa", "--password", password,
            "--second-client-id", "nhan-su", "--second-client-secret", secretB, "--second-redirect-uri", "http://127.0.0.1:9/nhan-su/callback",
        ])
        #expect(r.status == 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        #expect(r.stdout.contains("interop: authlib code flow"))
    }
}

import Foundation
import Testing

/// The example application (Examples/NoticeBoard) against a running Gatehouse, walked by a
/// browser (Tests/Interop/example_journeys.py): anonymous, logged in, a role at the wrong
/// unit, then logged out at Gatehouse and refused within the revocation latency.
@Suite struct ExampleJourneyTests {
    /// The example binary beside `gatehouse`.
    static var exampleBinary: String {
        URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().appendingPathComponent("gatehouse-example").path
    }

    /// With a back-channel logout URI registered the logout reaches the application both ways;
    /// without one, the revocation feed alone must refuse the session and the token in time.
    @Test(.enabled(if: InteropTests.pythonPath != nil || ProcessInfo.processInfo.environment["CI"] != nil, "GATEHOUSE_PYTHON is not set (make test sets it)"),
          arguments: [true, false])
    func anApplicationFollowsLoginsRolesAndLogoutsElsewhere(backchannel: Bool) async throws {
        let python = try #require(InteropTests.pythonPath, "GATEHOUSE_PYTHON must be set in CI")
        let cli = try CLI(); defer { cli.cleanUp() }
        #expect(try await cli.run(["keys", "generate"]).status == 0)
        for (path, name, level) in [("/ha-noi", "Hà Nội", "province"), ("/ha-noi/phuong-ba-dinh", "Phường Ba Đình", "commune"),
                                    ("/hue", "Huế", "province")] {
            #expect(try await cli.run(["units", "add", path, "--name", name, "--level", level]).status == 0)
        }
        let password = "mật khẩu của bảng tin"
        #expect(try await cli.run(["accounts", "add", "nguyen.van.an", "--unit", "/ha-noi/phuong-ba-dinh", "--name", "Nguyễn Văn An",
                                   "--password-stdin", "--grant", "clerk@/ha-noi"], stdin: password + "\n").status == 0)
        let appPort = try freeLoopbackPort()
        let app = "http://127.0.0.1:\(appPort)"
        let registered = try await cli.run([
            "clients", "add", "bang-tin", "--redirect-uri", app + "/callback", "--post-logout-redirect-uri", app + "/",
        ] + (backchannel ? ["--backchannel-logout-uri", app + "/backchannel-logout"] : []))
        #expect(registered.status == 0, "\(registered.stderr)")
        let secretLine = try #require(registered.stdout.split(separator: "\n").first { $0.hasPrefix("client secret") })
        let secret = String(secretLine.split(separator: " ").last!)

        let server = try await ServeCLITests().start(cli)
        defer { kill(server.0.processIdentifier, SIGTERM) }
        let issuer = server.1.absoluteString.hasSuffix("/") ? String(server.1.absoluteString.dropLast()) : server.1.absoluteString

        let example = try await Self.startExample([
            "GATEHOUSE_ISSUER": issuer, "NOTICEBOARD_URL": app, "NOTICEBOARD_CLIENT_ID": "bang-tin",
            "NOTICEBOARD_CLIENT_SECRET": secret, "NOTICEBOARD_REVOCATION_LATENCY": "5",
        ])
        defer { kill(example.processIdentifier, SIGTERM) }

        let script = CLI.repositoryRoot.appendingPathComponent("Tests/Interop/example_journeys.py").path
        let r = try await CLI.runProcess(python, [
            script, "--app", app, "--issuer", issuer, "--client-id", "bang-tin", "--client-secret=\(secret)",
            "--username", "nguyen.van.an", "--password", password,
            "--unit-ok", "/ha-noi/phuong-ba-dinh", "--unit-wrong", "/hue", "--latency", "5",
        ])
        #expect(r.status == 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        #expect(r.stdout.contains("session_refused_after"))
        print("example journeys (back-channel logout \(backchannel ? "registered" : "not registered")): \(r.stdout)")
    }

    /// Starts the example and waits for its "listening" line, on a thread of its own.
    static func startExample(_ environment: [String: String]) async throws -> Process {
        struct Box: @unchecked Sendable { let process: Process }
        let box: Box = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: exampleBinary)
                    var env = ProcessInfo.processInfo.environment
                    for (k, v) in environment { env[k] = v }
                    process.environment = env
                    let out = Pipe()
                    process.standardOutput = out
                    process.standardError = FileHandle.nullDevice
                    try process.run()
                    let (started, output) = awaitOutput(out, timeout: 30) { $0.contains("noticeboard listening") ? true : nil }
                    if started == true { return Box(process: process) }
                    process.terminate()
                    throw ServeCLITests.CLITestError("the example did not start: \(output)")
                })
            }
        }
        return box.process
    }

    /// The example application links OpenSSL but none of the server's C libraries: the
    /// middleware it is built on pulls in nothing of the server.
    @Test func theExampleLinksNoneOfTheServersLibraries() async throws {
        let binary = Self.exampleBinary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build gatehouse-example first (make test does)")
        let r = try await CLI.runProcess("/usr/bin/ldd", [binary])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("libcrypto"), "the middleware verifies with OpenSSL: \(r.stdout)")
        for library in ["libpq", "libldap", "liblber", "libargon2", "libsqlite3"] {
            #expect(!r.stdout.contains(library), "the example links \(library):\n\(r.stdout)")
        }
        // And the gatehouse binary does link them, so the check can see a library when it is there.
        let server = try await CLI.runProcess("/usr/bin/ldd", [CLI.binary])
        #expect(server.stdout.contains("libpq") && server.stdout.contains("libargon2"))
    }
}

import Foundation
import Testing

/// The admin console in a real headless browser (Chromium, driven by Selenium from
/// Tests/Interop/console_journeys.py) against a listening `gatehouse serve` with the shipped
/// policies: a Hà Nội province administrator signs in, enrols in two-step verification, creates
/// an account, grants it a role, is refused a grant in Huế and a form without its CSRF token,
/// switches language and signs out.
@Suite struct ConsoleBrowserTests {
    static var chromiumInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
    }

    @Test(.enabled(if: (InteropTests.pythonPath != nil && chromiumInstalled) || ProcessInfo.processInfo.environment["CI"] != nil,
                   "GATEHOUSE_PYTHON is not set or chromium is not installed (make test sets both up)"))
    func aProvinceAdministratorWorksInTheConsole() async throws {
        let python = try #require(InteropTests.pythonPath, "GATEHOUSE_PYTHON must be set in CI")
        let cli = try CLI(); defer { cli.cleanUp() }
        #expect(try await cli.run(["keys", "generate"]).status == 0)
        for (path, name, level) in [("/ha-noi", "Hà Nội", "province"), ("/ha-noi/phuong-ba-dinh", "Phường Ba Đình", "commune"),
                                    ("/hue", "Huế", "province"), ("/hue/phuong-phu-xuan", "Phường Phú Xuân", "commune")] {
            #expect(try await cli.run(["units", "add", path, "--name", name, "--level", level]).status == 0)
        }
        let password = "cửa sổ xanh trên đồi thông 2025"
        let admin = try await cli.run(["accounts", "add", "quan.tri.ha.noi", "--unit", "/ha-noi", "--name", "Quản trị Hà Nội",
                                       "--password-stdin", "--grant", "province-admin@/ha-noi"], stdin: password + "\n")
        #expect(admin.status == 0, "\(admin.stderr)")
        let other = try await cli.run(["accounts", "add", "le.thi.hue", "--unit", "/hue/phuong-phu-xuan", "--name", "Lê Thị Huế",
                                       "--password-stdin"], stdin: password + "\n")
        #expect(other.status == 0, "\(other.stderr)")

        let server = try await ServeCLITests().start(cli)
        defer { kill(server.0.processIdentifier, SIGTERM) }
        let issuer = server.1.absoluteString.hasSuffix("/") ? String(server.1.absoluteString.dropLast()) : server.1.absoluteString

        let script = CLI.repositoryRoot.appendingPathComponent("Tests/Interop/console_journeys.py").path
        let r = try await CLI.runProcess(python, [
            script, "--issuer", issuer, "--username", "quan.tri.ha.noi", "--password", password, "--other-username", "le.thi.hue",
        ])
        #expect(r.status == 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        #expect(r.stdout.contains("\"signed_out\": true"))
        print("console journeys: \(r.stdout)")

        // What the browser did is in the audit trail, as the administrator.
        let audit = try await cli.run(["audit", "export"])
        for action in ["account.create", "role.grant"] { #expect(audit.stdout.contains(action), "\(action) audited") }
    }
}

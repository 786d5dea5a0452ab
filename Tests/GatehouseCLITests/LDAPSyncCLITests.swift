import Foundation
import Testing

/// `gatehouse ldap sync` against the test slapd (`GATEHOUSE_TEST_LDAP_URL`, as `make test` sets
/// it), changing the directory with the OpenLDAP tools as its administrators would.
@Suite("gatehouse ldap sync", .enabled(if: TestSlapd.enabled, "GATEHOUSE_TEST_LDAP_URL is not set (scripts/test-slapd.sh start DIR)"))
struct LDAPSyncCLITests {
    static var url: String? { TestSlapd.url }
    static let admin = ["-D", "cn=admin,dc=gatehouse,dc=test", "-w", "gatehouse-admin-test-password"]
    static let syncPassword = "gatehouse-sync-test-password"

    /// A scratch subtree of the test directory with three officials and a group, and a CLI
    /// folder whose ldap.yaml maps it onto /ha-noi and /ha-noi/phuong-ba-dinh.
    struct Scratch {
        let cli: CLI
        let base: String
        let tag: String

        func uid(_ name: String) -> String { "\(name).\(tag)" }
        func dn(_ name: String, _ ou: String = "ou=ha-noi") -> String { "uid=\(uid(name)),\(ou),\(base)" }

        static func make(url: String = LDAPSyncCLITests.url ?? "") async throws -> Scratch {
            let tag = String(UUID().uuidString.lowercased().prefix(8))
            let base = "ou=cli-\(tag),dc=gatehouse,dc=test"
            let cli = try CLI()
            let scratch = Scratch(cli: cli, base: base, tag: tag)
            func person(_ name: String, _ cn: String, _ ou: String) -> String {
                """
                dn: \(scratch.dn(name, ou))
                objectClass: inetOrgPerson
                uid: \(scratch.uid(name))
                cn: \(cn)
                sn: \(cn.split(separator: " ")[0])
                mail: \(name)@hanoi.gatehouse.test
                userPassword: Mật-khẩu-CLI-1

                """
            }
            let ldif = """
                dn: \(base)
                objectClass: organizationalUnit
                ou: cli-\(tag)

                dn: ou=ha-noi,\(base)
                objectClass: organizationalUnit
                ou: ha-noi

                dn: ou=phuong-ba-dinh,ou=ha-noi,\(base)
                objectClass: organizationalUnit
                ou: phuong-ba-dinh

                \(person("an", "Nguyễn Văn Tài", "ou=ha-noi"))
                \(person("binh", "Trần Thị Nhung", "ou=ha-noi"))
                \(person("cuong", "Lê Hoàng Phong", "ou=phuong-ba-dinh,ou=ha-noi"))
                dn: cn=van-thu,\(base)
                objectClass: groupOfNames
                cn: van-thu
                member: \(scratch.dn("binh"))

                """
            try await scratch.ldap("ldapadd", ldif)
            let yaml = """
                directories:
                  - name: ha-noi
                    url: \(url)
                    bind_dn: cn=gatehouse-sync,dc=gatehouse,dc=test
                    bind_password_env: GATEHOUSE_LDAP_HA_NOI_PASSWORD
                    user_base: \(base)
                    group_base: \(base)
                    units:
                      - dn_suffix: ou=phuong-ba-dinh,ou=ha-noi,\(base)
                        unit: /ha-noi/phuong-ba-dinh
                      - dn_suffix: ou=ha-noi,\(base)
                        unit: /ha-noi
                    groups:
                      - group: cn=van-thu,\(base)
                        role: clerk
                        unit: /ha-noi
                """
            try yaml.write(to: cli.directory.appendingPathComponent("Policies/ldap.yaml"), atomically: true, encoding: .utf8)
            let units = try await cli.run(["units", "import", try cli.write("units.csv", "path,name\n/ha-noi,Hà Nội\n/ha-noi/phuong-ba-dinh,Phường Ba Đình\n")])
            #expect(units.status == 0, "\(units.stderr)")
            return scratch
        }

        /// Runs an OpenLDAP tool as the directory's administrator, `input` on stdin.
        @discardableResult
        func ldap(_ tool: String, _ input: String? = nil, _ arguments: [String] = []) async throws -> CLI.Result {
            let url = LDAPSyncCLITests.url ?? ""
            let result = try await CLI.runProcess("/usr/bin/env", ["LDAPNOINIT=1", tool, "-x", "-H", url] + LDAPSyncCLITests.admin + arguments, stdin: input)
            #expect(result.status == 0, "\(tool): \(result.stderr)")
            return result
        }

        func sync(_ arguments: [String] = [], password: String? = LDAPSyncCLITests.syncPassword) async throws -> CLI.Result {
            try await cli.run(["ldap", "sync"] + arguments, environment: ["GATEHOUSE_LDAP_HA_NOI_PASSWORD": password ?? ""])
        }

        /// Runs `body` with a new scratch subtree and folder, removed afterwards.
        static func with(url: String = LDAPSyncCLITests.url ?? "", _ body: (Scratch) async throws -> Void) async throws {
            let scratch = try await make(url: url)
            do { try await body(scratch) } catch {
                await scratch.cleanUp()
                throw error
            }
            await scratch.cleanUp()
        }

        func cleanUp() async {
            _ = try? await CLI.runProcess("/usr/bin/env", ["LDAPNOINIT=1", "ldapdelete", "-x", "-H", LDAPSyncCLITests.url ?? ""] + LDAPSyncCLITests.admin + ["-r", base])
            cli.cleanUp()
        }
    }

    /// The summary table's figures: `created 3` → ["created": 3].
    static func figures(_ output: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 2, let value = Int(words.last!.replacingOccurrences(of: ",", with: "")) else { continue }
            out[words.dropLast().joined(separator: " ")] = value
        }
        return out
    }

    @Test func dryRunThenSyncThenIncrementalChanges() async throws {
        try await Scratch.with { s in try await dryRunThenSyncThenIncrementalChanges(s) }
    }

    func dryRunThenSyncThenIncrementalChanges(_ s: Scratch) async throws {
        let dry = try await s.sync(["--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("create   \(s.uid("an"))  \"Nguyễn Văn Tài\" <an@hanoi.gatehouse.test> at /ha-noi\n"))
        #expect(dry.stdout.contains("create   \(s.uid("cuong"))  \"Lê Hoàng Phong\" <cuong@hanoi.gatehouse.test> at /ha-noi/phuong-ba-dinh"))
        #expect(dry.stdout.contains("grant+   \(s.uid("binh"))  clerk@/ha-noi"))
        #expect(dry.stdout.contains("full synchronisation (content-sync), dry run: nothing written"))
        #expect(Self.figures(dry.stdout)["created"] == 3)
        #expect(try await s.cli.run(["accounts", "list"]).stdout.isEmpty, "a dry run writes nothing")

        let first = try await s.sync()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(Self.figures(first.stdout)["created"] == 3 && Self.figures(first.stdout)["grants added"] == 1, "\(first.stdout)")
        let listed = try await s.cli.run(["accounts", "list"]).stdout
        #expect(listed.contains(s.uid("cuong")) && listed.contains("/ha-noi/phuong-ba-dinh"))

        let again = try await s.sync()
        #expect(again.stdout.contains("incremental synchronisation (content-sync)"))
        #expect(Self.figures(again.stdout)["created"] == 0 && Self.figures(again.stdout)["updated"] == 0, "\(again.stdout)")

        try await s.ldap("ldapmodify", """
            dn: \(s.dn("an"))
            changetype: modify
            replace: cn
            cn: Nguyễn Văn Tài (Văn thư)

            dn: cn=van-thu,\(s.base)
            changetype: modify
            replace: member
            member: \(s.dn("an"))

            """)
        try await s.ldap("ldapdelete", nil, [s.dn("cuong", "ou=phuong-ba-dinh,ou=ha-noi")])
        let changed = try await s.sync()
        let figures = Self.figures(changed.stdout)
        #expect(figures["updated"] == 1 && figures["disabled"] == 1 && figures["grants added"] == 1 && figures["grants removed"] == 1,
                "\(changed.stdout)")
        let after = try await s.cli.run(["accounts", "list"]).stdout
        #expect(after.split(separator: "\n").contains { $0.hasPrefix(s.uid("cuong")) && $0.contains("disabled") }, "\(after)")
        #expect(after.contains("Nguyễn Văn Tài (Văn thư)"))
    }

    /// `serve` synchronises each directory at start and then at its sync_interval, and stops
    /// cleanly.
    @Test func serveSynchronisesOnItsOwn() async throws {
        try await Scratch.with { s in
            #expect(try await s.cli.run(["keys", "generate"]).status == 0)
            let (process, _, _) = try await ServeCLITests().start(s.cli, environment: ["GATEHOUSE_LDAP_HA_NOI_PASSWORD": LDAPSyncCLITests.syncPassword])
            defer { if process.isRunning { process.terminate() } }
            var listed = ""
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                listed = try await s.cli.run(["accounts", "list"]).stdout
                if listed.split(separator: "\n").count == 3 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(listed.contains(s.uid("an")) && listed.contains(s.uid("binh")) && listed.contains(s.uid("cuong")), "\(listed)")
            kill(process.processIdentifier, SIGTERM)
            let stopped = Date().addingTimeInterval(10)
            while process.isRunning && Date() < stopped { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!process.isRunning && process.terminationStatus == 0)
        }
    }

    @Test func unreachableDirectoryIsOneClearLine() async throws {
        try await Scratch.with(url: "ldap://127.0.0.1:1") { s in
            let result = try await s.sync()
            #expect(result.isOneLineFailure, "\(result.stderr)")
            #expect(result.stderr == "gatehouse: directory 'ha-noi': directory ldap://127.0.0.1:1 is unreachable\n")
        }
    }

    @Test func missingBindPasswordAndUnknownDirectoryAreOneClearLine() async throws {
        try await Scratch.with { s in
            let noPassword = try await s.sync(password: nil)
            #expect(noPassword.isOneLineFailure)
            #expect(noPassword.stderr.contains("GATEHOUSE_LDAP_HA_NOI_PASSWORD is not set"))
            let unknown = try await s.sync(["--directory", "hue"])
            #expect(unknown.isOneLineFailure)
            #expect(unknown.stderr.contains("declares no directory 'hue'"))
            let wrong = try await s.sync(password: "not-the-password")
            #expect(wrong.isOneLineFailure, "\(wrong.stderr)")
            #expect(wrong.stderr.contains("invalid credentials"))
        }
    }
}

/// The test slapd: `GATEHOUSE_TEST_LDAP_URL`, required under CI.
enum TestSlapd {
    static let url = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_LDAP_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let enabled = url != nil || !["", "0", "false", "no"].contains((ProcessInfo.processInfo.environment["CI"] ?? "").lowercased())
}

import Foundation
import Testing

/// `gatehouse accounts import`, run as an operator would.
@Suite struct AccountImportCLITests {
    /// Hashes of "Mật khẩu" (Tests/GatehousePasswordsTests/Vectors: ssha.json, sha-crypt.json,
    /// bcrypt.json, pbkdf2-sha256.json).
    static let password = "Mật khẩu"
    static let ssha = "{SSHA}2B/Q4KBKSOcSfpqDD2TupdwmHSWKEVwD50KQaw=="
    static let sha512Crypt = "$6$gatehouse2025$mVlx8tclbiy.NOzyPGo9lY9I.StJjTHK3/1e4LmAKJD3ltk8QsZgNO673IKwpweBBbL3GAG0xIdbtJh9vtfmU/"
    static let bcrypt = "$2b$05$1UQT4tIXCoYx66NXcaXO/OwvavaPcUIe29/QU.inHnuryihepZspK"
    static let django = "pbkdf2_sha256$1000000$Gh7sQ2pLm9Xc4Rt1$ZhTGMU+56JT2SJ4KZwIzT41Sem7tY5G0OKUSj+LcwE0="
    static let header = "username,display_name,email,unit,password_hash,grants,status"

    /// Four good rows (lines 2, 3, 6, 14) and eight bad ones; line 4's quoted name spans two lines.
    static let mixed = #"""
    \#(header)
    le.thi.hoa,Lê Thị Hoa,hoa@hue.example,/hue,\#(ssha),clerk@/hue,
    tran.van.b,"Trần Văn B, ""Nội vụ""",,/hue/xa-1,\#(sha512Crypt),official@/hue/xa-1 clerk@/hue,active
    pham.thi.c,"Phạm Thị C
    (hai dòng)",c@hue.example,/hue,,,
    nguyen.van.d,Nguyễn Văn D,d@hanoi.example,/ha-noi/phuong-ba-dinh,\#(bcrypt),,disabled
    vo.van.e,Võ Văn E,,/da-nang,,,
    dang.thi.f,Đặng Thị F,not-an-email,/hue,,,
    LE.THI.HOA,Lê Thị Hoa,,/hue,,,
    bui.van.g,Bùi Văn G,,/hue,,emperor@/hue,
    ho.thi.h,Hồ Thị H,,/hue/xa-1,,province-admin@/hue/xa-1,
    mai.van.i,Mai Văn I,,/hue,Mật khẩu mới 2025,,
    ly.thi.k,Lý Thị K,,/hue
    do.van.l,Đỗ Văn L,l@hue.example,/hue,\#(django),,

    """#

    static let expectedRejections = [
        "accounts.csv:4: invalid name: contains control characters",
        "accounts.csv:7: unit /da-nang does not exist",
        "accounts.csv:8: invalid email address 'not-an-email'",
        "accounts.csv:9: username 'le.thi.hoa' is listed again (first on line 2)",
        "accounts.csv:10: unknown role 'emperor'",
        "accounts.csv:11: role 'province-admin' may not be granted at commune level (/hue/xa-1)",
        "accounts.csv:12: password_hash is not in a supported hash format (a plaintext password is never accepted)",
        "accounts.csv:13: expected 7 fields, found 4",
    ]

    static let units = "path,name\n/hue,Huế\n/hue/xa-1,Xã Tân Phước 1\n/ha-noi,Hà Nội\n/ha-noi/phuong-ba-dinh,Phường Ba Đình\n"

    func cliWithUnits(_ environment: [String: String] = [:]) async throws -> CLI {
        let cli = try CLI()
        let r = try await cli.run(["units", "import", try cli.write("units.csv", Self.units)], environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        return cli
    }

    @Test func goodRowsAreImportedAndEachBadRowIsNamedByItsLine() async throws {
        let cli = try await cliWithUnits(); defer { cli.cleanUp() }
        _ = try cli.write("accounts.csv", Self.mixed)
        let r = try await cli.run(["accounts", "import", "accounts.csv"])  // relative: messages name the file as given
        #expect(r.status == 1)
        let rejected = r.stderr.split(separator: "\n").filter { $0.hasPrefix("accounts.csv:") }.map(String.init)
        #expect(rejected.count == Self.expectedRejections.count, "\(r.stderr)")
        for (line, expected) in zip(rejected, Self.expectedRejections) {
            #expect(line.hasPrefix(expected), "\(line)")
        }
        #expect(r.stderr.contains("gatehouse: 8 row(s) rejected; the other rows were imported"), "\(r.stderr)")
        #expect(!r.stderr.contains("Mật khẩu mới"), "a plaintext password must never be echoed")
        #expect(summary(r.stdout) == ["created": 4, "updated": 0, "unchanged": 0, "rejected": 8], "\(r.stdout)")

        let list = try await cli.run(["accounts", "list"])
        let rows = list.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(rows.map { String($0[0]) } == ["do.van.l", "le.thi.hoa", "nguyen.van.d", "tran.van.b"], "\(list.stdout)")
        #expect(rows.map { String($0[1]) } == ["active", "active", "disabled", "active"])
        #expect(list.stdout.contains("Trần Văn B, \"Nội vụ\""))
        let grants = try await cli.run(["policy", "explain", "--account", "tran.van.b", "--action", "documents.read", "--unit", "/hue/xa-1"])
        #expect(grants.stdout.contains("grants: clerk@/hue, official@/hue/xa-1"), "\(grants.stdout) \(grants.stderr)")

        // One batch, one event, and the chain holds.
        let events = try await exportedActions(cli)
        #expect(events == ["unit.import", "account.import"])
        #expect(try await cli.run(["audit", "verify"]).status == 0)
    }

    @Test func importingTheSameFileAgainChangesNothing() async throws {
        let cli = try await cliWithUnits(); defer { cli.cleanUp() }
        let file = try cli.write("accounts.csv", Self.mixed)
        _ = try await cli.run(["accounts", "import", file])
        let before = try await exportedActions(cli)
        let again = try await cli.run(["accounts", "import", file])
        #expect(summary(again.stdout) == ["created": 0, "updated": 0, "unchanged": 4, "rejected": 8], "\(again.stdout)")
        // Nothing changed, so nothing was written: not even an audit event.
        #expect(try await exportedActions(cli) == before)
        #expect(try await cli.run(["audit", "verify"]).status == 0)
    }

    @Test func aChangedRowUpdatesTheAccountToMatchIt() async throws {
        let cli = try await cliWithUnits(); defer { cli.cleanUp() }
        #expect(try await cli.run(["keys", "generate"]).status == 0)  // disabling signs back-channel logout tokens
        let original = """
        \(Self.header)
        le.thi.hoa,Lê Thị Hoa,hoa@hue.example,/hue,\(Self.ssha),clerk@/hue,
        tran.van.b,Trần Văn B,,/hue/xa-1,,official@/hue/xa-1 clerk@/hue,
        do.van.l,Đỗ Văn L,,/hue,,,
        """
        var r = try await cli.run(["accounts", "import", try cli.write("v1.csv", original)])
        #expect(r.status == 0, "\(r.stderr)")
        let changed = """
        \(Self.header)
        le.thi.hoa,Lê Thị Hoa,hoa@hue.example,/hue,\(Self.ssha),clerk@/hue,
        tran.van.b,Trần Văn Bình,b@hanoi.example,/ha-noi,,official@/ha-noi,
        do.van.l,Đỗ Văn L,,/hue,,,disabled
        """
        r = try await cli.run(["accounts", "import", try cli.write("v2.csv", changed)])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(summary(r.stdout) == ["created": 0, "updated": 2, "unchanged": 1, "rejected": 0], "\(r.stdout)")
        let list = try await cli.run(["accounts", "list"]).stdout
        #expect(list.contains("tran.van.b") && list.contains("/ha-noi ") && list.contains("Trần Văn Bình"), "\(list)")
        #expect(list.split(separator: "\n").first { $0.hasPrefix("do.van.l") }?.contains("disabled") == true, "\(list)")
        let grants = try await cli.run(["policy", "explain", "--account", "tran.van.b", "--action", "documents.read", "--unit", "/ha-noi"])
        #expect(grants.stdout.contains("grants: official@/ha-noi\n"), "\(grants.stdout)")
        // Disabling went the way `accounts disable` goes.
        #expect(try await exportedActions(cli).suffix(2) == ["account.import", "account.disable"])
        #expect(try await cli.run(["audit", "verify"]).status == 0)
    }

    @Test func dryRunWritesNothing() async throws {
        let cli = try await cliWithUnits(); defer { cli.cleanUp() }
        let r = try await cli.run(["accounts", "import", "--dry-run", try cli.write("accounts.csv", Self.mixed)])
        #expect(r.status == 1)
        #expect(r.stdout.contains("dry run, nothing written"))
        #expect(summary(r.stdout) == ["would create": 4, "would update": 0, "unchanged": 0, "rejected": 8], "\(r.stdout)")
        #expect(try await cli.run(["accounts", "list"]).stdout.isEmpty)
        #expect(try await exportedActions(cli) == ["unit.import"])
    }

    @Test func aWrongHeaderImportsNothing() async throws {
        let cli = try await cliWithUnits(); defer { cli.cleanUp() }
        var r = try await cli.run(["accounts", "import", try cli.write("a.csv", "username,display_name,unit,phone\nx,X,/hue,1\n")])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains("a.csv:1: unknown column(s) 'phone'"), "\(r.stderr)")
        r = try await cli.run(["accounts", "import", try cli.write("b.csv", "username,display_name,unit,email,grants,status\nx,X,/hue,,,\n")])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains("b.csv:1: missing column(s) password_hash"), "\(r.stderr)")
        #expect(try await cli.run(["accounts", "list"]).stdout.isEmpty)
    }

    @Test func anImportedLegacyHashLogsInAndIsUpgraded() async throws {
        let cli = try await cliWithUnits(); defer { cli.cleanUp() }
        #expect(try await cli.run(["keys", "generate"]).status == 0)
        var r = try await cli.run(["accounts", "import", try cli.write("accounts.csv", Self.mixed)])
        #expect(r.status == 1)
        let redirect = "http://127.0.0.1:9/cb"
        r = try await cli.run(["clients", "add", "so-tay", "--redirect-uri", redirect])
        #expect(r.status == 0, "\(r.stderr)")
        let (server, base, _) = try await ServeCLITests().start(cli)
        defer { kill(server.processIdentifier, SIGTERM) }

        #expect(try await BrowserLogin(cli: cli, base: base).logIn(clientID: "so-tay", redirectURI: redirect, username: "le.thi.hoa", password: "sai mật khẩu") == false)
        #expect(try await BrowserLogin(cli: cli, base: base).logIn(clientID: "so-tay", redirectURI: redirect, username: "le.thi.hoa", password: Self.password))
        #expect(try await BrowserLogin(cli: cli, base: base).logIn(clientID: "so-tay", redirectURI: redirect, username: "tran.van.b", password: Self.password))
        let actions = try await exportedActions(cli)
        #expect(actions.filter { $0 == "login.success" }.count == 2, "\(actions)")
        #expect(actions.filter { $0 == "account.password.rehash" }.count == 2, "\(actions)")

        // The upgraded Argon2id hash is kept when the file, with its legacy hash, is imported again.
        r = try await cli.run(["accounts", "import", try cli.write("accounts.csv", Self.mixed)])
        #expect(summary(r.stdout)["unchanged"] == 4, "\(r.stdout)")
        #expect(try await BrowserLogin(cli: cli, base: base).logIn(clientID: "so-tay", redirectURI: redirect, username: "le.thi.hoa", password: Self.password))
    }

    @Test func aKilledImportLeavesWholeBatchesAndTheNextRunCompletesIt() async throws {
        let cli = try await cliWithUnits(); defer { cli.cleanUp() }
        let rows = 9_000, batch = 100
        var text = Self.header + "\n"
        for i in 0..<rows { text += "can.bo.\(i),Cán bộ \(i),,\(i % 2 == 0 ? "/hue" : "/hue/xa-1"),\(Self.ssha),official@/hue,\n" }
        let file = try cli.write("large.csv", text)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["accounts", "import", file, "--batch-size", "\(batch)", "--database", cli.database,
                             "--policies", cli.directory.appendingPathComponent("Policies").path]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let progress = try await Self.firstLine(of: stderr, containing: "rows ")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(progress?.hasPrefix("rows ") == true, "\(progress ?? "no progress line")")

        let imported = try await cli.run(["accounts", "list", "--limit", "10000"]).stdout.split(separator: "\n").count
        #expect(imported > 0 && imported < rows, "\(imported)")
        #expect(imported % batch == 0, "\(imported) accounts is not a whole number of batches")
        #expect(try await exportedActions(cli).filter { $0 == "account.import" }.count == imported / batch)
        #expect(try await cli.run(["audit", "verify"]).status == 0)

        let again = try await cli.run(["accounts", "import", file, "--batch-size", "\(batch)"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(summary(again.stdout) == ["created": rows - imported, "updated": 0, "unchanged": imported, "rejected": 0], "\(again.stdout)")
        #expect(try await cli.run(["accounts", "list", "--limit", "10000"]).stdout.split(separator: "\n").count == rows)
        #expect(try await cli.run(["audit", "verify"]).status == 0)
    }

    @Test func onPostgresGoodRowsAreImportedOnceAndAChangedRowIsUpdated() async throws {
        guard let maintenance = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"] else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "GATEHOUSE_TEST_POSTGRES_URL must be set in CI")
            return
        }
        let name = "gh_import_\(UUID().uuidString.prefix(8).lowercased())"
        let created = try await CLI.runProcess("/usr/bin/env", ["psql", maintenance, "-qc", "CREATE DATABASE \(name)"])
        #expect(created.status == 0, "\(created.stderr)")
        defer { Task.detached { _ = try? await CLI.runProcess("/usr/bin/env", ["psql", maintenance, "-qc", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"]) } }
        var components = try #require(URLComponents(string: maintenance))
        components.path = "/" + name
        let onPostgres = ["GATEHOUSE_DATABASE": try #require(components.string)]

        let cli = try await cliWithUnits(onPostgres); defer { cli.cleanUp() }
        _ = try cli.write("accounts.csv", Self.mixed)
        let file = "accounts.csv"
        var r = try await cli.run(["accounts", "import", file], environment: onPostgres)
        #expect(r.status == 1)
        let rejected = r.stderr.split(separator: "\n").filter { $0.hasPrefix("accounts.csv:") }
        #expect(zip(rejected, Self.expectedRejections).allSatisfy { $0.hasPrefix($1) } && rejected.count == 8, "\(r.stderr)")
        #expect(summary(r.stdout) == ["created": 4, "updated": 0, "unchanged": 0, "rejected": 8], "\(r.stdout)")

        r = try await cli.run(["accounts", "import", file], environment: onPostgres)
        #expect(summary(r.stdout) == ["created": 0, "updated": 0, "unchanged": 4, "rejected": 8], "\(r.stdout)")

        let changed = Self.mixed.replacingOccurrences(of: "do.van.l,Đỗ Văn L,l@hue.example,/hue", with: "do.van.l,Đỗ Văn Long,l@hue.example,/ha-noi")
        r = try await cli.run(["accounts", "import", try cli.write("accounts.csv", changed)], environment: onPostgres)
        #expect(summary(r.stdout) == ["created": 0, "updated": 1, "unchanged": 3, "rejected": 8], "\(r.stdout)")
        let list = try await cli.run(["accounts", "list", "--unit", "/ha-noi"], environment: onPostgres).stdout
        #expect(list.contains("do.van.l") && list.contains("Đỗ Văn Long"), "\(list)")
        r = try await cli.run(["audit", "verify"], environment: onPostgres)
        #expect(r.stdout.contains("audit chain intact: 3 event(s)"), "\(r.stdout) \(r.stderr)")  // units, two imports that changed something
    }

    // MARK: - Helpers

    /// The figures of the summary table: `created 4` → ["created": 4].
    func summary(_ stdout: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for line in stdout.split(separator: "\n") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let label = line[..<space].trimmingCharacters(in: .whitespaces)
            guard ["created", "updated", "unchanged", "rejected", "would create", "would update"].contains(label),
                  let n = Int(line[line.index(after: space)...].replacingOccurrences(of: ",", with: "")) else { continue }
            out[label] = n
        }
        return out
    }

    /// The actions of every audit event, in sequence order.
    func exportedActions(_ cli: CLI, environment: [String: String] = [:]) async throws -> [String] {
        let r = try await cli.run(["audit", "export"], environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        return try r.stdout.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["action"] as? String)
        }
    }

    /// Reads `pipe` until a line containing `text` arrives (or the pipe closes), on a thread of its own.
    static func firstLine(of pipe: Pipe, containing text: String) async throws -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var buffer = Data()
                while true {
                    let chunk = pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { continuation.resume(returning: nil); return }
                    buffer.append(chunk)
                    if let line = String(decoding: buffer, as: UTF8.self).split(separator: "\n").first(where: { $0.contains(text) }) {
                        continuation.resume(returning: String(line))
                        return
                    }
                }
            }
        }
    }
}

/// A browser's password login through the running server, with curl: `GET /authorize` (PKCE,
/// RFC 7636 Appendix B's verifier and challenge), the login form posted with the CSRF cookie.
/// A right password answers a redirect (to the client or to consent); a wrong one the form again.
struct BrowserLogin {
    let cli: CLI
    let base: URL

    func logIn(clientID: String, redirectURI: String, username: String, password: String) async throws -> Bool {
        let jar = cli.directory.appendingPathComponent("cookies-\(UUID().uuidString)").path
        let root = base.absoluteString.hasSuffix("/") ? String(base.absoluteString.dropLast()) : base.absoluteString
        var query = URLComponents()
        query.queryItems = [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: clientID), .init(name: "redirect_uri", value: redirectURI),
            .init(name: "scope", value: "openid"), .init(name: "state", value: "s1"),
            .init(name: "code_challenge", value: "E9Melhoa2OwvFrEMTJguCHaoeK1zNLIQ3Cr5ofN7cCM"), .init(name: "code_challenge_method", value: "S256"),
        ]
        let page = try await CLI.runProcess("/usr/bin/env", ["curl", "-sSL", "-c", jar, "-b", jar, root + "/authorize" + (query.string ?? "")])
        #expect(page.status == 0, "\(page.stderr)")
        guard let form = page.stdout.range(of: "<form method=\"post\" action=\""),
              let end = page.stdout[form.upperBound...].firstIndex(of: "\"") else {
            Issue.record("no login form: \(page.stdout.prefix(500))")
            return false
        }
        let action = String(page.stdout[form.upperBound..<end]).replacingOccurrences(of: "&amp;", with: "&")
        var fields = ["username": username, "password": password]
        for name in ["csrf", "flow"] {
            guard let input = page.stdout.range(of: "name=\"\(name)\" value=\""),
                  let close = page.stdout[input.upperBound...].firstIndex(of: "\"") else { Issue.record("no \(name) field"); return false }
            fields[name] = String(page.stdout[input.upperBound..<close])
        }
        let target = action.hasPrefix("/") ? root + action : action
        let posted = try await CLI.runProcess("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-b", jar, "-c", jar]
            + fields.flatMap { ["--data-urlencode", "\($0.key)=\($0.value)"] } + [target])
        return posted.stdout == "302" || posted.stdout == "303"
    }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Suite struct AccountsCLITests {
    func cliWithUnits() async throws -> CLI {
        let cli = try CLI()
        let file = try cli.write("units.csv", "path,name\n/hue,Huế\n/hue/xa-1,Xã Tân Phước 1\n/ha-noi,Hà Nội\n")
        let r = try await cli.run(["units", "import", file])
        #expect(r.status == 0, "\(r.stderr)")
        return cli
    }

    @Test func addListAndDisable() async throws {
        let cli = try await cliWithUnits(); defer { cli.cleanUp() }
        var r = try await cli.run(["accounts", "add", "Tran.Thi.B", "--unit", "/hue/xa-1", "--name", "Trần Thị B", "--email", "b@hue.example",
                             "--password-stdin", "--grant", "clerk@/hue/xa-1"], stdin: "một câu mật khẩu rất dài\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("created tran.thi.b"))
        r = try await cli.run(["accounts", "add", "nguyen.van.a", "--unit", "/ha-noi"])
        #expect(r.status == 0, "\(r.stderr)")

        r = try await cli.run(["accounts", "list", "--unit", "/hue"])
        #expect(r.stdout.contains("tran.thi.b"))
        #expect(!r.stdout.contains("nguyen.van.a"))
        #expect(r.stdout.contains("Trần Thị B"))

        r = try await cli.run(["accounts", "disable", "TRAN.THI.B"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try await cli.run(["accounts", "list", "--unit", "/hue"])
        #expect(r.stdout.contains("disabled"))
        r = try await cli.run(["audit", "verify"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("audit chain intact: 4 event(s)"), "\(r.stdout)")  // import, 2 creates, disable
    }

    @Test func disablingAnAccountIsAnnouncedOnTheRevocationFeed() async throws {
        let cli = try await cliWithUnits(); defer { cli.cleanUp() }
        #expect(try await cli.run(["keys", "generate"]).status == 0)
        var r = try await cli.run(["accounts", "add", "vo.van.f", "--unit", "/hue"])
        #expect(r.status == 0, "\(r.stderr)")
        let created = try #require(r.stdout.split(separator: "(").last?.split(separator: ")").first, "\(r.stdout)")
        let subject = created.lowercased()
        r = try await cli.run(["clients", "add", "bang-tin", "--redirect-uri", "https://bangtin.example.vn/cb"])
        let secretLine = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("client secret") }, "\(r.stdout) \(r.stderr)")
        let secret = String(secretLine.split(separator: " ").last!)

        let (server, base, _) = try await ServeCLITests().start(cli)
        defer { kill(server.processIdentifier, SIGTERM) }
        r = try await cli.run(["accounts", "disable", "vo.van.f"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("disabled vo.van.f"), "\(r.stdout)")

        // The running server serves what the command wrote.
        var request = URLRequest(url: base.appendingPathComponent("revocations"))
        request.httpMethod = "POST"
        request.setValue("Basic " + Data("bang-tin:\(secret)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data("after=0".utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: data, as: UTF8.self))")
        let page = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let events = try #require(page["events"] as? [[String: Any]])
        #expect(events.count == 1, "\(events)")
        #expect(events.first?["kind"] as? String == "sub")
        #expect(events.first?["value"] as? String == subject)
        r = try await cli.run(["audit", "verify"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func usernamesAreUniqueWhateverTheirCase() async throws {
        let cli = try await cliWithUnits(); defer { cli.cleanUp() }
        #expect(try await cli.run(["accounts", "add", "le.van.c", "--unit", "/hue"]).status == 0)
        let r = try await cli.run(["accounts", "add", "LE.VAN.C", "--unit", "/hue"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains("already exists"))
    }

    @Test func weakPasswordsAreRefusedAndNothingIsWritten() async throws {
        let cli = try await cliWithUnits(); defer { cli.cleanUp() }
        for (password, reason) in [("short", "at least 12"), ("pham.van.d-secret-1", "username"), ("qwertyuiop123", "too common")] {
            let r = try await cli.run(["accounts", "add", "pham.van.d", "--unit", "/hue", "--password-stdin"], stdin: password + "\n")
            #expect(r.isOneLineFailure, "\(password): \(r.stderr)")
            #expect(r.stderr.contains(reason), "\(password): \(r.stderr)")
        }
        #expect(!(try await cli.run(["accounts", "list"]).stdout.contains("pham.van.d")))
    }

    @Test func grantsAreCheckedAgainstRolesAndLevels() async throws {
        let cli = try await cliWithUnits(); defer { cli.cleanUp() }
        var r = try await cli.run(["accounts", "add", "x1", "--unit", "/hue", "--grant", "emperor@/hue"])
        #expect(r.isOneLineFailure && r.stderr.contains("unknown role 'emperor'"), "\(r.stderr)")
        r = try await cli.run(["accounts", "add", "x2", "--unit", "/hue", "--grant", "province-admin@/hue/xa-1"])
        #expect(r.isOneLineFailure && r.stderr.contains("may not be granted at commune level"), "\(r.stderr)")
        r = try await cli.run(["accounts", "add", "x3", "--unit", "/hue", "--grant", "clerk@/da-nang"])
        #expect(r.isOneLineFailure && r.stderr.contains("unit /da-nang does not exist"), "\(r.stderr)")
        // The failed grant left no half-written account behind.
        #expect(!(try await cli.run(["accounts", "list"]).stdout.contains("x3")))
    }

    @Test func unknownUnitIsOneClearLine() async throws {
        let cli = try await cliWithUnits(); defer { cli.cleanUp() }
        let r = try await cli.run(["accounts", "add", "y", "--unit", "/nowhere"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains("unit /nowhere does not exist"))
    }
}

import Foundation
import Testing

@Suite struct ClientsCLITests {
    @Test func aConfidentialClientGetsAGeneratedSecretShownOnce() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        let r = try await cli.run(["clients", "add", "van-thu", "--redirect-uri", "https://vanthu.example.vn/callback",
                                   "--backchannel-logout-uri", "https://vanthu.example.vn/backchannel"])
        #expect(r.status == 0, "\(r.stderr)")
        let secretLine = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("client secret") })
        let secret = String(secretLine.split(separator: " ").last!)
        #expect(secret.count >= 43)
        // The secret is stored only as a keyed hash, never in the clear.
        let db = try Data(contentsOf: cli.directory.appendingPathComponent("gatehouse.sqlite"))
        #expect(db.range(of: Data(secret.utf8)) == nil)
        let list = try await cli.run(["clients", "list"])
        #expect(list.stdout.contains("van-thu"))
        #expect(!list.stdout.contains(secret))
        // The pepper was created beside the keys, private.
        let pepper = cli.directory.appendingPathComponent("Keys/client-secret.pepper").path
        let mode = try FileManager.default.attributesOfItem(atPath: pepper)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func redirectURIsMustBeSafe() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        for uri in ["http://vanthu.example.vn/cb", "https://vanthu.example.vn/cb#frag", "vanthu/cb", "javascript:alert(1)"] {
            let r = try await cli.run(["clients", "add", "x", "--redirect-uri", uri])
            #expect(r.isOneLineFailure, "\(uri): \(r.stderr)")
        }
        let r = try await cli.run(["clients", "add", "x"])
        #expect(r.isOneLineFailure && r.stderr.contains("needs at least one --redirect-uri"), "\(r.stderr)")
        #expect(try await cli.run(["clients", "list"]).stdout.isEmpty)
    }

    @Test func publicAndServiceClients() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        var r = try await cli.run(["clients", "add", "spa", "--public", "--redirect-uri", "http://127.0.0.1:3000/cb"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("client secret"))
        r = try await cli.run(["clients", "add", "batch", "--grant-type", "client_credentials", "--secret-stdin"],
                              stdin: String(repeating: "s", count: 40) + "\n")
        #expect(r.status == 0, "\(r.stderr)")
        r = try await cli.run(["clients", "add", "bad", "--public", "--grant-type", "client_credentials"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        r = try await cli.run(["clients", "add", "short", "--grant-type", "client_credentials", "--secret-stdin"], stdin: "tooshort\n")
        #expect(r.isOneLineFailure && r.stderr.contains("at least 32"), "\(r.stderr)")
        r = try await cli.run(["clients", "add", "spa", "--public", "--redirect-uri", "http://127.0.0.1:3000/cb"])
        #expect(r.isOneLineFailure && r.stderr.contains("already exists"), "\(r.stderr)")
    }

    @Test func serveSynchronisesClientsYAML() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        #expect(try await cli.run(["keys", "generate"]).status == 0)
        try cli.declareCongVanClient()
        // Without the secret in the environment, start-up stops with one line naming the client.
        let r = try await cli.run(["serve", "--port", "0"])
        #expect(r.isOneLineFailure && r.stderr.contains("cong-van"), "\(r.stderr)")
        #expect(!(try await cli.run(["clients", "list"]).stdout.contains("cong-van")))
    }

    @Test func aClientCanBeOwnedByAUnit() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        #expect(try await cli.run(["units", "add", "/ha-noi", "--name", "Hà Nội", "--level", "province"]).status == 0)
        var r = try await cli.run(["clients", "add", "van-thu", "--unit", "/ha-noi", "--redirect-uri", "https://vanthu.example.vn/callback"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("registered client van-thu at /ha-noi"), "\(r.stdout)")
        r = try await cli.run(["clients", "add", "spa", "--public", "--redirect-uri", "http://127.0.0.1:3000/cb"])
        #expect(r.status == 0, "\(r.stderr)")

        r = try await cli.run(["clients", "add", "bao-cao", "--unit", "/hue", "--redirect-uri", "https://baocao.example.vn/cb"])
        #expect(r.isOneLineFailure && r.stderr.contains("client 'bao-cao': unit /hue does not exist; import or create it first"), "\(r.stderr)")
        r = try await cli.run(["clients", "add", "bao-cao", "--unit", "Ha Noi", "--redirect-uri", "https://baocao.example.vn/cb"])
        #expect(r.isOneLineFailure && r.stderr.contains("Ha Noi"), "\(r.stderr)")

        let list = try await cli.run(["clients", "list"]).stdout.split(separator: "\n")
        #expect(list.count == 2, "\(list)")
        let columns = list.map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(columns.first { $0.first == "spa" }?[2] == "/", "\(list)")
        #expect(columns.first { $0.first == "van-thu" }?[2] == "/ha-noi", "\(list)")

        // The creation is audited at the owning unit, with the unit in its detail.
        let export = try await cli.run(["audit", "export", "--unit", "/ha-noi"])
        let events = export.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let created = try #require(events.first { $0["action"] as? String == "client.create" }, "\(export.stdout)")
        #expect(created["target"] as? String == "van-thu")
        #expect((created["detail"] as? [String: Any])?["unit"] as? String == "/ha-noi", "\(created)")
    }

    @Test func serveResolvesTheUnitOfAClientInClientsYAML() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        #expect(try await cli.run(["keys", "generate"]).status == 0)
        try cli.declareCongVanClient()
        let file = cli.directory.appendingPathComponent("Policies/clients.yaml")
        try (try String(contentsOf: file, encoding: .utf8) + "\n    unit: /ha-noi\n").write(to: file, atomically: true, encoding: .utf8)
        let secret = ["CONG_VAN_SECRET": String(repeating: "c", count: 40)]

        // The unit does not exist yet: start-up stops with one line naming the file, client and unit.
        let r = try await cli.run(["serve", "--port", "0"], environment: secret)
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains("/Policies/clients.yaml: client 'cong-van': unit /ha-noi does not exist; import or create it first"), "\(r.stderr)")
        #expect(try await cli.run(["clients", "list"]).stdout.isEmpty)

        #expect(try await cli.run(["units", "add", "/ha-noi", "--name", "Hà Nội", "--level", "province"]).status == 0)
        // serve synchronises clients.yaml before it listens.
        let (server, _, _) = try await ServeCLITests().start(cli, environment: secret)
        server.terminate()
        server.waitUntilExit()
        let list = try await cli.run(["clients", "list"]).stdout
        let row = try #require(list.split(separator: "\n").first { $0.hasPrefix("cong-van ") }, "\(list)")
        #expect(row.split(separator: " ", omittingEmptySubsequences: true)[2] == "/ha-noi", "\(row)")
        #expect(row.contains("clients.yaml"))
    }
}

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
}

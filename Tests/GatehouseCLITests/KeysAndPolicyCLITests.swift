import Foundation
import Testing

@Suite struct KeysAndPolicyCLITests {
    @Test func generateWithoutAlgCreatesTheTwoKeysTheTokenPolicyNeeds() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        var r = try await cli.run(["keys", "generate"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("generated RS256 key"))
        #expect(r.stdout.contains("generated ES256 key"))
        r = try await cli.run(["keys", "generate", "--if-missing"])
        #expect(r.stdout.contains("nothing generated"))
        r = try await cli.run(["keys", "list"])
        #expect(r.stdout.split(separator: "\n").count == 2)
        #expect(r.stdout.contains("signing"))
        // Private keys are written 0600.
        let keys = cli.directory.appendingPathComponent("Keys")
        for file in try FileManager.default.contentsOfDirectory(atPath: keys.path) where file.hasSuffix(".pem") {
            let mode = try FileManager.default.attributesOfItem(atPath: keys.appendingPathComponent(file).path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test func aRotatedKeyIsPublishedButPendingUntilItsActivation() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        #expect(try await cli.run(["keys", "generate", "--alg", "ES256"]).status == 0)
        let r = try await cli.run(["keys", "generate", "--alg", "ES256"])
        #expect(r.stdout.contains("signs from"), "\(r.stdout)")
        #expect(try await cli.run(["keys", "list"]).stdout.contains("pending"))
    }

    @Test func aWorldReadableKeyStopsStartUpNamingTheFile() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        #expect(try await cli.run(["keys", "generate"]).status == 0)
        let keys = cli.directory.appendingPathComponent("Keys")
        let pem = try #require(try FileManager.default.contentsOfDirectory(atPath: keys.path).first { $0.hasSuffix(".pem") })
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keys.appendingPathComponent(pem).path)
        let r = try await cli.run(["serve", "--port", "0"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains(pem))
        #expect(r.stderr.contains("chmod 600"))
    }

    @Test func aMalformedKeyFileStopsStartUpNamingTheFile() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        #expect(try await cli.run(["keys", "generate"]).status == 0)
        let keys = cli.directory.appendingPathComponent("Keys")
        let pem = try #require(try FileManager.default.contentsOfDirectory(atPath: keys.path).first { $0.hasSuffix(".pem") })
        try "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n".write(to: keys.appendingPathComponent(pem), atomically: false, encoding: .utf8)
        let r = try await cli.run(["serve", "--port", "0"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains(pem))
    }

    @Test func serveWithoutKeysSaysHowToMakeThem() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        let r = try await cli.run(["serve", "--port", "0"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains("gatehouse keys generate"))
    }

    @Test func policyCheckPassesOnTheShippedFiles() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        let r = try await cli.run(["policy", "check"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ok"))
    }

    @Test func aBadPolicyFileGivesFileLineErrorsAndStopsStartUp() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        let roles = cli.directory.appendingPathComponent("Policies/roles.yaml")
        var text = try String(contentsOf: roles, encoding: .utf8)
        text += "\n  - name: broken\n    permisions: [documents.read]\n"
        try text.write(to: roles, atomically: true, encoding: .utf8)
        var r = try await cli.run(["policy", "check"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("roles.yaml:"), "\(r.stderr)")
        #expect(r.stderr.contains("permisions"))
        #expect(try await cli.run(["keys", "generate"]).status != 0)
        r = try await cli.run(["serve", "--port", "0"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("roles.yaml:"))
    }
}

@Suite struct PolicyExplainCLITests {
    @Test func explainsAllowedAndDeniedDecisionsWithTheGrant() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        let units = try cli.write("units.csv", "path,name\n/ha-noi,Hà Nội\n/ha-noi/xa-1,Xã 1\n/hue,Huế\n")
        #expect(try await cli.run(["units", "import", units]).status == 0)
        #expect(try await cli.run(["accounts", "add", "admin.hn", "--unit", "/ha-noi", "--grant", "province-admin@/ha-noi"]).status == 0)

        var r = try await cli.run(["policy", "explain", "--account", "admin.hn", "--action", "accounts.create", "--unit", "/ha-noi/xa-1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("allowed by grant province-admin@/ha-noi"))

        // A provincial admin of Hà Nội cannot touch Huế.
        r = try await cli.run(["policy", "explain", "--account", "admin.hn", "--action", "accounts.create", "--unit", "/hue"])
        #expect(r.status == 3)
        #expect(r.stdout.contains("denied: no role is granted at /hue"))

        // Nor grant a role above their own.
        r = try await cli.run(["policy", "explain", "--account", "admin.hn", "--action", "grant:central-admin", "--unit", "/ha-noi"])
        #expect(r.status == 3)
        #expect(r.stdout.contains("denied"))

        r = try await cli.run(["policy", "explain", "--account", "nobody", "--action", "accounts.create", "--unit", "/hue"])
        #expect(r.isOneLineFailure && r.stderr.contains("not found"), "\(r.stderr)")
    }
}

import Foundation
import GatehouseCore
import GatehousePolicy
import Testing

@Suite struct ClientPolicyTests {
    static func client(_ extra: String, type: String = "confidential") -> String {
        """
        clients:
          - id: van-ban
            type: \(type)
            redirect_uris: [https://vanban.example.gov.vn/cb]
            grant_types: [authorization_code, refresh_token]
        \(extra)
        """
    }

    @Test func aValidClientConvertsToCore() throws {
        let set = try PolicySet.parse(["clients.yaml": Self.client("    secret_file: /run/secrets/van-ban\n    scopes: [openid, roles]")])
        let declared = try #require(set.clients.first)
        #expect(declared.secret == .file("/run/secrets/van-ban"))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let client = declared.client(secretHash: "hash", jwks: nil, createdAt: now)
        #expect(client.id == "van-ban" && client.name == "van-ban")
        #expect(client.authMethod == .clientSecretBasic && !client.isPublic && client.fromPolicy)
        #expect(client.grantTypes == [.authorizationCode, .refreshToken])
        #expect(client.scopes == ["openid", "roles"])
        #expect(client.redirectURIs == ["https://vanban.example.gov.vn/cb"])
    }

    @Test func anOwningUnitIsReadAsAUnitPath() throws {
        let set = try PolicySet.parse(["clients.yaml": Self.client("    secret_file: /run/secrets/van-ban\n    unit: /ha-noi/phuong-ba-dinh")])
        let declared = try #require(set.clients.first)
        #expect(declared.unit == (try UnitPath("/ha-noi/phuong-ba-dinh")))
        let unitID = UUID()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(declared.client(secretHash: "hash", jwks: nil, unitID: unitID, createdAt: now).unitID == unitID)

        let platform = try PolicySet.parse(["clients.yaml": Self.client("    secret_file: /run/secrets/van-ban")])
        #expect(try #require(platform.clients.first).unit == nil)
        #expect(try #require(platform.clients.first).client(secretHash: "hash", jwks: nil, createdAt: now).unitID == nil)
    }

    @Test func aBadOwningUnitIsReportedWhereItIs() {
        let found = issues(["clients.yaml": Self.client("    secret_file: /run/secrets/van-ban\n    unit: /Ha-Noi/")])
        #expect(found.count == 1)
        #expect(found.first?.file == "Policies/clients.yaml" && found.first?.line == 7 && found.first?.column == 11)
        #expect(found.first?.message.hasPrefix("client 'van-ban': unit: invalid unit path '/Ha-Noi/'") == true, "\(found)")

        let notText = issues(["clients.yaml": Self.client("    secret_file: /run/secrets/van-ban\n    unit: [/ha-noi]")])
        #expect(notText.map(\.message) == ["client 'van-ban': 'unit' must be a text value, found a list"], "\(notText)")
        let misspelt = issues(["clients.yaml": Self.client("    secret_file: /run/secrets/van-ban\n    units: /ha-noi")])
        #expect(misspelt.count == 1 && misspelt[0].message.contains("unknown key 'units' (did you mean 'unit'?)"), "\(misspelt)")
    }

    @Test func inlineSecretsAreRefused() {
        let found = issues(["clients.yaml": Self.client("    secret: hunter2-very-secret")])
        #expect(found.count == 1)
        #expect(found[0].line == 6 && found[0].column == 5)
        #expect(found[0].message.contains("an inline secret is not allowed"))
        #expect(!found[0].message.contains("hunter2"))
    }

    @Test func redirectURIRules() {
        let text = """
            clients:
              - id: spa
                type: public
                redirect_uris:
                  - http://app.example.gov.vn/cb
                  - https://app.example.gov.vn/cb#frag
                  - /relative
                  - http://localhost:5173/cb
                  - http://127.0.0.1:8080/cb
                  - com.example.app:/cb
                grant_types: [authorization_code, client_credentials, implicit]
            """
        let found = issues(["clients.yaml": text])
        #expect(found.map(\.line) == [5, 6, 7, 10, 11, 11])
        #expect(found[0].message.contains("http is allowed only on localhost"))
        #expect(found[1].message.contains("fragment"))
        #expect(found[4].message.contains("unknown grant type 'implicit'"))
        #expect(found[5].message.contains("a public client cannot use client_credentials"))
    }

    @Test func publicAndConfidentialCombinations() {
        #expect(issues(["clients.yaml": Self.client("")]).map(\.message) == ["client 'van-ban': client_secret_basic needs secret_env or secret_file"])
        #expect(issues(["clients.yaml": Self.client("    secret_env: X", type: "public")]).map(\.message) == ["client 'van-ban': a public client has no secret"])
        #expect(issues(["clients.yaml": Self.client("    token_endpoint_auth_method: private_key_jwt")]).map(\.message) == ["client 'van-ban': private_key_jwt needs jwks_file"])
        #expect(issues(["clients.yaml": Self.client("    secret_env: 1BAD")]).count == 1)
        #expect(issues(["clients.yaml": Self.client("    secret_env: A\n    secret_file: /b")]).count == 1)
    }

    @Test func secretSources() throws {
        #expect(try SecretSource.environment("GH_TEST_SECRET").read(environment: ["GH_TEST_SECRET": "s3"]) == "s3")
        #expect(throws: SecretSourceError.missing("environment variable GH_TEST_SECRET")) {
            try SecretSource.environment("GH_TEST_SECRET").read(environment: [:])
        }
        let path = NSTemporaryDirectory() + UUID().uuidString
        try "file-secret\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try SecretSource.file(path).read() == "file-secret")
    }
}

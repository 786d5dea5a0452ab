import Foundation
import GatehousePolicy
import Testing

@Suite struct PolicyErrorTests {
    static let roles = """
        roles:
          - name: official
            permissions: [documents.read]
            levels: [central, province, commune]
          - name: clerk
            description: Drafts and files documents
            permissions:
              - documents.read
              - documents.write
            mfa: optional
            levels:
              - province
              - commune
              - district
        """

    @Test func unknownLevelPointsAtTheValue() {
        let found = issues(["roles.yaml": Self.roles])
        #expect(found.map(\.description) == [
            "Policies/roles.yaml:14:9: role 'clerk': unknown level 'district' (expected central, province, commune)",
        ])
    }

    @Test func unknownKeyIsAnErrorWithASuggestion() throws {
        let text = Self.roles.replacingOccurrences(of: "    mfa: optional", with: "    mfa: optional\n    permisions: [audit.read]")
        let found = issues(["roles.yaml": text])
        let typo = try #require(found.first { $0.message.contains("permisions") })
        #expect(typo.line == 11 && typo.column == 5)
        #expect(typo.message.hasPrefix("role 'clerk': unknown key 'permisions' (did you mean 'permissions'?)"))
    }

    @Test func duplicateRolesAndBadPermissionsAreErrors() {
        let text = """
            roles:
              - name: clerk
                permissions: [documents.read]
                levels: [commune]
              - name: clerk
                permissions: [documents, Documents.Read, documents.read.all]
                levels: [commune]
            """
        let found = issues(["roles.yaml": text])
        #expect(found.count == 3)
        #expect(found.allSatisfy { $0.line == 6 })
        #expect(found.map(\.column) == [19, 30, 46])
        #expect(found[0].message == "role 'clerk': permission 'documents' must look like area.action (lowercase letters, digits, '_'), e.g. accounts.create")
        let dup = issues(["roles.yaml": text.replacingOccurrences(of: "[documents, Documents.Read, documents.read.all]", with: "[documents.write]")])
        #expect(dup.map(\.description) == ["Policies/roles.yaml:5:5: role 'clerk': declared twice (first on line 2)"])
    }

    @Test func missingRequiredKeysAndWrongTypes() {
        let text = """
            roles:
              - name: auditor
                permissions: audit.read
              - description: no name
                permissions: [audit.read]
                levels: [central]
            """
        let found = issues(["roles.yaml": text]).map(\.description)
        #expect(found == [
            "Policies/roles.yaml:3:18: role 'auditor': 'permissions' must be a list, found 'audit.read'",
            "Policies/roles.yaml:2:5: role 'auditor': missing required key 'levels'",
            "Policies/roles.yaml:4:5: role: missing required key 'name'",
        ])
    }

    @Test func tokenLifetimesAreCheckedWithTheirPositions() {
        let text = """
            access_token:
              lifetime: 5 minutes
              signing_alg: HS256
            authorization_code:
              lifetime: 30m
            keys:
              activation_delay: 5m
              jwks_max_age: 1h
            clock_skew: 60s
            """
        let found = issues(["tokens.yaml": text]).map(\.description)
        #expect(found == [
            "Policies/tokens.yaml:2:13: access_token: 'lifetime' is '5 minutes'; expected a duration such as 90s, 5m, 8h or 30d",
            "Policies/tokens.yaml:3:16: access_token: 'signing_alg' is 'HS256'; expected ES256, RS256, PS256, EdDSA",
            "Policies/tokens.yaml:5:13: authorization_code: 'lifetime' is 30m; expected 10s…10m",
            "Policies/tokens.yaml:7:21: keys: activation_delay (5m) is shorter than jwks_max_age (1h): applications with a cached JWKS would meet tokens signed by a key they have not seen",
        ])
    }

    @Test func passwordPolicyRanges() {
        let text = """
            argon2id:
              memory_kib: 1024
              iterations: 2
            min_length: 4
            max_length: 64
            expiry_days: never
            common_passwords_file: missing.txt
            """
        let found = issues(["password.yaml": text]).map { "\($0.line):\($0.column)" }
        #expect(found == ["2:15", "4:13", "5:13", "6:14", "7:24"])
    }

    @Test func yamlSyntaxErrorsAreLocated() throws {
        let found = issues(["tokens.yaml": "access_token:\n  lifetime: [5m\nclock_skew: 60s\n"])
        let issue = try #require(found.first)
        #expect(found.count == 1)
        #expect(issue.file == "Policies/tokens.yaml")
        #expect(issue.line == 3)
        #expect(issue.message.hasPrefix("YAML syntax error"))
        let dup = try #require(issues(["tokens.yaml": "clock_skew: 60s\nclock_skew: 30s\n"]).first)
        #expect(dup.message == "duplicate key 'clock_skew' in a mapping")
    }

    @Test func aPresentButEmptyFileIsAnError() {
        #expect(issues(["roles.yaml": "# nothing here\n"]).map(\.description) == [
            "Policies/roles.yaml:1:1: the file is empty; delete it to use the built-in defaults",
        ])
    }

    @Test func everyErrorInEveryFileIsReported() throws {
        let dir = try TempPolicies([
            "roles.yaml": Self.roles,
            "tokens.yaml": "access_token:\n  lifetime: 2h\nsso_sesion:\n  idle: 1h\n",
            "password.yaml": "min_length: 200\n",
            "clients.yaml": "clients: []\n",
            "ldap.yaml": "directories:\n  - name: x\n",
        ])
        defer { dir.cleanup() }
        let found = dir.issues()
        let files = found.map { ($0.file as NSString).lastPathComponent }
        // ldap.yaml: url, bind_dn, bind password and user_base missing; then one issue each elsewhere.
        #expect(files == ["ldap.yaml", "ldap.yaml", "ldap.yaml", "ldap.yaml", "password.yaml", "roles.yaml", "tokens.yaml", "tokens.yaml"])
        #expect(found.allSatisfy { $0.file.hasPrefix(dir.path + "/") })
        let text = PolicyError(issues: found).description
        #expect(text.split(separator: "\n").count == found.count)
        #expect(text.contains("sso_sesion' (did you mean 'sso_session'?)"))
    }
}

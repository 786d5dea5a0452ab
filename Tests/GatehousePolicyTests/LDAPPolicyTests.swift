import Foundation
import GatehouseCore
import GatehousePolicy
import Testing

@Suite struct LDAPPolicyTests {
    static func directory(_ body: String) -> String {
        """
        directories:
          - name: ha-noi
            url: ldaps://ldap.hanoi.example.gov.vn
            bind_dn: cn=gatehouse,dc=example
            user_base: ou=people,dc=example
        \(body)
        """
    }

    @Test func inlineBindPasswordIsRefused() throws {
        let found = issues(["ldap.yaml": Self.directory("    bind_password: Secret123")])
        let issue = try #require(found.first)
        #expect(found.count == 1)
        #expect(issue.description.hasPrefix("Policies/ldap.yaml:6:5: directory 'ha-noi': an inline bind_password is not allowed"))
        #expect(!issue.message.contains("Secret123"))
    }

    @Test func aCompleteDirectoryLoads() throws {
        let set = try PolicySet.parse(["ldap.yaml": Self.directory("""
                bind_password_file: /run/secrets/ldap
                verify_certificate: false
                attributes: {external_id: objectGUID}
                units:
                  - ou: "Phường Ba Đình"
                    unit: /ha-noi/phuong-ba-dinh
                group_base: ou=groups,dc=example
                groups:
                  - {group: "cn=admins,ou=groups,dc=example", role: province-admin, unit: /ha-noi}
                sync_interval: 5m
            """)])
        let d = try #require(set.ldap.directories.first)
        #expect(d.bindPassword == .file("/run/secrets/ldap"))
        #expect(!d.verifyCertificate && !d.startTLS)
        #expect(d.attributes == .init(externalID: "objectGUID"))
        #expect(d.unitRules == [.init(match: .organizationalUnit("Phường Ba Đình"), unit: try UnitPath("/ha-noi/phuong-ba-dinh"))])
        #expect(d.syncInterval == 300)
    }

    @Test func unitPathsRolesAndTransportAreChecked() throws {
        let text = """
            directories:
              - name: hue
                url: ldap://ldap.hue.example.gov.vn
                bind_dn: cn=gatehouse,dc=example
                bind_password_env: HUE_LDAP
                user_base: ou=people,dc=example
                user_filter: objectClass=person
                group_base: ou=groups,dc=example
                units:
                  - dn_suffix: ou=people,dc=example
                    unit: /Hue/phu-xuan
                groups:
                  - group: cn=x,dc=example
                    role: chief
                    unit: /hue
                  - group: cn=y,dc=example
                    role: commune-admin
                    unit: /hue
                sync_interval: 10s
            """
        let found = issues(["ldap.yaml": text])
        try #require(found.count == 6)
        #expect(found.map { "\($0.line):\($0.column)" } == ["3:10", "7:18", "11:15", "19:20", "14:15", "18:15"])
        #expect(found[0].message.contains("in clear"))
        #expect(found[2].message.contains("invalid unit path '/Hue/phu-xuan'"))
        #expect(found[4].message == "directory 'hue': groups: role 'chief' is not declared in roles.yaml")
        #expect(found[5].message == "directory 'hue': groups: role 'commune-admin' may be granted only at commune, not at province unit /hue")
    }

    @Test func startTLSMakesPlainLDAPAcceptable() throws {
        let text = Self.directory("    bind_password_env: P\n    start_tls: true").replacingOccurrences(of: "ldaps://", with: "ldap://")
        let set = try PolicySet.parse(["ldap.yaml": text])
        #expect(set.ldap.directories.first?.startTLS == true)
        #expect(issues(["ldap.yaml": Self.directory("    bind_password_env: P\n    start_tls: true")]).count == 1)
    }
}

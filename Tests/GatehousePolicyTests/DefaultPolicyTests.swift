import Foundation
import GatehouseCore
import GatehousePolicy
import Testing

@Suite struct DefaultPolicyTests {
    @Test func shippedFilesLoadAndMatchTheBuiltInDefaults() throws {
        let set = try PolicySet.load(directory: shippedPolicies)
        // The shipped folder adds the common-password list, which built-in defaults cannot carry.
        var password = set.password
        #expect(password.commonPasswordsFile == "common-passwords.txt")
        let common = try password.loadCommonPasswords()
        #expect(common.count > 19_000)
        #expect(common.contains("password"))
        password.commonPasswordsFile = nil
        password.commonPasswordsPath = nil
        #expect(password == PasswordPolicy.defaults)
        #expect(set.tokens == TokenPolicy.defaults)
        #expect(set.roles == RoleCatalogue.defaults)
        #expect(set.clients.isEmpty)
        #expect(set.ldap == LDAPPolicy.defaults)
    }

    @Test(arguments: PolicySet.fileNames) func eachShippedFileLoadsOnItsOwn(name: String) throws {
        let text = try String(contentsOfFile: shippedPolicies + "/" + name, encoding: .utf8)
        #expect(throws: Never.self) { try PolicySet.parse([name: text]) }
    }

    @Test func missingFilesMeanDefaults() throws {
        let dir = try TempPolicies([:])
        defer { dir.cleanup() }
        let set = try PolicySet.load(directory: dir.path)
        #expect(set.password == .defaults)
        #expect(set.tokens == .defaults)
        #expect(set.roles.map(\.name) == ["central-admin", "province-admin", "commune-admin", "auditor", "clerk", "official"])
    }

    @Test func missingFolderIsAnError() {
        #expect(throws: PolicyError.self) { try PolicySet.load(directory: "/nonexistent/gatehouse-policies") }
    }

    @Test func defaultsSuitTheAuthorizer() throws {
        let authz = Authorizer(roles: RoleCatalogue.defaults)
        let province = try UnitPath("/ha-noi"), commune = try UnitPath("/ha-noi/phuong-ba-dinh")
        let admin = [EffectiveGrant(role: "province-admin", unit: province)]
        #expect(authz.decide(.accountsCreate, at: commune, grants: admin).isAllowed)
        #expect(!authz.decide(.clientsManage, at: province, grants: admin).isAllowed)
        #expect(authz.mayGrant("clerk", at: commune, grants: admin).isAllowed)
        #expect(authz.mayGrant("official", at: province, grants: admin).isAllowed)
        #expect(!authz.mayGrant("central-admin", at: province, grants: admin).isAllowed)
        #expect(RoleCatalogue.defaults.filter { $0.permissions.contains(.rolesGrant) }.allSatisfy { $0.mfaRequired })
    }

    @Test func commentedExamplesAreValid() throws {
        let clients = try uncommentedExample("clients.yaml", emptyList: "clients: []")
        let ldap = try uncommentedExample("ldap.yaml", emptyList: "directories: []")
        let set = try PolicySet.parse(["clients.yaml": clients, "ldap.yaml": ldap])
        #expect(set.clients.map(\.id) == ["van-ban", "bao-cao-spa"])
        #expect(set.clients[0].secret == .environment("GATEHOUSE_CLIENT_VAN_BAN_SECRET"))
        #expect(set.clients[1].authMethod == .none)
        let dir = try #require(set.ldap.directories.first)
        #expect(dir.bindPassword == .environment("GATEHOUSE_LDAP_HA_NOI_PASSWORD"))
        #expect(dir.unitRules.count == 3)
        #expect(dir.unitRules[1].match == .organizationalUnit("Phường Hoàn Kiếm"))
        #expect(dir.groupRoles == [.init(group: "cn=van-thu,ou=groups,dc=hanoi,dc=example,dc=gov,dc=vn", role: "clerk", unit: try UnitPath("/ha-noi"))])
        #expect(dir.syncInterval == 900)
        #expect(!dir.cachedPasswordFallback)
    }
}

import Foundation
@testable import GatehouseLDAP
import Testing

@Suite("LDAPAuthenticator: bind-through login against slapd", .enabled(if: TestDirectory.enabled, TestDirectory.disabledReason))
struct LDAPAuthenticatorTests {
    /// An authenticator over the test directory that records the DN of every user bind.
    final class Harness: Sendable {
        let authenticator: LDAPAuthenticator
        let binds = Shared<[String]>([])

        init(url: String? = nil, base: String = TestDirectory.suffix, maximumConnections: Int = 2) throws {
            let configuration = try url.map { LDAPConfiguration(url: $0, networkTimeout: .seconds(2)) } ?? TestDirectory.configuration()
            let binds = self.binds
            authenticator = try LDAPAuthenticator(
                searchPool: LDAPConnectionPool(
                    configuration: configuration, credentials: TestDirectory.serviceAccount,
                    maximumConnections: maximumConnections),
                bindPool: LDAPConnectionPool(
                    configuration: configuration, credentials: nil, maximumConnections: maximumConnections),
                userSearch: LDAPUserSearch(baseDN: base, attributes: ["uid", "cn", "mail", "entryUUID"]),
                bindObserver: { dn in binds.update { $0.append(dn) } })
        }
    }

    @Test("the right password returns the user's entry")
    func success() async throws {
        let harness = try Harness()
        let entry = try await harness.authenticator.authenticate(username: "nguyen.van.an", password: TestDirectory.userPassword)
        #expect(try entry.distinguishedName == DistinguishedName("uid=nguyen.van.an,ou=central,dc=gatehouse,dc=test"))
        #expect(entry.string("cn") == "Nguyễn Văn An".precomposedStringWithCanonicalMapping)
        #expect(entry.string("mail") == "nguyen.van.an@gatehouse.test")
        #expect(entry.string("entryUUID") != nil)
        #expect(harness.binds.value == [entry.dn])
    }

    @Test("a UTF-8 password and a username in another case work")
    func utf8PasswordAndCase() async throws {
        let harness = try Harness()
        let entry = try await harness.authenticator.authenticate(username: "Tran.Thi.Binh", password: "Mật-khẩu-Bình-1")
        #expect(entry.string("uid") == "tran.thi.binh")
        await #expect(throws: LDAPAuthenticationError.invalidCredentials) {
            try await harness.authenticator.authenticate(
                username: "tran.thi.binh", password: "Mật-khẩu-Bình-1".decomposedStringWithCanonicalMapping)
        }
    }

    @Test("users whose DNs need escaping log in")
    func escapedDNs() async throws {
        let harness = try Harness()
        let chau = try await harness.authenticator.authenticate(username: "ngo.bao.chau", password: TestDirectory.userPassword)
        #expect(try chau.distinguishedName == DistinguishedName(##"cn=\#Ngô Bảo Châu\, PGS.,ou=hue,dc=gatehouse,dc=test"##))
        let ha = try await harness.authenticator.authenticate(username: "do.thi.ha", password: TestDirectory.userPassword)
        #expect(try ha.distinguishedName
            == DistinguishedName("cn=Đỗ Thị Hà+uid=do.thi.ha,ou=phuong-hoan-kiem,ou=ha-noi,dc=gatehouse,dc=test"))
    }

    @Test("a wrong password and an unknown user fail the same way")
    func failures() async throws {
        let harness = try Harness()
        await #expect(throws: LDAPAuthenticationError.invalidCredentials) {
            try await harness.authenticator.authenticate(username: "nguyen.van.an", password: "wrong-password")
        }
        #expect(harness.binds.value.count == 1)
        await #expect(throws: LDAPAuthenticationError.invalidCredentials) {
            try await harness.authenticator.authenticate(username: "no.such.user", password: TestDirectory.userPassword)
        }
        #expect(harness.binds.value.count == 1)  // no user bind for an unknown name
    }

    @Test("an empty password is refused without contacting the directory")
    func emptyPassword() async throws {
        // Pools pointed at a closed port: contacting the directory would give `unavailable`.
        let harness = try Harness(url: "ldap://127.0.0.1:\(try LoopbackPort.closed())")
        await #expect(throws: LDAPAuthenticationError.invalidCredentials) {
            try await harness.authenticator.authenticate(username: "nguyen.van.an", password: "")
        }
        await #expect(throws: LDAPAuthenticationError.invalidCredentials) {
            try await harness.authenticator.authenticate(username: "", password: "x")
        }
        await #expect(throws: LDAPAuthenticationError.invalidCredentials) {
            try await harness.authenticator.authenticate(
                username: String(repeating: "a", count: LDAPAuthenticator.maximumUsernameLength + 1), password: "x")
        }
        #expect(harness.binds.value.isEmpty)
        // And against the real directory, the entry exists but no bind is attempted.
        let real = try Harness()
        await #expect(throws: LDAPAuthenticationError.invalidCredentials) {
            try await real.authenticator.authenticate(username: "nguyen.van.an", password: "")
        }
        #expect(real.binds.value.isEmpty)
    }

    @Test("injection attempts as the username find nothing and never bind", arguments: [
        "*", "*)(uid=*", "admin)(|(uid=*", "nguyen.van.an)(|(uid=*", "*)(objectClass=*", "nguyen*",
        #"\"#, "nguyen.van.an\u{0}", "nguyen.van.an)", "(uid=nguyen.van.an)",
    ])
    func injection(username: String) async throws {
        let harness = try Harness()
        #expect(try await harness.authenticator.findUser(username) == nil)
        // Even with a password that is right for every fixture user.
        await #expect(throws: LDAPAuthenticationError.invalidCredentials) {
            try await harness.authenticator.authenticate(username: username, password: TestDirectory.userPassword)
        }
        #expect(harness.binds.value.isEmpty)
    }

    @Test("a directory that is down is `unavailable`, quickly, not invalidCredentials")
    func directoryDown() async throws {
        let port = try LoopbackPort.closed()
        let harness = try Harness(url: "ldap://127.0.0.1:\(port)")
        // How fast libldap gives up is measured in LDAPConnectionTests without any scheduling in
        // between; here the error must be "unreachable" (refused), not a timeout or a bad password.
        let error = await #expect(throws: LDAPAuthenticationError.self) {
            try await harness.authenticator.authenticate(username: "nguyen.van.an", password: TestDirectory.userPassword)
        }
        guard case .unavailable(let cause) = error else {
            Issue.record("expected unavailable, got \(String(describing: error))")
            return
        }
        #expect(cause.message == "directory ldap://127.0.0.1:\(port) is unreachable")
    }

    @Test("a username that matches two entries is refused, not guessed")
    func ambiguous() async throws {
        try await withScratchUnit { unit in
            let harness = try Harness(base: unit)
            let error = await #expect(throws: LDAPAuthenticationError.self) {
                try await harness.authenticator.authenticate(username: "twin", password: TestDirectory.userPassword)
            }
            #expect(error == .failed(LDAPError(.moreResultsToReturn)))
            #expect(harness.binds.value.isEmpty)
        }
    }

    @Test("many logins at once share a small pool")
    func concurrentLogins() async throws {
        let harness = try Harness(maximumConnections: 3)
        let users = ["nguyen.van.an", "le.hoang.cuong", "pham.minh.duc", "ngo.bao.chau", "do.thi.ha", "vu.thi.lan"]
        try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<60 {
                let user = users[index % users.count]
                let password = index % 5 == 0 ? "wrong" : TestDirectory.userPassword
                group.addTask {
                    do {
                        return try await harness.authenticator.authenticate(username: user, password: password).string("uid")
                    } catch LDAPAuthenticationError.invalidCredentials {
                        return password == "wrong" ? nil : "unexpected failure for \(user)"
                    }
                }
            }
            for try await result in group {
                if let result { #expect(users.contains(result)) }
            }
        }
    }

    @Test("configuration that could inject into the filter is refused")
    func badConfiguration() throws {
        let pool = LDAPConnectionPool(configuration: LDAPConfiguration(url: "ldap://127.0.0.1:1"), credentials: nil)
        #expect(throws: LDAPError(.paramError)) {
            try LDAPAuthenticator(searchPool: pool, bindPool: pool,
                                  userSearch: LDAPUserSearch(baseDN: "dc=test", usernameAttribute: "uid=*)(x"))
        }
        #expect(throws: LDAPError(.paramError)) {
            try LDAPAuthenticator(searchPool: pool, bindPool: pool,
                                  userSearch: LDAPUserSearch(baseDN: "dc=test", filter: "objectClass=person"))
        }
        #expect(LDAPUserSearch(baseDN: "dc=test").filter(for: "*)(uid=*")
            == #"(&(objectClass=inetOrgPerson)(uid=\2a\29\28uid=\2a))"#)
    }

    /// Two entries with uid=twin in a scratch OU, removed afterwards.
    private func withScratchUnit(_ body: (String) async throws -> Void) async throws {
        let admin = try TestDirectory.connection(as: TestDirectory.admin)
        let name = "twins-" + UUID().uuidString.lowercased().prefix(8)
        let unit = "ou=\(name),\(TestDirectory.suffix)"
        try admin.add(unit, attributes: [LDAPAttribute("objectClass", ["organizationalUnit"]), LDAPAttribute("ou", [name])])
        let twins = ["cn=Twin One,\(unit)", "cn=Twin Two,\(unit)"]
        for dn in twins {
            try admin.add(dn, attributes: [
                LDAPAttribute("objectClass", ["inetOrgPerson"]), LDAPAttribute("uid", ["twin"]),
                LDAPAttribute("cn", [String(dn.dropFirst(3).prefix(8))]), LDAPAttribute("sn", ["Twin"]),
                LDAPAttribute("userPassword", [TestDirectory.userPassword]),
            ])
        }
        do {
            try await body(unit)
        } catch {
            for dn in twins { try? admin.delete(dn) }
            try? admin.delete(unit)
            throw error
        }
        for dn in twins { try admin.delete(dn) }
        try admin.delete(unit)
    }
}

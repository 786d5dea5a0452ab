import Foundation
import GatehouseLDAP
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("LDAPConnection against slapd", .enabled(if: TestDirectory.enabled, TestDirectory.disabledReason))
struct LDAPConnectionTests {
    @Test("the service account binds and reads the tree")
    func serviceAccountBind() throws {
        let connection = try TestDirectory.connection(as: nil)
        #expect(connection.boundDN == nil)
        try connection.bind(TestDirectory.serviceAccount)
        #expect(connection.boundDN == TestDirectory.serviceAccount.dn)
        let units = try connection.search(LDAPSearchRequest(
            base: TestDirectory.suffix, filter: "(objectClass=organizationalUnit)", attributes: ["ou"]))
        let names = Set(units.flatMap { $0.strings("ou") })
        #expect(names.isSuperset(of: ["central", "ha-noi", "phuong-ba-dinh", "phuong-hoan-kiem", "hue"]))
    }

    @Test("a wrong password is invalidCredentials, and no message shows the password")
    func wrongPassword() throws {
        let connection = try TestDirectory.connection(as: nil)
        let password = "not-the-password-\(UUID().uuidString)"
        let error = try #require(throws: LDAPError.self) {
            try connection.bind(dn: TestDirectory.serviceAccount.dn, password: password)
        }
        #expect(error.code == .invalidCredentials)
        #expect(error.message == "invalid credentials")
        for text in [error.description, error.debugDescription, String(reflecting: error), "\(TestDirectory.serviceAccount)"] {
            #expect(!text.contains(password))
            #expect(!text.contains(TestDirectory.serviceAccount.password))
        }
        #expect(connection.boundDN == nil)
        #expect(!connection.isBroken)
    }

    @Test("an empty password is refused before anything is sent (RFC 4513 §5.1.2)")
    func emptyPassword() throws {
        let connection = try TestDirectory.connection(as: nil)
        let error = try #require(throws: LDAPError.self) {
            try connection.bind(dn: "uid=nguyen.van.an,ou=central,dc=gatehouse,dc=test", password: "")
        }
        #expect(error.code == .unwillingToPerform)
        #expect(error.message.contains("empty password"))
        #expect(error.diagnosticMessage == nil)  // nothing came from the server
        #expect(connection.boundDN == nil)
    }

    @Test("a Vietnamese name comes back intact, as NFC bytes")
    func vietnameseName() throws {
        let connection = try TestDirectory.connection()
        let entries = try connection.search(LDAPSearchRequest(
            base: TestDirectory.suffix, filter: "(uid=nguyen.van.an)", attributes: ["cn", "mail"]))
        let entry = try #require(entries.first)
        #expect(entries.count == 1)
        let expected = "Nguyễn Văn An".precomposedStringWithCanonicalMapping
        #expect(entry.values("cn") == [Array(expected.utf8)])
        #expect(entry.string("CN") == expected)
        #expect(entry.string("mail") == "nguyen.van.an@gatehouse.test")
        // An NFC filter value with diacritics finds it too.
        let byName = try connection.search(LDAPSearchRequest(
            base: TestDirectory.suffix, filter: "(cn=\(LDAPEscape.filterValue(expected)))", attributes: ["uid"]))
        #expect(byName.map { $0.string("uid") } == ["nguyen.van.an"])
    }

    @Test("a name stored as NFD comes back as NFD bytes and as an NFC string")
    func decomposedName() throws {
        let connection = try TestDirectory.connection()
        let nfc = "Vũ Thị Lan".precomposedStringWithCanonicalMapping
        let entries = try connection.search(LDAPSearchRequest(
            base: TestDirectory.suffix, filter: "(cn=\(LDAPEscape.filterValue(nfc)))", attributes: ["cn", "uid"]))
        let entry = try #require(entries.first)
        #expect(entry.string("uid") == "vu.thi.lan")
        #expect(entry.values("cn") == [Array(nfc.decomposedStringWithCanonicalMapping.utf8)])
        #expect(entry.string("cn") == nfc)
        #expect(Array(entry.string("cn")!.utf8) == Array(nfc.utf8))
    }

    @Test("DNs come back spelled differently and still compare equal")
    func dnSpelling() throws {
        let connection = try TestDirectory.connection()
        let written = try DistinguishedName(##"cn=\#Ngô Bảo Châu\, PGS.,ou=hue,dc=gatehouse,dc=test"##)
        let user = try #require(try connection.search(LDAPSearchRequest(
            base: TestDirectory.suffix, filter: "(uid=ngo.bao.chau)", attributes: ["cn"])).first)
        #expect(user.dn != written.description)  // slapd writes \23 and \2C
        #expect(try user.distinguishedName == written)
        #expect(user.string("cn") == "#Ngô Bảo Châu, PGS.")

        let group = try #require(try connection.search(LDAPSearchRequest(
            base: "ou=hue,dc=gatehouse,dc=test", filter: "(cn=clerks)", attributes: ["member"])).first)
        let members = try group.strings("member").map { value throws(LDAPError) in try DistinguishedName(value) }
        #expect(members.contains(written))
        #expect(members.contains(try DistinguishedName("UID=pham.minh.duc,OU=hue,DC=gatehouse,DC=test")))

        let multi = try #require(try connection.search(LDAPSearchRequest(
            base: TestDirectory.suffix, filter: "(uid=do.thi.ha)", attributes: ["1.1"])).first)
        #expect(try multi.distinguishedName
            == DistinguishedName("uid=do.thi.ha+cn=Đỗ Thị Hà,ou=phuong-hoan-kiem,ou=ha-noi,dc=gatehouse,dc=test"))
    }

    @Test("operational attributes are returned when asked for")
    func operationalAttributes() throws {
        let connection = try TestDirectory.connection()
        let entry = try #require(try connection.search(LDAPSearchRequest(
            base: "uid=pham.minh.duc,ou=hue,dc=gatehouse,dc=test", scope: .base, attributes: ["uid", "entryUUID"])).first)
        let uuid = try #require(entry.string("entryUUID"))
        #expect(UUID(uuidString: uuid) != nil)
        // The service account cannot read password hashes.
        let full = try #require(try connection.search(LDAPSearchRequest(
            base: "uid=pham.minh.duc,ou=hue,dc=gatehouse,dc=test", scope: .base)).first)
        #expect(full.attribute("userPassword") == nil)
    }

    @Test("a search beyond its size limit fails with sizeLimitExceeded")
    func sizeLimit() throws {
        let connection = try TestDirectory.connection()
        #expect(throws: LDAPError(.sizeLimitExceeded)) {
            try connection.search(LDAPSearchRequest(base: TestDirectory.suffix, filter: "(objectClass=*)", sizeLimit: 2))
        }
        #expect(throws: LDAPError(.filterError)) {
            try connection.search(LDAPSearchRequest(base: TestDirectory.suffix, filter: "(uid=a"))
        }
        #expect(!connection.isBroken)
    }

    @Test("a paged search streams more entries than one page (RFC 2696)")
    func pagedSearch() throws {
        try TestDirectory.withScratchUnit { unit, admin in
            for index in 0..<250 {
                try TestDirectory.addUser("paged.\(index)", name: "Người Dùng \(index)", in: unit, with: admin)
            }
            let connection = try TestDirectory.connection()
            let request = LDAPSearchRequest(base: unit, filter: "(objectClass=inetOrgPerson)", attributes: ["uid", "cn"])
            var pages: [Int] = []
            var uids = Set<String>()
            let total = try connection.pagedSearch(request, pageSize: 40) { page in
                pages.append(page.count)
                for entry in page { uids.insert(entry.string("uid") ?? "") }
                return .nextPage
            }
            #expect(total == 250)
            #expect(uids.count == 250)
            #expect(pages.count == 7)
            #expect(pages.allSatisfy { $0 <= 40 })

            // Stopping early releases the search; the connection goes on working.
            var seen = 0
            let partial = try connection.pagedSearch(request, pageSize: 100) { page in
                seen += page.count
                return .stop
            }
            #expect(partial == 100 && seen == 100)
            struct Abort: Error {}
            #expect(throws: Abort.self) {
                try connection.pagedSearch(request, pageSize: 10) { _ in throw Abort() }
            }
            #expect(try connection.search(LDAPSearchRequest(base: unit, scope: .base)).count == 1)
        }
    }

    @Test("a directory that is down is reported as unreachable, at once")
    func unreachable() throws {
        let port = try LoopbackPort.closed()
        let started = ContinuousClock.now
        let error = try #require(throws: LDAPError.self) {
            try LDAPConnection(configuration: LDAPConfiguration(url: "ldap://127.0.0.1:\(port)", networkTimeout: .seconds(2)))
        }
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(error.code == .serverDown)
        #expect(error.isUnavailable)
        #expect(error.message == "directory ldap://127.0.0.1:\(port) is unreachable")
    }

    @Test("a server that accepts but never answers times out within the operation timeout")
    func hungServer() throws {
        let silent = try LoopbackPort.silent()
        defer { close(silent.fd) }
        let started = ContinuousClock.now
        let connection = try LDAPConnection(configuration: LDAPConfiguration(
            url: "ldap://127.0.0.1:\(silent.port)", networkTimeout: .seconds(1), operationTimeout: .milliseconds(500)))
        let error = try #require(throws: LDAPError.self) { try connection.bind(TestDirectory.serviceAccount) }
        #expect(error.code == .timeout)
        #expect(error.isUnavailable)
        #expect(error.message.contains("did not answer within 0.5 s"))
        #expect(connection.isBroken)
        #expect(ContinuousClock.now - started < .seconds(3))
        let searchError = try #require(throws: LDAPError.self) {
            try LDAPConnection(configuration: LDAPConfiguration(
                url: "ldap://127.0.0.1:\(silent.port)", operationTimeout: .milliseconds(300)))
                .search(LDAPSearchRequest(base: TestDirectory.suffix))
        }
        #expect(searchError.code == .timeout)
    }

    @Test("a connection whose server went away reports it and is marked broken")
    func serverGone() throws {
        let url = try TestDirectory.requireURL()
        let relay = try TCPRelay(upstreamPort: try #require(URLComponents(string: url)?.port))
        defer { relay.stop() }
        let connection = try LDAPConnection(configuration: LDAPConfiguration(url: "ldap://127.0.0.1:\(relay.port)"))
        try connection.bind(TestDirectory.serviceAccount)
        relay.dropConnections()
        let error = try #require(throws: LDAPError.self) {
            try connection.search(LDAPSearchRequest(base: TestDirectory.suffix, scope: .base))
        }
        #expect(error.code == .serverDown)
        #expect(error.message == "directory ldap://127.0.0.1:\(relay.port) is unreachable")
        #expect(connection.isBroken)
    }

    @Test("StartTLS without checking the certificate encrypts and binds")
    func startTLSUnverified() throws {
        var configuration = try TestDirectory.configuration()
        configuration.tls = .startTLS
        configuration.requireCertificate = false
        let connection = try LDAPConnection(configuration: configuration)
        try connection.bind(TestDirectory.serviceAccount)
    }

    @Test("StartTLS refuses a certificate from a CA it was not given")
    func startTLSUntrusted() throws {
        try Self.withUnrelatedCA { caFile in
            var configuration = try TestDirectory.configuration()
            configuration.tls = .startTLS
            configuration.caCertificateFile = caFile
            let error = try #require(throws: LDAPError.self) { try LDAPConnection(configuration: configuration) }
            #expect(error.code == .connectError)
            #expect(error.message.contains("StartTLS"))
        }
    }

    @Test("StartTLS verifies the server against the test CA",
        .enabled(if: TestDirectory.caFile != nil, "set GATEHOUSE_TEST_LDAP_CA_FILE to DIR/tls/ca.pem to run it"))
    func startTLSVerified() throws {
        var configuration = try TestDirectory.configuration()
        configuration.tls = .startTLS
        configuration.caCertificateFile = TestDirectory.caFile
        let connection = try LDAPConnection(configuration: configuration)
        try connection.bind(TestDirectory.serviceAccount)
        #expect(try connection.search(LDAPSearchRequest(base: TestDirectory.suffix, scope: .base)).count == 1)
    }

    /// Runs `body` with a CA certificate that did not sign the server's: one made here with
    /// openssl, removed afterwards.
    private static func withUnrelatedCA(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-ldap-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=Unrelated test CA", "-keyout", folder.appendingPathComponent("ca.key").path,
            "-out", folder.appendingPathComponent("ca.pem").path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("openssl could not make a CA certificate") }
        try body(folder.appendingPathComponent("ca.pem").path)
    }
}

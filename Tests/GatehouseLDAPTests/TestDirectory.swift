import Foundation
import GatehouseLDAP
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Where the LDAP tests find slapd: `GATEHOUSE_TEST_LDAP_URL`, the URL printed by
/// `scripts/test-slapd.sh start DIR`, loaded with Fixtures/base.ldif. Without it the tests
/// that need a server are disabled, except under CI (`CI` set), where they run and fail.
///
/// `GATEHOUSE_TEST_LDAP_CA_FILE` (optional) names the CA certificate of that server
/// (`DIR/tls/ca.pem`), for the StartTLS test that verifies the server's certificate.
enum TestDirectory {
    static let url: String? = environment("GATEHOUSE_TEST_LDAP_URL")
    static let caFile: String? = environment("GATEHOUSE_TEST_LDAP_CA_FILE")

    static let isCI: Bool = {
        guard let value = ProcessInfo.processInfo.environment["CI"] else { return false }
        return !["", "0", "false", "no"].contains(value.lowercased())
    }()

    /// Run the tests that need slapd: a server is configured, or CI requires them.
    static let enabled = url != nil || isCI

    static let disabledReason: Comment =
        "LDAP tests skipped: GATEHOUSE_TEST_LDAP_URL is not set (start a server with `scripts/test-slapd.sh start DIR` and export the URL it prints)"

    static func requireURL() throws -> String {
        guard let url else {
            throw TestFailure("GATEHOUSE_TEST_LDAP_URL must be set when CI is set: start a server with scripts/test-slapd.sh start DIR")
        }
        return url
    }

    static func configuration(operationTimeout: Duration = .seconds(10)) throws -> LDAPConfiguration {
        LDAPConfiguration(url: try requireURL(), networkTimeout: .seconds(3), operationTimeout: operationTimeout)
    }

    // The fixed test credentials (scripts/test-slapd.sh, Fixtures/base.ldif).
    static let suffix = "dc=gatehouse,dc=test"
    static let admin = LDAPCredentials(dn: "cn=admin,dc=gatehouse,dc=test", password: "gatehouse-admin-test-password")
    static let serviceAccount = LDAPCredentials(
        dn: "cn=gatehouse-sync,dc=gatehouse,dc=test", password: "gatehouse-sync-test-password")
    static let userPassword = "test-password-1"

    static func connection(as credentials: LDAPCredentials? = serviceAccount) throws -> LDAPConnection {
        let connection = try LDAPConnection(configuration: configuration())
        if let credentials { try connection.bind(credentials) }
        return connection
    }

    /// A fresh OU below the suffix, removed with everything in it after `body`.
    static func withScratchUnit<T>(_ body: (_ dn: String, _ admin: LDAPConnection) throws -> T) throws -> T {
        let admin = try connection(as: self.admin)
        let name = "scratch-" + UUID().uuidString.lowercased().prefix(8)
        let dn = "ou=\(name),\(suffix)"
        try admin.add(dn, attributes: [LDAPAttribute("objectClass", ["organizationalUnit"]), LDAPAttribute("ou", [name])])
        defer {
            if let children = try? admin.search(LDAPSearchRequest(base: dn, scope: .oneLevel, attributes: ["1.1"])) {
                for child in children { try? admin.delete(child.dn) }
            }
            try? admin.delete(dn)
        }
        return try body(dn, admin)
    }

    /// Adds an inetOrgPerson with the test password below `unit`.
    static func addUser(_ uid: String, name: String, in unit: String, with admin: LDAPConnection) throws {
        try admin.add("uid=\(LDAPEscape.dnValue(uid)),\(unit)", attributes: [
            LDAPAttribute("objectClass", ["inetOrgPerson"]),
            LDAPAttribute("uid", [uid]),
            LDAPAttribute("cn", [name]),
            LDAPAttribute("sn", [String(name.split(separator: " ").first ?? "x")]),
            LDAPAttribute("userPassword", [userPassword]),
        ])
    }

    private static func environment(_ name: String) -> String? {
        let value = ProcessInfo.processInfo.environment[name] ?? ""
        return value.isEmpty ? nil : value
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Loopback ports for failure tests.
enum LoopbackPort {
    /// A port nothing listens on (bound, read, and released at once).
    static func closed() throws -> Int {
        let fd = try listeningSocket(backlog: nil)
        defer { close(fd) }
        return try port(of: fd)
    }

    /// A socket that accepts connections in the kernel's backlog but never reads them: a hung
    /// server. Close the returned descriptor when done.
    static func silent() throws -> (fd: Int32, port: Int) {
        let fd = try listeningSocket(backlog: 16)
        return (fd, try port(of: fd))
    }

    static func listeningSocket(backlog: Int32?) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw TestFailure("bind() failed")
        }
        if let backlog, listen(fd, backlog) != 0 {
            close(fd)
            throw TestFailure("listen() failed")
        }
        return fd
    }

    static func port(of fd: Int32) throws -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { throw TestFailure("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

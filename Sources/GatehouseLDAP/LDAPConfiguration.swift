/// Where a directory is and how to talk to it: one value per directory, shared by every
/// connection and pool to it.
///
/// ```swift
/// var directory = LDAPConfiguration(url: "ldap://ldap.ha-noi.gov.vn")
/// directory.tls = .startTLS
/// directory.caCertificateFile = "/etc/gatehouse/ldap-ca.pem"
/// ```
public struct LDAPConfiguration: Sendable, Hashable {
    /// How the connection is protected.
    public enum TLSMode: Sendable, Hashable {
        /// Plain LDAP. Passwords cross the network in clear: only for loopback and tests.
        case none
        /// StartTLS (RFC 4511 §4.14, RFC 4513 §3) on an `ldap://` URL, before any bind.
        case startTLS
        /// TLS from the first byte: an `ldaps://` URL.
        case ldaps
    }

    /// The server's URL (RFC 4516 form, host and port only): `ldap://HOST[:PORT]` or
    /// `ldaps://HOST[:PORT]`.
    public var url: String
    /// How the connection is protected. `.ldaps` is chosen for an `ldaps://` URL.
    public var tls: TLSMode
    /// PEM file of the CA certificates that may sign the server's certificate. Nil: the
    /// system's default (`TLS_CACERT` in ldap.conf). Set on each connection, not globally.
    public var caCertificateFile: String?
    /// Whether the server's certificate must verify (`LDAP_OPT_X_TLS_DEMAND`). Turning this
    /// off (`LDAP_OPT_X_TLS_NEVER`) still encrypts but lets anyone in the middle read every
    /// password: only for tests.
    public var requireCertificate: Bool
    /// How long to wait for the TCP connection (`LDAP_OPT_NETWORK_TIMEOUT`).
    public var networkTimeout: Duration
    /// How long to wait for the answer to one operation (`LDAP_OPT_TIMEOUT`, and the time
    /// limit of each search unless the search sets its own).
    public var operationTimeout: Duration

    public init(
        url: String,
        tls: TLSMode? = nil,
        caCertificateFile: String? = nil,
        requireCertificate: Bool = true,
        networkTimeout: Duration = .seconds(5),
        operationTimeout: Duration = .seconds(10)
    ) {
        self.url = url
        self.tls = tls ?? (url.lowercased().hasPrefix("ldaps://") ? .ldaps : .none)
        self.caCertificateFile = caCertificateFile
        self.requireCertificate = requireCertificate
        self.networkTimeout = networkTimeout
        self.operationTimeout = operationTimeout
    }
}

/// A DN and its password, for a simple bind (RFC 4513 §5.1.3).
///
/// Its description never shows the password:
///
/// ```swift
/// let account = LDAPCredentials(dn: "cn=gatehouse-sync,dc=gatehouse,dc=test", password: secret)
/// print(account)  // LDAPCredentials(dn: cn=gatehouse-sync,dc=gatehouse,dc=test, password: <redacted>)
/// ```
public struct LDAPCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The DN to bind as.
    public var dn: String
    /// The password. Never logged or shown.
    public var password: String

    public init(dn: String, password: String) {
        self.dn = dn
        self.password = password
    }

    public var description: String { "LDAPCredentials(dn: \(dn), password: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["dn": dn, "password": "<redacted>"]) }
}

internal import CLDAP
internal import Foundation

/// One connection to a directory, over libldap. Every call blocks the calling thread until
/// the server answers or a timeout passes: from async code, go through `LDAPConnectionPool`,
/// which runs these calls on threads of its own.
///
/// ```swift
/// let connection = try LDAPConnection(configuration: LDAPConfiguration(url: url))
/// try connection.bind(dn: "cn=gatehouse-sync,dc=gatehouse,dc=test", password: secret)
/// let entries = try connection.search(LDAPSearchRequest(base: "ou=hue,dc=gatehouse,dc=test",
///                                                       filter: "(objectClass=inetOrgPerson)"))
/// ```
///
/// Creating one connects at once (and negotiates StartTLS when configured), so a directory
/// that is down is reported here, as `LDAPError` with code `serverDown` and the message
/// "directory URL is unreachable". Referrals are never chased: following one would repeat
/// the bind, with its password, at a server the configuration did not name.
///
/// Thread safety: the class is `@unchecked Sendable` because it serialises itself. Every use
/// of the libldap handle and of the mutable state below happens while `lock` is held, so
/// libldap never sees two calls on one handle at once. The lock is recursive so that a
/// paged-search callback may use the same connection.
public final class LDAPConnection: @unchecked Sendable {
    /// Where this connection goes.
    public let configuration: LDAPConfiguration

    /// The `LDAP *` handle; used only while `lock` is held, unbound in `deinit`.
    let handle: OpaquePointer
    let lock = NSRecursiveLock()
    /// The DN of the last successful bind; nil while anonymous. Guarded by `lock`.
    private var boundDNStorage: String?
    /// Set once an operation failed in a way that leaves the connection unusable. Guarded by `lock`.
    private var brokenStorage = false

    /// Opens a connection: sets protocol version 3, the timeouts and TLS options on this
    /// handle only, connects, and runs StartTLS when configured.
    public init(configuration: LDAPConfiguration) throws(LDAPError) {
        BrokenPipeSignal.ignored
        var raw: OpaquePointer?
        let rc = ldap_initialize(&raw, configuration.url)
        guard rc == LDAP_SUCCESS, let ld = raw else {
            throw LDAPError(.paramError, "invalid directory URL '\(configuration.url)'")
        }
        do {
            try Self.setOptions(ld, configuration)
            try Self.connect(ld, configuration)
        } catch {
            ldap_unbind_ext(ld, nil, nil)
            throw error
        }
        self.configuration = configuration
        self.handle = ld
    }

    deinit {
        ldap_unbind_ext(handle, nil, nil)
    }

    /// The DN this connection is bound as; nil while anonymous.
    public var boundDN: String? { lock.withLock { boundDNStorage } }

    /// Whether an operation failed in a way that leaves this connection unusable.
    public var isBroken: Bool { lock.withLock { brokenStorage } }

    /// A simple bind (RFC 4513 §5.1.3) as `dn` with `password`.
    ///
    /// An empty password is refused before anything is sent: RFC 4513 §5.1.2 makes a bind
    /// with a DN and an empty password an *unauthenticated* bind, which many servers accept
    /// without checking anything. The refusal has code `unwillingToPerform`, what the RFC
    /// tells servers to answer. A wrong password gives `invalidCredentials`. After a failed
    /// bind the connection is anonymous (RFC 4511 §4.2.1).
    public func bind(dn: String, password: String) throws(LDAPError) {
        guard !password.isEmpty else {
            throw LDAPError(
                .unwillingToPerform,
                "an empty password is refused: it would be an unauthenticated bind, which succeeds without checking anything (RFC 4513 §5.1.2)")
        }
        guard !dn.isEmpty else {
            throw LDAPError(.invalidDNSyntax, "a bind with a password needs a DN")
        }
        try simpleBind(dn: dn, password: Array(password.utf8))
    }

    /// A simple bind with `credentials`; see `bind(dn:password:)`.
    public func bind(_ credentials: LDAPCredentials) throws(LDAPError) {
        try bind(dn: credentials.dn, password: credentials.password)
    }

    /// An anonymous bind (RFC 4513 §5.1.1): empty name, empty password. Used to drop a
    /// user's identity from a pooled connection.
    func bindAnonymously() throws(LDAPError) {
        try simpleBind(dn: "", password: [])
    }

    private func simpleBind(dn: String, password: [UInt8]) throws(LDAPError) {
        lock.lock()
        defer { lock.unlock() }
        let rc = LDAPInterop.withBerval(password) { credential in
            ldap_sasl_bind_s(handle, dn, nil, &credential, nil, nil, nil)
        }
        guard rc == LDAP_SUCCESS else {
            boundDNStorage = nil
            throw failure(rc, "bind")
        }
        boundDNStorage = dn.isEmpty ? nil : dn
    }

    /// Whether the connection still looks usable, checked without a round trip: not broken,
    /// and the socket has neither been closed by the server nor received an unsolicited
    /// notice (RFC 4511 §4.4.1, sent before the server closes it).
    var isAlive: Bool {
        lock.lock()
        defer { lock.unlock() }
        if brokenStorage { return false }
        var fd: Int32 = -1
        guard ldap_get_option(handle, LDAP_OPT_DESC, &fd) == LDAP_OPT_SUCCESS, fd >= 0 else { return false }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, 0)
        if ready == 0 { return true }
        if ready < 0 || poller.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return false }
        // Readable while no request is outstanding: the end of the stream, or an unsolicited
        // notice. Under TLS it may also be a session ticket, which is harmless.
        var byte: UInt8 = 0
        let peeked = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        if peeked == 0 { return false }
        if peeked < 0 { return errno == EAGAIN || errno == EWOULDBLOCK }
        return configuration.tls != .none
    }

    /// The error for libldap result `rc` from `operation`, with a message for people; marks
    /// the connection broken when the error leaves it unusable. Call with `lock` held.
    func failure(_ rc: Int32, _ operation: String, diagnostic: String? = nil) -> LDAPError {
        let error = Self.error(rc, operation, configuration, diagnostic: diagnostic ?? LDAPInterop.diagnosticMessage(handle))
        if error.breaksConnection { brokenStorage = true }
        return error
    }

    static func error(
        _ rc: Int32, _ operation: String, _ configuration: LDAPConfiguration, diagnostic: String?
    ) -> LDAPError {
        let code = LDAPError.Code(rc)
        let directory = "directory \(configuration.url)"
        let message: String =
            switch code {
            case .serverDown, .connectError: "\(directory) is unreachable"
            case .timeout: "\(directory) did not answer within \(LDAPInterop.describe(configuration.operationTimeout))"
            case .invalidCredentials: "invalid credentials"
            case .busy, .unavailable: "\(directory) is unavailable (\(code))"
            default: "\(operation) at \(directory) failed: \(code)"
            }
        return LDAPError(code, message, diagnosticMessage: diagnostic)
    }
}

extension LDAPConnection {
    /// Per-handle options. TLS options are set on this handle, then `LDAP_OPT_X_TLS_NEWCTX`
    /// makes the handle's own TLS context from them (without it libldap would use the global
    /// context and ignore them).
    fileprivate static func setOptions(_ ld: OpaquePointer, _ configuration: LDAPConfiguration) throws(LDAPError) {
        func check(_ rc: Int32, _ what: String) throws(LDAPError) {
            guard rc == LDAP_OPT_SUCCESS else {
                throw LDAPError(.localError, "cannot set \(what) for directory \(configuration.url)")
            }
        }
        var version = Int32(LDAP_VERSION3)
        try check(ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version), "the protocol version")
        try check(ldap_set_option(ld, LDAP_OPT_REFERRALS, gh_LDAP_OPT_OFF()), "referral chasing")
        try check(ldap_set_option(ld, LDAP_OPT_RESTART, gh_LDAP_OPT_ON()), "restart on interrupt")
        var network = LDAPInterop.timeValue(configuration.networkTimeout)
        try check(ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &network), "the network timeout")
        var operation = LDAPInterop.timeValue(configuration.operationTimeout)
        try check(ldap_set_option(ld, LDAP_OPT_TIMEOUT, &operation), "the operation timeout")

        guard configuration.tls != .none else { return }
        if let file = configuration.caCertificateFile {
            try check(ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, file), "the CA certificate file")
        }
        var require = Int32(configuration.requireCertificate ? LDAP_OPT_X_TLS_DEMAND : LDAP_OPT_X_TLS_NEVER)
        try check(ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &require), "certificate checking")
        var minimum: Int32 = (3 << 8) + 3  // LDAP_OPT_X_TLS_PROTOCOL_TLS1_2, a macro Swift cannot import
        try check(ldap_set_option(ld, LDAP_OPT_X_TLS_PROTOCOL_MIN, &minimum), "the minimum TLS version")
        var isServer: Int32 = 0
        try check(ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &isServer), "a TLS context (is the CA file readable?)")
    }

    /// Connects now rather than at the first operation, then negotiates StartTLS (RFC 4511
    /// §4.14) when configured.
    fileprivate static func connect(_ ld: OpaquePointer, _ configuration: LDAPConfiguration) throws(LDAPError) {
        var rc = ldap_connect(ld)
        guard rc == LDAP_SUCCESS else {
            throw error(rc, "connect", configuration, diagnostic: LDAPInterop.diagnosticMessage(ld))
        }
        guard configuration.tls == .startTLS else { return }
        rc = ldap_start_tls_s(ld, nil, nil)
        guard rc == LDAP_SUCCESS else {
            let diagnostic = LDAPInterop.diagnosticMessage(ld)
            let code = LDAPError.Code(rc)
            let why = code == .connectError ? "the TLS handshake failed (is the server's certificate trusted?)" : "\(code)"
            throw LDAPError(code, "StartTLS with directory \(configuration.url) failed: \(why)", diagnosticMessage: diagnostic)
        }
    }
}

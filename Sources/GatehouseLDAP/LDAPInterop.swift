internal import CLDAP

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Small bridges between Swift values and libldap's C types.
enum LDAPInterop {
    /// The paged-results control's OID (RFC 2696 §2).
    static let pagedResultsOID = "1.2.840.113556.1.4.319"

    static func timeValue(_ duration: Duration) -> timeval {
        let (seconds, attoseconds) = duration.components
        var value = timeval()
        value.tv_sec = .init(max(seconds, 0))
        value.tv_usec = .init(max(attoseconds, 0) / 1_000_000_000_000)
        return value
    }

    /// "5 s", "0.25 s": a duration for messages.
    static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let millis = attoseconds / 1_000_000_000_000_000
        if millis == 0 { return "\(seconds) s" }
        var fraction = String(millis)
        while fraction.count < 3 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(seconds).\(fraction) s"
    }

    /// The server's (or libldap's) diagnostic message for the last operation on `ld`.
    static func diagnosticMessage(_ ld: OpaquePointer) -> String? {
        var message: UnsafeMutablePointer<CChar>?
        guard ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &message) == LDAP_OPT_SUCCESS, let message else {
            return nil
        }
        defer { ldap_memfree(message) }
        return String(cString: message)
    }

    /// Runs `body` with a NULL-terminated C array of copies of `strings` (nil for nil).
    static func withCStringArray<R>(
        _ strings: [String]?, _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> R
    ) -> R {
        guard let strings else { return body(nil) }
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress) }
    }

    /// Copies a berval's bytes.
    static func bytes(_ value: berval) -> [UInt8] {
        guard let base = value.bv_val, value.bv_len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: Int(value.bv_len)))
    }

    /// Runs `body` with a berval over a copy of `bytes`, which is wiped afterwards (for
    /// passwords: the copy does not outlive the call).
    static func withBerval<R>(_ bytes: [UInt8], _ body: (inout berval) -> R) -> R {
        var copy = bytes
        defer {
            copy.withUnsafeMutableBytes { buffer in
                if let base = buffer.baseAddress { _ = memset(base, 0, buffer.count) }
            }
        }
        return copy.withUnsafeMutableBufferPointer { buffer in
            var value = berval(
                bv_len: ber_len_t(buffer.count),
                bv_val: UnsafeMutableRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self))
            return body(&value)
        }
    }

    /// Reads every entry of a search result chain (RFC 4511 §4.5.2); references are skipped
    /// (referrals are not chased).
    static func entries(_ ld: OpaquePointer, _ result: OpaquePointer) -> [LDAPEntry] {
        var entries: [LDAPEntry] = []
        entries.reserveCapacity(Int(max(ldap_count_entries(ld, result), 0)))
        var message = ldap_first_entry(ld, result)
        while let entry = message {
            entries.append(self.entry(ld, entry))
            message = ldap_next_entry(ld, entry)
        }
        return entries
    }

    static func entry(_ ld: OpaquePointer, _ entry: OpaquePointer) -> LDAPEntry {
        var dn = ""
        if let raw = ldap_get_dn(ld, entry) {
            dn = String(cString: raw)
            ldap_memfree(raw)
        }
        var attributes: [LDAPAttribute] = []
        var ber: OpaquePointer?
        var name = ldap_first_attribute(ld, entry, &ber)
        while let current = name {
            var values: [[UInt8]] = []
            if let list = ldap_get_values_len(ld, entry, current) {
                var index = 0
                while let value = list[index] {
                    values.append(bytes(value.pointee))
                    index += 1
                }
                ldap_value_free_len(list)
            }
            attributes.append(LDAPAttribute(String(cString: current), values: values))
            ldap_memfree(current)
            name = ldap_next_attribute(ld, entry, ber)
        }
        if let ber { ber_free(ber, 0) }
        return LDAPEntry(dn: dn, attributes: attributes)
    }
}

/// libldap writes to its socket with write(2), so a write to a connection the server has
/// reset raises SIGPIPE, whose default action ends the process (an unbind on a connection
/// to a restarted server is enough). Before the first connection, SIGPIPE is set to be
/// ignored, unless the program has installed a handler of its own; the write then fails with
/// EPIPE and libldap reports the connection as down.
enum BrokenPipeSignal {
    static let ignored: Void = {
        var current = sigaction()
        guard sigaction(SIGPIPE, nil, &current) == 0 else { return }
        #if canImport(Glibc)
        let handler = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
        #else
        let handler = unsafeBitCast(current.__sigaction_u.__sa_handler, to: Int.self)
        #endif
        if handler == 0 {  // SIG_DFL
            _ = signal(SIGPIPE, SIG_IGN)
        }
    }()
}

internal import CLDAP

#if canImport(Glibc)
internal import Glibc
#endif

extension LDAPConnection {
    /// Runs `request` and returns every entry (RFC 4511 §4.5).
    ///
    /// A search that would return more than `request.sizeLimit` entries, or more than the
    /// server allows this account, fails with `sizeLimitExceeded`. For large results use
    /// `pagedSearch(_:pageSize:_:)`, which keeps only one page in memory.
    public func search(_ request: LDAPSearchRequest) throws(LDAPError) -> [LDAPEntry] {
        lock.lock()
        defer { lock.unlock() }
        var result: OpaquePointer?
        defer { if let result { ldap_msgfree(result) } }
        var timeout = LDAPInterop.timeValue(request.timeLimit ?? configuration.operationTimeout)
        let rc = LDAPInterop.withCStringArray(request.attributes) { attributes in
            ldap_search_ext_s(
                handle, request.base, request.scope.rawValue, request.filter, attributes, 0,
                nil, nil, &timeout, Int32(clamping: request.sizeLimit), &result)
        }
        guard rc == LDAP_SUCCESS, let result else {
            throw failure(rc == LDAP_SUCCESS ? LDAP_NO_RESULTS_RETURNED : rc, "search")
        }
        return LDAPInterop.entries(handle, result)
    }

    /// Runs `request` with the simple paged results control (RFC 2696) and hands each page
    /// to `body` as it arrives, so memory holds one page at a time. Returns the number of
    /// entries handed over.
    ///
    /// ```swift
    /// let count = try connection.pagedSearch(request, pageSize: 500) { page in
    ///     for entry in page { try store.upsert(entry) }
    ///     return .nextPage
    /// }
    /// ```
    ///
    /// The control is marked critical: a server that cannot page fails the search instead
    /// of sending everything at once. When `body` returns `.stop` or throws, the server is
    /// told to release the rest (a request of size zero with the cookie, RFC 2696 §3). Throws
    /// `LDAPError`, or what `body` throws. Do not combine with the content-sync control
    /// (RFC 4533): slapd then ends after the first page as if complete.
    @discardableResult
    public func pagedSearch(
        _ request: LDAPSearchRequest, pageSize: Int, _ body: ([LDAPEntry]) throws -> LDAPPageDecision
    ) throws -> Int {
        guard pageSize > 0 else { throw LDAPError(.paramError, "the page size must be positive") }
        lock.lock()
        defer { lock.unlock() }
        var cookie: [UInt8] = []
        var total = 0
        repeat {
            let page = try fetchPage(request, pageSize: Int32(clamping: pageSize), cookie: cookie)
            cookie = page.cookie
            total += page.entries.count
            let decision: LDAPPageDecision
            do {
                decision = try body(page.entries)
            } catch {
                if !cookie.isEmpty { releasePagedSearch(request, cookie: cookie) }
                throw error
            }
            if decision == .stop {
                if !cookie.isEmpty { releasePagedSearch(request, cookie: cookie) }
                return total
            }
        } while !cookie.isEmpty
        return total
    }

    /// Tells the server to drop a paged search's state (RFC 2696 §3: page size zero).
    private func releasePagedSearch(_ request: LDAPSearchRequest, cookie: [UInt8]) {
        _ = try? fetchPage(request, pageSize: 0, cookie: cookie)
    }

    /// One page: the entries and the cookie for the next one (empty when done).
    private func fetchPage(
        _ request: LDAPSearchRequest, pageSize: Int32, cookie: [UInt8]
    ) throws(LDAPError) -> (entries: [LDAPEntry], cookie: [UInt8]) {
        var control: UnsafeMutablePointer<LDAPControl>?
        let created = LDAPInterop.withBerval(cookie) { value in
            ldap_create_page_control(handle, pageSize, &value, 1, &control)
        }
        guard created == LDAP_SUCCESS, let control else { throw failure(created, "paged search") }
        defer { ldap_control_free(control) }

        var result: OpaquePointer?
        defer { if let result { ldap_msgfree(result) } }
        var timeout = LDAPInterop.timeValue(request.timeLimit ?? configuration.operationTimeout)
        var controls: [UnsafeMutablePointer<LDAPControl>?] = [control, nil]
        let rc = controls.withUnsafeMutableBufferPointer { serverControls in
            LDAPInterop.withCStringArray(request.attributes) { attributes in
                ldap_search_ext_s(
                    handle, request.base, request.scope.rawValue, request.filter, attributes, 0,
                    serverControls.baseAddress, nil, &timeout, Int32(clamping: request.sizeLimit), &result)
            }
        }
        guard rc == LDAP_SUCCESS, let result else {
            throw failure(rc == LDAP_SUCCESS ? LDAP_NO_RESULTS_RETURNED : rc, "paged search")
        }

        var code: Int32 = 0
        var responseControls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?
        let parsed = ldap_parse_result(handle, result, &code, nil, nil, nil, &responseControls, 0)
        defer { if let responseControls { ldap_controls_free(responseControls) } }
        guard parsed == LDAP_SUCCESS else { throw failure(parsed, "paged search") }
        guard code == LDAP_SUCCESS else { throw failure(code, "paged search") }

        var next: [UInt8] = []
        if let response = ldap_control_find(LDAPInterop.pagedResultsOID, responseControls, nil) {
            var estimate: ber_int_t = 0
            var value = berval(bv_len: 0, bv_val: nil)
            let rc = ldap_parse_pageresponse_control(handle, response, &estimate, &value)
            guard rc == LDAP_SUCCESS else { throw failure(rc, "paged search") }
            next = LDAPInterop.bytes(value)
            if let bytes = value.bv_val { ber_memfree(bytes) }
        }
        return (LDAPInterop.entries(handle, result), next)
    }
}

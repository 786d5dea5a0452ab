internal import CLDAP

#if canImport(Glibc)
internal import Glibc
#endif

/// One thing a content-synchronisation refresh reported (RFC 4533 §3.3).
public enum ContentSyncEvent: Sendable {
    /// An entry, with the attributes asked for when it was added or changed; a `present` or
    /// `delete` entry may come with none.
    case entry(LDAPEntry, state: ContentSyncState, entryUUID: String)
    /// Entries named only by `entryUUID` (a `syncIdSet`, RFC 4533 §2.5): gone when `deleted`,
    /// else still present. slapd answers this way after a restart, listing every entry still there.
    case identifiers([String], deleted: Bool)
}

/// How a refresh ended (RFC 4533 §2.4 Sync Done Control).
public struct ContentSyncOutcome: Sendable, Hashable {
    /// The cookie to start the next refresh from; nil when the server sent none.
    public var cookie: [UInt8]?
    /// `true`: a delete phase, deletions were listed. `false`: a present phase; every entry
    /// the client holds that the refresh did not report (present, added or modified) is gone
    /// (RFC 4533 §3.3.1).
    public var refreshDeletes: Bool

    public init(cookie: [UInt8]?, refreshDeletes: Bool) {
        self.cookie = cookie
        self.refreshDeletes = refreshDeletes
    }
}

extension LDAPError.Code {
    /// `e-syncRefreshRequired` (RFC 4533 §2.6): the cookie is too old or unknown; start over
    /// with a full refresh.
    public static let syncRefreshRequired = LDAPError.Code(rawValue: 4096)
}

extension LDAPConnection {
    /// Whether the server lists the Sync Request Control (RFC 4533) in its root DSE's
    /// `supportedControl` (RFC 4512 §5.1).
    public func supportsContentSync() throws(LDAPError) -> Bool {
        let rootDSE = try search(LDAPSearchRequest(base: "", scope: .base, filter: "(objectClass=*)", attributes: ["supportedControl"]))
        return rootDSE.first?.strings("supportedControl").contains(ContentSyncValues.requestOID) ?? false
    }

    /// Runs `request` as a refreshOnly content-synchronisation search (RFC 4533 §3.3) from
    /// `cookie` (nil: from nothing, every entry is sent), handing each entry and `syncIdSet` to
    /// `body` as it arrives: the refresh is streamed, never paged (slapd ends a paged refresh
    /// after its first page, as if complete).
    ///
    /// ```swift
    /// let outcome = try connection.contentSyncRefresh(request, cookie: state.cookie) { event in
    ///     switch event {
    ///     case .entry(let entry, let state, let uuid): …
    ///     case .identifiers(let uuids, let deleted): …
    ///     }
    /// }
    /// ```
    ///
    /// The wait for each message is bounded by the request's time limit, else the connection's
    /// operation timeout; the server is given no time limit of its own unless the request sets
    /// one. Throws `LDAPError` (`syncRefreshRequired` when the server wants a refresh from
    /// nothing), or what `body` throws, after abandoning the search (RFC 4511 §4.11).
    public func contentSyncRefresh(
        _ request: LDAPSearchRequest, cookie: [UInt8]?, _ body: (ContentSyncEvent) throws -> Void
    ) throws -> ContentSyncOutcome {
        lock.lock()
        defer { lock.unlock() }
        let messageID = try startContentSync(request, cookie: cookie)
        var lastCookie = cookie
        do {
            while true {
                var wait = LDAPInterop.timeValue(request.timeLimit ?? configuration.operationTimeout)
                var message: OpaquePointer?
                let type = ldap_result(handle, messageID, 0 /* LDAP_MSG_ONE */, &wait, &message)
                if type == 0 {
                    throw failure(LDAPError.Code.timeout.rawValue, "content synchronisation")
                }
                guard type > 0, let message else {
                    var code: Int32 = LDAPError.Code.serverDown.rawValue
                    ldap_get_option(handle, LDAP_OPT_RESULT_CODE, &code)
                    throw failure(code, "content synchronisation")
                }
                defer { ldap_msgfree(message) }
                switch type {
                case 0x64:  // SearchResultEntry
                    let entry = LDAPInterop.entry(handle, message)
                    let state = try entryState(message)
                    if let newer = state.cookie { lastCookie = newer }
                    try body(.entry(entry, state: state.state, entryUUID: state.entryUUID))
                case 0x79:  // IntermediateResponse
                    guard let info = try syncInfo(message) else { continue }
                    switch info {
                    case .newCookie(let newer):
                        lastCookie = newer
                    case .refreshDelete(let newer, _), .refreshPresent(let newer, _):
                        if let newer { lastCookie = newer }
                    case .idSet(let newer, let deletes, let uuids):
                        if let newer { lastCookie = newer }
                        try body(.identifiers(uuids, deleted: deletes))
                    }
                case 0x65:  // SearchResultDone
                    let done = try syncDone(message)
                    return ContentSyncOutcome(cookie: done?.cookie ?? lastCookie, refreshDeletes: done?.refreshDeletes ?? true)
                default:
                    continue  // references are not chased
                }
            }
        } catch {
            ldap_abandon_ext(handle, messageID, nil, nil)
            throw error
        }
    }

    /// Sends the search with the critical Sync Request Control; returns its message id.
    private func startContentSync(_ request: LDAPSearchRequest, cookie: [UInt8]?) throws(LDAPError) -> Int32 {
        var control: UnsafeMutablePointer<LDAPControl>?
        let created = LDAPInterop.withBerval(ContentSyncValues.refreshOnlyRequest(cookie: cookie)) { value in
            ldap_control_create(ContentSyncValues.requestOID, 1, &value, 1, &control)
        }
        guard created == LDAP_SUCCESS, let control else { throw failure(created, "content synchronisation") }
        defer { ldap_control_free(control) }
        // libldap refuses a zero time limit (LDAP_PARAM_ERROR); no limit is a NULL one.
        var serverLimit = LDAPInterop.timeValue(request.timeLimit ?? .zero)
        let hasLimit = request.timeLimit != nil
        var controls: [UnsafeMutablePointer<LDAPControl>?] = [control, nil]
        var messageID: Int32 = 0
        let rc = controls.withUnsafeMutableBufferPointer { serverControls in
            LDAPInterop.withCStringArray(request.attributes) { attributes in
                withUnsafeMutablePointer(to: &serverLimit) { limit in
                    ldap_search_ext(
                        handle, request.base, request.scope.rawValue, request.filter, attributes, 0,
                        serverControls.baseAddress, nil, hasLimit ? limit : nil, Int32(clamping: request.sizeLimit), &messageID)
                }
            }
        }
        guard rc == LDAP_SUCCESS else { throw failure(rc, "content synchronisation") }
        return messageID
    }

    /// The Sync State Control of an entry (RFC 4533 §2.3), which every entry of a refresh carries.
    private func entryState(_ message: OpaquePointer) throws(LDAPError) -> ContentSyncValues.State {
        var controls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?
        let rc = ldap_get_entry_controls(handle, message, &controls)
        defer { if let controls { ldap_controls_free(controls) } }
        guard rc == LDAP_SUCCESS else { throw failure(rc, "content synchronisation") }
        guard let control = ldap_control_find(ContentSyncValues.stateOID, controls, nil) else {
            throw LDAPError(.protocolError, "directory \(configuration.url) sent an entry without its sync state (RFC 4533 §2.3)")
        }
        return try ContentSyncValues.decodeState(LDAPInterop.bytes(control.pointee.ldctl_value))
    }

    /// The Sync Info Message of an intermediate response, or nil for another kind.
    private func syncInfo(_ message: OpaquePointer) throws(LDAPError) -> ContentSyncValues.Info? {
        var oid: UnsafeMutablePointer<CChar>?
        var data: UnsafeMutablePointer<berval>?
        let rc = ldap_parse_intermediate(handle, message, &oid, &data, nil, 0)
        defer {
            if let oid { ldap_memfree(oid) }
            if let data { ber_bvfree(data) }
        }
        guard rc == LDAP_SUCCESS else { throw failure(rc, "content synchronisation") }
        guard let oid, String(cString: oid) == ContentSyncValues.infoOID, let data else { return nil }
        return try ContentSyncValues.decodeInfo(LDAPInterop.bytes(data.pointee))
    }

    /// The result's code, checked, and its Sync Done Control (RFC 4533 §2.4), if sent.
    private func syncDone(_ message: OpaquePointer) throws(LDAPError) -> ContentSyncValues.Done? {
        var code: Int32 = 0
        var controls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?
        let parsed = ldap_parse_result(handle, message, &code, nil, nil, nil, &controls, 0)
        defer { if let controls { ldap_controls_free(controls) } }
        guard parsed == LDAP_SUCCESS else { throw failure(parsed, "content synchronisation") }
        guard code == LDAP_SUCCESS else {
            if code == LDAPError.Code.syncRefreshRequired.rawValue {
                throw LDAPError(.syncRefreshRequired, "directory \(configuration.url) asks for a full refresh: the synchronisation cookie is too old (RFC 4533 §2.6)")
            }
            throw failure(code, "content synchronisation")
        }
        guard let control = ldap_control_find(ContentSyncValues.doneOID, controls, nil) else { return nil }
        return try ContentSyncValues.decodeDone(LDAPInterop.bytes(control.pointee.ldctl_value))
    }
}

/// What the reader hands to the synchronisation, a page at a time.
enum DirectoryRead: Sendable {
    /// Entries that match the user filter (added or changed, or all of them in a full read),
    /// and those that could not be read as users at all.
    case users([DirectoryUser], refused: [DirectorySyncSkip])
    /// External ids of entries still there and unchanged (an RFC 4533 present phase).
    case present([String])
    /// External ids of entries gone, or no longer matching the user filter.
    case gone([String])
}

/// The searches of a synchronisation, run on an LDAP pool's thread: each streams its results
/// into a `PageChannel` as compact records, a page at a time.
struct DirectoryReader: Sendable {
    let configuration: DirectorySyncConfiguration
    let mapper: DirectoryUserMapper

    init(configuration: DirectorySyncConfiguration) {
        self.configuration = configuration
        mapper = DirectoryUserMapper(attributes: configuration.attributes)
    }

    /// The greatest GeneralizedTime of two (same-format values compare as strings).
    static func later(_ a: String?, _ b: String?) -> String? {
        guard let a else { return b }
        guard let b else { return a }
        return a >= b ? a : b
    }

    /// The user search with `filter`, asking for the mapped attributes; no time limit of its
    /// own beyond the connection's for each page.
    func userRequest(filter: String, attributes: [String]? = nil) -> LDAPSearchRequest {
        LDAPSearchRequest(base: configuration.userBase, scope: .subtree, filter: filter, attributes: attributes ?? mapper.requestedAttributes)
    }

    /// `(&USER_FILTER(modifyTimestamp>=WATERMARK))`: what changed since the watermark.
    func changedFilter(since watermark: String) -> String {
        "(&\(configuration.userFilter)(modifyTimestamp>=\(LDAPEscape.filterValue(watermark))))"
    }

    /// `(&(!USER_FILTER)(modifyTimestamp>=WATERMARK))`: entries changed since the watermark
    /// that no longer match the filter (locked, moved out of it). Other entries (units,
    /// groups) match too; only those with an account matter.
    func leftFilter(since watermark: String) -> String {
        "(&(!\(configuration.userFilter))(modifyTimestamp>=\(LDAPEscape.filterValue(watermark))))"
    }

    /// A paged read (RFC 2696) of `filter`; returns the greatest `modifyTimestamp` seen.
    func readPaged(_ connection: LDAPConnection, filter: String, into channel: PageChannel<DirectoryRead>) throws -> String? {
        let newest = NewestTimestamp()
        try connection.pagedSearch(userRequest(filter: filter), pageSize: configuration.pageSize) { page in
            try channel.send(mapPage(page, newest: newest))
            return .nextPage
        }
        return newest.value
    }

    /// A page of entries as users (and refusals), noting the newest `modifyTimestamp`.
    private func mapPage(_ page: [LDAPEntry], newest: NewestTimestamp) -> DirectoryRead {
        var users: [DirectoryUser] = []
        var refused: [DirectorySyncSkip] = []
        users.reserveCapacity(page.count)
        for entry in page {
            switch mapper.user(entry) {
            case .success(let user):
                newest.value = Self.later(newest.value, user.modifyTimestamp)
                users.append(user)
            case .failure(let refusal):
                refused.append(DirectorySyncSkip(dn: entry.dn, reason: Self.describe(refusal)))
            }
        }
        return .users(users, refused: refused)
    }

    /// A paged read of the external ids of the entries matching `filter`, sent as gone.
    func readGone(_ connection: LDAPConnection, filter: String, into channel: PageChannel<DirectoryRead>) throws {
        try connection.pagedSearch(userRequest(filter: filter, attributes: [configuration.attributes.externalID]), pageSize: configuration.pageSize) { page in
            let ids = page.compactMap(mapper.externalID)
            if !ids.isEmpty { try channel.send(.gone(ids)) }
            return .nextPage
        }
    }

    /// A refreshOnly content synchronisation (RFC 4533) from `cookie`, streamed (never paged)
    /// and sent on in pages.
    func readContentSync(_ connection: LDAPConnection, cookie: [UInt8]?, into channel: PageChannel<DirectoryRead>) throws -> ContentSyncOutcome {
        let buffer = RefreshBuffer(channel: channel, limit: configuration.pageSize)
        let outcome = try connection.contentSyncRefresh(userRequest(filter: configuration.userFilter), cookie: cookie) { event in
            switch event {
            case .entry(let entry, let state, let uuid):
                switch state {
                case .present: buffer.present.append(uuid)
                case .delete: buffer.gone.append(uuid)
                case .add, .modify:
                    switch mapper.user(entry, entryUUID: uuid) {
                    case .success(let user): buffer.users.append(user)
                    case .failure(let refusal): buffer.refused.append(DirectorySyncSkip(dn: entry.dn, reason: Self.describe(refusal)))
                    }
                }
            case .identifiers(let uuids, let deleted):
                if deleted { buffer.gone += uuids } else { buffer.present += uuids }
            }
            try buffer.flushIfFull()
        }
        try buffer.flush()
        return outcome
    }

    /// A cookie for "now": a refresh from nothing whose filter matches no entry, so the server
    /// sends only its Sync Done Control. Taken before a full paged read, so that changes made
    /// during the read come again in the next incremental refresh rather than being lost.
    func freshCookie(_ connection: LDAPConnection) throws -> [UInt8]? {
        let nothing = LDAPSearchRequest(base: configuration.userBase, scope: .base, filter: "(&(objectClass=*)(!(objectClass=*)))", attributes: ["1.1"])
        return try connection.contentSyncRefresh(nothing, cookie: nil) { _ in }.cookie
    }

    /// The members of each mapped group. A group that does not exist, or does not match the
    /// group filter, has no members (and a warning says so).
    func readGroups(_ connection: LDAPConnection) throws -> GroupMembership {
        var membership = GroupMembership(members: [])
        var cache: [String: Set<String>] = [:]
        for rule in configuration.groupRules {
            let key = rule.group.canonicalKey
            if let known = cache[key] {
                membership.members.append(known)
                continue
            }
            let read = try readGroup(connection, rule.group)
            if let warning = read.warning { membership.warnings.append(warning) }
            cache[key] = read.members
            membership.members.append(read.members)
        }
        return membership
    }

    /// The member keys of the group `dn`, and what an operator should know about it.
    private func readGroup(_ connection: LDAPConnection, _ dn: DistinguishedName) throws(LDAPError) -> (members: Set<String>, warning: String?) {
        let request = LDAPSearchRequest(base: dn.description, scope: .base, filter: configuration.groupFilter, attributes: GroupMembership.memberAttributes)
        let entries: [LDAPEntry]
        do {
            entries = try connection.search(request)
        } catch {
            guard error.code == .noSuchObject else { throw error }
            return ([], "group \(dn) does not exist; it gives no grants")
        }
        guard let entry = entries.first else { return ([], "group \(dn) does not match the group filter; it gives no grants") }
        let read = GroupMembership.memberKeys(entry)
        let warning = read.unparsable > 0 ? "group \(dn): \(read.unparsable) member value(s) are not DNs and were ignored" : nil
        return (read.keys, warning)
    }

    static func describe(_ refusal: DirectoryUserMapper.Refusal) -> String {
        switch refusal {
        case .noExternalID: "the entry has no external id attribute"
        case .unparsableDN(let why): "its DN cannot be parsed: \(why)"
        }
    }
}

/// Collects what a refresh streams until a page is full, then sends it.
private final class RefreshBuffer {
    let channel: PageChannel<DirectoryRead>
    let limit: Int
    var users: [DirectoryUser] = []
    var refused: [DirectorySyncSkip] = []
    var present: [String] = []
    var gone: [String] = []

    init(channel: PageChannel<DirectoryRead>, limit: Int) {
        self.channel = channel
        self.limit = limit
    }

    func flushIfFull() throws {
        if users.count + refused.count + present.count + gone.count >= limit { try flush() }
    }

    func flush() throws {
        if !users.isEmpty || !refused.isEmpty { try channel.send(.users(users, refused: refused)) }
        if !present.isEmpty { try channel.send(.present(present)) }
        if !gone.isEmpty { try channel.send(.gone(gone)) }
        users = []
        refused = []
        present = []
        gone = []
    }
}

/// The greatest `modifyTimestamp` a read has seen.
private final class NewestTimestamp {
    var value: String?
}

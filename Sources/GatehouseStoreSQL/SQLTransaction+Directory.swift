import Foundation
import GatehouseCore
import GatehouseStore

extension SQLSchema {
    /// Version 6: what the LDAP directory synchronisation keeps.
    ///
    /// - `directory_sync_state`: per directory, the RFC 4533 cookie or the `modifyTimestamp`
    ///   watermark the next incremental run starts from, digests of the configuration and of
    ///   each mapped group, and when the last runs finished.
    /// - `directory_leases`: which node synchronises a directory, until when. Taken by one
    ///   conditional upsert, which PostgreSQL (unique index, SERIALIZABLE) and SQLite (one
    ///   writer) both make exclusive.
    /// - `directory_entries`: the DN behind each directory account (accounts are keyed by their
    ///   external id; the DN is kept to resolve group members, which name DNs), and whether the
    ///   synchronisation disabled the account.
    /// - `directory_grants`: the role grants a directory's group rules made. Only these are
    ///   ever taken away by a synchronisation; grants given by hand are not listed.
    /// - `directory_password_verifiers`: with `cached_password_fallback`, an Argon2id verifier
    ///   of the password that last bound at the directory (never the password).
    static let directorySyncSchema = """
        CREATE TABLE directory_sync_state (
            directory {KEY} PRIMARY KEY,
            cookie {BYTES},
            watermark TEXT,
            configuration_digest TEXT,
            group_digests TEXT NOT NULL,
            last_full_sync_at {INT64},
            last_sync_at {INT64}
        );

        CREATE TABLE directory_leases (
            directory {KEY} PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at {INT64} NOT NULL
        );

        CREATE TABLE directory_entries (
            account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
            directory TEXT NOT NULL,
            dn TEXT NOT NULL,
            dn_key TEXT NOT NULL,
            disabled_by_sync INTEGER NOT NULL CHECK (disabled_by_sync IN (0, 1))
        );
        CREATE INDEX directory_entries_dn_key ON directory_entries (directory, dn_key);

        CREATE TABLE directory_grants (
            grant_id TEXT PRIMARY KEY REFERENCES role_grants (id) ON DELETE CASCADE,
            directory TEXT NOT NULL
        );
        CREATE INDEX directory_grants_directory ON directory_grants (directory);

        CREATE TABLE directory_password_verifiers (
            account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
            verifier TEXT NOT NULL,
            stored_at {INT64} NOT NULL
        );
        """
}

// LDAP directory synchronisation: state, lease, entries, managed grants, cached verifiers.
extension SQLTransaction {
    /// The most values bound in one `IN (…)` list.
    static let inListLimit = 500

    func directorySyncState(directory: String) throws -> DirectorySyncState? {
        let rows = try query(
            """
            SELECT directory, cookie, watermark, configuration_digest, group_digests, last_full_sync_at, last_sync_at
            FROM directory_sync_state WHERE directory = $1
            """, [.text(directory)])
        guard let row = rows.first else { return nil }
        let r = RowReader(row, "directory sync state")
        return DirectorySyncState(
            directory: try r.text("directory"), cookie: try r.optionalBlob("cookie"), watermark: r.optionalText("watermark"),
            configurationDigest: r.optionalText("configuration_digest"), groupDigests: try r.json("group_digests"),
            lastFullSyncAt: r.optionalTime("last_full_sync_at"), lastSyncAt: r.optionalTime("last_sync_at"))
    }

    func saveDirectorySyncState(_ state: DirectorySyncState) throws {
        try execute(
            """
            INSERT INTO directory_sync_state (directory, cookie, watermark, configuration_digest, group_digests, last_full_sync_at, last_sync_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (directory) DO UPDATE SET cookie = excluded.cookie, watermark = excluded.watermark,
                configuration_digest = excluded.configuration_digest, group_digests = excluded.group_digests,
                last_full_sync_at = excluded.last_full_sync_at, last_sync_at = excluded.last_sync_at
            """,
            [.text(state.directory), .blobOrNull(state.cookie), .textOrNull(state.watermark), .textOrNull(state.configurationDigest),
             .json(state.groupDigests), .time(state.lastFullSyncAt), .time(state.lastSyncAt)])
    }

    func directoryLease(directory: String) throws -> DirectoryLease? {
        let rows = try query("SELECT directory, holder, expires_at FROM directory_leases WHERE directory = $1", [.text(directory)])
        guard let row = rows.first else { return nil }
        let r = RowReader(row, "directory lease")
        return DirectoryLease(directory: try r.text("directory"), holder: try r.text("holder"), expiresAt: try r.time("expires_at"))
    }

    func acquireDirectoryLease(directory: String, holder: String, until: Date, at time: Date) throws -> Bool {
        // One statement: the insert, or the update when the lease is ours or has run out. A
        // held lease makes the WHERE false, and the upsert changes no row.
        let changed = try execute(
            """
            INSERT INTO directory_leases (directory, holder, expires_at) VALUES ($1, $2, $3)
            ON CONFLICT (directory) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE directory_leases.holder = excluded.holder OR directory_leases.expires_at <= $4
            """,
            [.text(directory), .text(holder), .time(until), .time(time)])
        return changed > 0
    }

    func renewDirectoryLease(directory: String, holder: String, until: Date) throws -> Bool {
        try execute(
            "UPDATE directory_leases SET expires_at = $3 WHERE directory = $1 AND holder = $2",
            [.text(directory), .text(holder), .time(until)]) > 0
    }

    func releaseDirectoryLease(directory: String, holder: String) throws -> Bool {
        try execute("DELETE FROM directory_leases WHERE directory = $1 AND holder = $2", [.text(directory), .text(holder)]) > 0
    }

    // MARK: Accounts and their entries

    private static var directoryAccountSelect: String {
        """
        SELECT \(accountColumns), e.dn, e.dn_key, e.disabled_by_sync
        FROM accounts a LEFT JOIN directory_entries e ON e.account_id = a.id
        """
    }

    func directoryAccounts(directory: String, after externalID: String?, limit: Int) throws -> [DirectoryAccount] {
        var filter = SQLFilter()
        filter.add("a.directory = \(filter.bind(.text(directory)))")
        if let externalID { filter.add("a.external_id > \(filter.bind(.text(externalID)))") }
        let limitParameter = filter.bind(.int(Int64(max(0, min(limit, 10_000)))))
        let rows = try query("\(Self.directoryAccountSelect)\(filter.whereClause) ORDER BY a.external_id LIMIT \(limitParameter)", filter.parameters)
        return try withManagedGrants(directory: directory, rows.map(decodeDirectoryAccount))
    }

    func directoryAccounts(directory: String, externalIDs: [String]) throws -> [DirectoryAccount] {
        try directoryAccounts(directory: directory, column: "a.external_id", in: externalIDs)
    }

    func directoryAccounts(directory: String, dnKeys: [String]) throws -> [DirectoryAccount] {
        try directoryAccounts(directory: directory, column: "e.dn_key", in: dnKeys)
    }

    private func directoryAccounts(directory: String, column: String, in values: [String]) throws -> [DirectoryAccount] {
        var out: [DirectoryAccount] = []
        for chunk in Self.chunks(Array(Set(values))) {
            var filter = SQLFilter()
            filter.add("a.directory = \(filter.bind(.text(directory)))")
            let list = chunk.map { filter.bind(.text($0)) }.joined(separator: ", ")
            filter.add("\(column) IN (\(list))")
            out += try query("\(Self.directoryAccountSelect)\(filter.whereClause)", filter.parameters).map(decodeDirectoryAccount)
        }
        return try withManagedGrants(directory: directory, out)
    }

    private func decodeDirectoryAccount(_ row: SQLRow) throws(StoreError) -> DirectoryAccount {
        let r = RowReader(row, "directory entry")
        return DirectoryAccount(
            account: try decodeAccount(row), dn: r.optionalText("dn"), dnKey: r.optionalText("dn_key"),
            disabledBySync: (r.optionalInt("disabled_by_sync") ?? 0) != 0)
    }

    /// `accounts` with their grants filled in, managed ones marked, in one query per chunk.
    private func withManagedGrants(directory: String, _ accounts: [DirectoryAccount]) throws -> [DirectoryAccount] {
        guard !accounts.isEmpty else { return accounts }
        var grantsByAccount: [UUID: [RoleGrant]] = [:]
        var managed = Set<UUID>()
        for chunk in Self.chunks(accounts.map(\.account.id)) {
            var filter = SQLFilter()
            let directoryParameter = filter.bind(.text(directory))
            let list = chunk.map { filter.bind(.uuid($0)) }.joined(separator: ", ")
            filter.add("g.account_id IN (\(list))")
            let rows = try query(
                """
                SELECT g.id, g.account_id, g.role, g.unit_id, g.granted_by, g.created_at, d.grant_id AS managed
                FROM role_grants g LEFT JOIN directory_grants d ON d.grant_id = g.id AND d.directory = \(directoryParameter)\(filter.whereClause)
                ORDER BY g.created_at, g.id
                """,
                filter.parameters)
            for row in rows {
                let grant = try decodeGrant(row)
                grantsByAccount[grant.accountID, default: []].append(grant)
                if row["managed"] != .null { managed.insert(grant.id) }
            }
        }
        return accounts.map { item in
            var item = item
            item.grants = grantsByAccount[item.account.id] ?? []
            item.managedGrantIDs = Set(item.grants.map(\.id)).intersection(managed)
            return item
        }
    }

    static func chunks<T>(_ values: [T]) -> [ArraySlice<T>] {
        stride(from: 0, to: values.count, by: inListLimit).map { values[$0..<min($0 + inListLimit, values.count)] }
    }

    func recordDirectoryEntry(accountID: UUID, dn: String, dnKey: String, disabledBySync: Bool) throws {
        let rows = try query("SELECT a.directory FROM accounts a WHERE a.id = $1", [.uuid(accountID)])
        guard let row = rows.first else { throw StoreError.notFound("account \(accountID.lowercasedString)") }
        guard let directory = RowReader(row, "account").optionalText("directory") else {
            throw StoreError.invalid("account \(accountID.lowercasedString) is a local account, not a directory's")
        }
        try execute(
            """
            INSERT INTO directory_entries (account_id, directory, dn, dn_key, disabled_by_sync) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (account_id) DO UPDATE SET directory = excluded.directory, dn = excluded.dn, dn_key = excluded.dn_key,
                disabled_by_sync = excluded.disabled_by_sync
            """,
            [.uuid(accountID), .text(directory), .text(dn), .text(dnKey), .bool(disabledBySync)])
    }

    // MARK: Managed grants

    func directoryGrants(directory: String) throws -> [RoleGrant] {
        try query(
            "SELECT g.id, g.account_id, g.role, g.unit_id, g.granted_by, g.created_at FROM role_grants g JOIN directory_grants d ON d.grant_id = g.id WHERE d.directory = $1 ORDER BY g.created_at, g.id",
            [.text(directory)]
        ).map(decodeGrant)
    }

    func insertDirectoryGrant(_ grant: RoleGrant, directory: String) throws {
        try insertGrant(grant)
        try execute("INSERT INTO directory_grants (grant_id, directory) VALUES ($1, $2)", [.uuid(grant.id), .text(directory)])
    }

    // MARK: Cached password verifiers

    func directoryPasswordVerifier(accountID: UUID) throws -> String? {
        let rows = try query("SELECT verifier FROM directory_password_verifiers WHERE account_id = $1", [.uuid(accountID)])
        return rows.first.flatMap { RowReader($0, "directory password verifier").optionalText("verifier") }
    }

    func storeDirectoryPasswordVerifier(accountID: UUID, verifier: String, at time: Date) throws {
        guard verifier.hasPrefix("$") else {
            throw StoreError.invalid("a directory password verifier must be a PHC string, never a password")
        }
        let account = try self.account(id: accountID)
        guard account.source.directoryName != nil else {
            throw StoreError.invalid("account '\(account.username)' is a local account; its password verifier is the account's own")
        }
        try execute(
            """
            INSERT INTO directory_password_verifiers (account_id, verifier, stored_at) VALUES ($1, $2, $3)
            ON CONFLICT (account_id) DO UPDATE SET verifier = excluded.verifier, stored_at = excluded.stored_at
            """,
            [.uuid(accountID), .text(verifier), .time(time)])
    }

    func deleteDirectoryPasswordVerifier(accountID: UUID) throws -> Bool {
        try execute("DELETE FROM directory_password_verifiers WHERE account_id = $1", [.uuid(accountID)]) > 0
    }

    func deleteDirectoryPasswordVerifiers(directory: String) throws -> Int {
        try execute(
            "DELETE FROM directory_password_verifiers WHERE account_id IN (SELECT a.id FROM accounts a WHERE a.directory = $1)",
            [.text(directory)])
    }
}

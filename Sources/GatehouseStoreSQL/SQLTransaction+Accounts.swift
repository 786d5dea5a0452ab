import Foundation
import GatehouseCore
import GatehouseStore

extension SQLTransaction {
    static let accountColumns = """
        a.id, a.username, a.display_name, a.email, a.unit_id, a.status, a.password_hash, a.password_changed_at, \
        a.must_change_password, a.mfa_secret, a.mfa_recovery_codes, a.mfa_last_step, a.mfa_failures, a.directory, a.external_id, \
        a.provisioning_id, a.created_at, a.updated_at, a.version
        """

    func decodeAccount(_ row: SQLRow) throws(StoreError) -> Account {
        let r = RowReader(row, "account")
        let source: AccountSource
        if let directory = r.optionalText("directory") {
            source = .directory(name: directory, externalID: try r.text("external_id"))
        } else {
            source = .local
        }
        return Account(
            id: try r.uuid("id"), username: try r.username("username"), displayName: try r.text("display_name"),
            email: r.optionalText("email"), unitID: try r.uuid("unit_id"), status: try r.enumeration("status"),
            passwordHash: r.optionalText("password_hash"), passwordChangedAt: r.optionalTime("password_changed_at"),
            mustChangePassword: try r.bool("must_change_password"), mfaSecret: try r.optionalBlob("mfa_secret"),
            mfaRecoveryCodes: try r.json("mfa_recovery_codes"), mfaLastStep: r.optionalInt("mfa_last_step"),
            mfaFailures: Int(try r.int("mfa_failures")), source: source, provisioningID: r.optionalText("provisioning_id"),
            createdAt: try r.time("created_at"), updatedAt: try r.time("updated_at"), version: Int(try r.int("version")))
    }

    /// What a duplicate-key error on `accounts` means for `account`.
    static func duplicateAccount(_ account: Account) -> (SQLError) -> String {
        { error in
            if error.message.contains("username") { return "account '\(account.username)'" }
            if error.message.contains("external_id"), case .directory(let name, let externalID) = account.source {
                return "account with external id '\(externalID)' in directory '\(name)'"
            }
            return "account \(account.id.lowercasedString)"
        }
    }

    func account(id: UUID) throws -> Account {
        let rows = try query("SELECT \(Self.accountColumns) FROM accounts a WHERE a.id = $1", [.uuid(id)])
        guard let row = rows.first else { throw StoreError.notFound("account \(id.lowercasedString)") }
        return try decodeAccount(row)
    }

    func account(username: Username) throws -> Account {
        let rows = try query("SELECT \(Self.accountColumns) FROM accounts a WHERE a.username = $1", [.text(username.value)])
        guard let row = rows.first else { throw StoreError.notFound("account '\(username)'") }
        return try decodeAccount(row)
    }

    func account(directory: String, externalID: String) throws -> Account {
        let rows = try query(
            "SELECT \(Self.accountColumns) FROM accounts a WHERE a.directory = $1 AND a.external_id = $2",
            [.text(directory), .text(externalID)])
        guard let row = rows.first else {
            throw StoreError.notFound("account with external id '\(externalID)' in directory '\(directory)'")
        }
        return try decodeAccount(row)
    }

    /// `FROM … WHERE …` for `query`. Subtrees select the accounts' units with a subquery
    /// (`a.unit_id IN (SELECT id FROM units WHERE path …)`), so both engines can walk
    /// `accounts_unit_username` unit by unit, with the username prefix as the second column;
    /// units are joined only when a filter or the sort reads their path.
    func accountFilter(_ query: AccountQuery) -> (from: String, filter: SQLFilter) {
        var filter = SQLFilter()
        var from = "accounts a"
        let joinsUnits = query.sortBy == .unitPath || (query.filter.map(SQLAccountSearch.needsUnits) ?? false)
        if joinsUnits { from += " JOIN units u ON u.id = a.unit_id" }
        var subtrees: [UnitPath]? = query.within
        if let subtree = query.subtree, !subtree.isRoot {
            // Within the subtree and the reach: the subtree when the reach covers it, the parts
            // of the reach inside the subtree otherwise.
            subtrees = subtrees.map { reach in
                reach.contains { $0.contains(subtree) } ? [subtree] : reach.filter { subtree.contains($0) }
            } ?? [subtree]
        }
        if let subtrees, !subtrees.contains(where: \.isRoot) {
            let condition = SQLAccountSearch.within(subtrees, column: "path", into: &filter)
            filter.add("a.unit_id IN (SELECT id FROM units WHERE \(condition))")
        }
        if let tree = query.filter { filter.add(SQLAccountSearch.render(tree, into: &filter)) }
        if let prefix = query.usernamePrefix.map(Self.foldPrefix), !prefix.isEmpty {
            // A byte range rather than LIKE: index-friendly, and '%' or '_' in the prefix are
            // plain characters.
            filter.add("a.username >= \(filter.bind(.text(prefix)))")
            if let bound = Self.prefixUpperBound(prefix) { filter.add("a.username < \(filter.bind(.text(bound)))") }
        }
        if let status = query.status { filter.add("a.status = \(filter.bind(.text(status.rawValue)))") }
        if let directory = query.directory { filter.add("a.directory = \(filter.bind(.text(directory)))") }
        return (from, filter)
    }

    func accounts(_ query: AccountQuery, page: Page) throws -> [Account] {
        var (from, filter) = accountFilter(query)
        let limit = filter.bind(.int(Int64(page.limit))), offset = filter.bind(.int(Int64(page.offset)))
        let rows = try self.query(
            "SELECT \(Self.accountColumns) FROM \(from)\(filter.whereClause) \(SQLAccountSearch.order(query)) LIMIT \(limit) OFFSET \(offset)",
            filter.parameters)
        return try rows.map(decodeAccount)
    }

    func countAccounts(_ query: AccountQuery) throws -> Int {
        let (from, filter) = accountFilter(query)
        return try count("SELECT COUNT(*) AS n FROM \(from)\(filter.whereClause)", filter.parameters)
    }

    /// Folds a prefix as usernames are folded (NFC, lowercase).
    static func foldPrefix(_ prefix: String) -> String { Text.nfc(prefix).lowercased() }

    /// The least string greater than every string starting with `prefix`: the prefix with its
    /// last scalar incremented (UTF-8 byte order is scalar order). `nil` when no such string
    /// exists (the prefix is all U+10FFFF).
    static func prefixUpperBound(_ prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }  // skip the surrogates
            if let scalar = Unicode.Scalar(next) {
                scalars.append(scalar)
                var out = String.UnicodeScalarView()
                out.append(contentsOf: scalars)
                return String(out)
            }
        }
        return nil
    }

    func insertAccount(_ account: Account) throws {
        try execute(
            """
            INSERT INTO accounts (id, username, display_name, email, unit_id, status, password_hash, password_changed_at,
                must_change_password, mfa_secret, directory, external_id, created_at, updated_at, version,
                mfa_recovery_codes, mfa_last_step, mfa_failures, display_name_folded, provisioning_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
            """,
            [.uuid(account.id), .text(account.username.value), .text(account.displayName), .textOrNull(account.email),
             .uuid(account.unitID), .text(account.status.rawValue), .textOrNull(account.passwordHash), .time(account.passwordChangedAt),
             .bool(account.mustChangePassword), .blobOrNull(account.mfaSecret), .textOrNull(account.source.directoryName),
             .textOrNull(account.source.externalID), .time(account.createdAt), .time(account.updatedAt), .int(Int64(account.version)),
             .json(account.mfaRecoveryCodes), account.mfaLastStep.map { .int($0) } ?? .null, .int(Int64(account.mfaFailures)),
             .text(SQLAccountSearch.fold(account.displayName)), .textOrNull(account.provisioningID)],
            Meaning(duplicate: Self.duplicateAccount(account),
                    missingReference: "unit \(account.unitID.lowercasedString) of account '\(account.username)' does not exist"))
    }

    func updateAccount(_ account: Account) throws -> Account {
        var updated = account
        updated.version = account.version + 1
        updated.updatedAt = now()
        let returned = try query(
            """
            UPDATE accounts SET username = $3, display_name = $4, email = $5, unit_id = $6, status = $7, password_hash = $8,
                password_changed_at = $9, must_change_password = $10, mfa_secret = $11, directory = $12, external_id = $13,
                updated_at = $14, version = $15, mfa_recovery_codes = $16, mfa_last_step = $17, mfa_failures = $18,
                display_name_folded = $19, provisioning_id = $20
            WHERE id = $1 AND version = $2
            RETURNING created_at
            """,
            [.uuid(account.id), .int(Int64(account.version)), .text(account.username.value), .text(account.displayName),
             .textOrNull(account.email), .uuid(account.unitID), .text(account.status.rawValue), .textOrNull(account.passwordHash),
             .time(account.passwordChangedAt), .bool(account.mustChangePassword), .blobOrNull(account.mfaSecret),
             .textOrNull(account.source.directoryName), .textOrNull(account.source.externalID), .time(updated.updatedAt),
             .int(Int64(updated.version)), .json(account.mfaRecoveryCodes), account.mfaLastStep.map { .int($0) } ?? .null,
             .int(Int64(account.mfaFailures)), .text(SQLAccountSearch.fold(account.displayName)), .textOrNull(account.provisioningID)],
            Meaning(duplicate: Self.duplicateAccount(account),
                    missingReference: "unit \(account.unitID.lowercasedString) of account '\(account.username)' does not exist"))
        guard let row = returned.first else {
            let stored = try query("SELECT a.username, a.version FROM accounts a WHERE a.id = $1", [.uuid(account.id)])
            guard let current = stored.first else { throw StoreError.notFound("account \(account.id.lowercasedString)") }
            let r = RowReader(current, "account")
            let name = r.optionalText("username") ?? account.username.value
            throw StoreError.conflict(
                "account '\(name)' was changed by someone else (version \(account.version) is stale, the stored one is \(r.optionalInt("version") ?? 0))")
        }
        // createdAt never changes; report the stored one.
        updated.createdAt = try RowReader(row, "account").time("created_at")
        return updated
    }

    func deleteAccount(id: UUID) throws {
        let deleted = try execute("DELETE FROM accounts WHERE id = $1", [.uuid(id)])
        guard deleted > 0 else { throw StoreError.notFound("account \(id.lowercasedString)") }
    }
}

// Bulk reads and writes for imports: one statement per `bulkChunk` rows instead of one per row,
// which on PostgreSQL is one network round trip instead of a hundred.
extension SQLTransaction {
    /// Rows per bulk statement: 100 accounts of 20 columns bind 2,000 values, far below either
    /// engine's limit (SQLite 32,766, PostgreSQL 65,535); full chunks share one SQL text, which
    /// SQLite prepares once.
    static let bulkChunk = 100
    /// Values per bulk lookup (`IN (…)` list). One lookup per batch of 1,000 rows: until
    /// PostgreSQL has analyzed a freshly filled `role_grants`, it scans the table for any
    /// `account_id IN (…)`, and one scan per batch costs a tenth of one per hundred rows.
    static let bulkLookupChunk = 1_000

    func accounts(usernames: [Username]) throws -> [Account] {
        var out: [Account] = []
        for chunk in Self.bulkChunks(usernames, of: Self.bulkLookupChunk) {
            let rows = try query(
                "SELECT \(Self.accountColumns) FROM accounts a WHERE a.username IN (\(Self.placeholders(chunk.count)))",
                chunk.map { .text($0.value) })
            out += try rows.map(decodeAccount)
        }
        return out
    }

    func grants(accountIDs: [UUID]) throws -> [RoleGrant] {
        var out: [RoleGrant] = []
        for chunk in Self.bulkChunks(accountIDs, of: Self.bulkLookupChunk) {
            out += try query(
                "SELECT \(Self.grantColumns) FROM role_grants WHERE account_id IN (\(Self.placeholders(chunk.count)))",
                chunk.map { .uuid($0) }
            ).map(decodeGrant)
        }
        // Oldest first, then by id, as `grants(accountID:)` orders them.
        return out.map { ($0, $0.id.lowercasedString) }.sorted { ($0.0.createdAt, $0.1) < ($1.0.createdAt, $1.1) }.map(\.0)
    }

    /// Inserts into the columns `accountColumns` names (those `decodeAccount` reads), each
    /// valued by `insertValue`: a column added to that list but not to `insertValue` fails every
    /// bulk insert, which the conformance suite catches, rather than being left empty.
    func insertAccounts(_ accounts: [Account]) throws {
        let columns = Self.accountColumns.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst(2)) }
            + ["display_name_folded"]
        for chunk in Self.bulkChunks(accounts) {
            var parameters: [SQLValue] = []
            parameters.reserveCapacity(chunk.count * columns.count)
            for account in chunk {
                for column in columns { parameters.append(try Self.insertValue(column, of: account)) }
            }
            let names = chunk.count == 1 ? "account '\(chunk.first!.username)'" : "one of the accounts '\(chunk.first!.username)' … '\(chunk.last!.username)'"
            try execute(
                "INSERT INTO accounts (\(columns.joined(separator: ", "))) VALUES \(Self.rows(chunk.count, columns: columns.count))",
                parameters,
                Meaning(duplicate: { error in
                            error.message.contains("external_id") ? "the external id of \(names)" : names },
                        missingReference: "the unit of \(names) does not exist"))
        }
    }

    /// The value `insertAccount` stores in `column`.
    static func insertValue(_ column: String, of account: Account) throws(StoreError) -> SQLValue {
        switch column {
        case "id": .uuid(account.id)
        case "username": .text(account.username.value)
        case "display_name": .text(account.displayName)
        case "display_name_folded": .text(SQLAccountSearch.fold(account.displayName))
        case "email": .textOrNull(account.email)
        case "unit_id": .uuid(account.unitID)
        case "status": .text(account.status.rawValue)
        case "password_hash": .textOrNull(account.passwordHash)
        case "password_changed_at": .time(account.passwordChangedAt)
        case "must_change_password": .bool(account.mustChangePassword)
        case "mfa_secret": .blobOrNull(account.mfaSecret)
        case "mfa_recovery_codes": .json(account.mfaRecoveryCodes)
        case "mfa_last_step": account.mfaLastStep.map { .int($0) } ?? .null
        case "mfa_failures": .int(Int64(account.mfaFailures))
        case "directory": .textOrNull(account.source.directoryName)
        case "external_id": .textOrNull(account.source.externalID)
        case "provisioning_id": .textOrNull(account.provisioningID)
        case "created_at": .time(account.createdAt)
        case "updated_at": .time(account.updatedAt)
        case "version": .int(Int64(account.version))
        default: throw StoreError.invalid("insertAccounts does not know the accounts column '\(column)'")
        }
    }

    func insertGrants(_ grants: [RoleGrant]) throws {
        for chunk in Self.bulkChunks(grants) {
            let parameters: [SQLValue] = chunk.flatMap { grant -> [SQLValue] in
                [.uuid(grant.id), .uuid(grant.accountID), .text(grant.role), .uuid(grant.unitID), .uuid(grant.grantedBy), .time(grant.createdAt)]
            }
            try execute(
                "INSERT INTO role_grants (\(Self.grantColumns)) VALUES \(Self.rows(chunk.count, columns: 6))", parameters,
                Meaning(duplicate: { _ in "one of \(chunk.count) role grants" },
                        missingReference: "one of \(chunk.count) role grants refers to an account or unit that does not exist"))
        }
    }

    static func bulkChunks<T>(_ values: [T], of size: Int = bulkChunk) -> [ArraySlice<T>] {
        stride(from: 0, to: values.count, by: size).map { values[$0..<min($0 + size, values.count)] }
    }

    /// `$1, $2, …, $n`.
    static func placeholders(_ n: Int) -> String { (1...n).map { "$\($0)" }.joined(separator: ", ") }

    /// `($1, $2), ($3, $4)` for 2 rows of 2 columns.
    static func rows(_ rows: Int, columns: Int) -> String {
        (0..<rows).map { row in "(" + (1...columns).map { "$\(row * columns + $0)" }.joined(separator: ", ") + ")" }.joined(separator: ", ")
    }
}

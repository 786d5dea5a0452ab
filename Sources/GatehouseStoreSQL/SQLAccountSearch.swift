import GatehouseCore
import GatehouseSCIM
import GatehouseStore

extension SQLSchema {
    /// `display_name_folded`: the display name NFC and lowercased by Gatehouse itself, not by
    /// the engine, whose `LOWER()` folds only ASCII under the C locale (and SQLite's always):
    /// "Đặng" must be found by "đặng" on both engines. Searches compare against it with LIKE;
    /// an administrator's searches are bounded by their subtree and a page, so no index.
    /// `audit_events_unit`: an administrator reads the trail of their subtree only, a path
    /// range on `unit`, in sequence order. `accounts_unit_username` replaces `accounts_unit`:
    /// a province administrator's prefix search then reads, unit by unit of the subtree, only
    /// the usernames in the prefix range, instead of every account with the prefix nationwide.
    static let accountSearchSchema = """
        ALTER TABLE accounts ADD COLUMN display_name_folded TEXT NOT NULL DEFAULT '';
        CREATE INDEX audit_events_unit ON audit_events (unit, sequence);
        CREATE INDEX accounts_unit_username ON accounts (unit_id, username);
        DROP INDEX accounts_unit;
        """
}

/// Renders the parts of an ``AccountQuery`` that come from outside (an administrator's reach,
/// a SCIM filter tree, the sort order) as SQL with bound parameters. Values are only ever
/// parameters; the SQL text is built from the closed set of fields below, so a filter cannot
/// inject SQL (RFC 7644 §7.6).
struct SQLAccountSearch {
    /// The account columns each field compares, already folded where the field is not
    /// case-exact: usernames are stored folded; display names have a folded copy. An
    /// account's `externalId` is its directory's external id, else the id a provisioning
    /// client gave it (as `SCIMUserResource` renders it).
    static func column(_ field: SCIMStoreField) -> String {
        switch field {
        case .id: "a.id"
        case .username: "a.username"
        case .displayName: "a.display_name_folded"
        case .email: "LOWER(a.email)"
        case .externalID: "COALESCE(a.external_id, a.provisioning_id)"
        case .active: "a.status"
        case .unitPath: "u.path"
        }
    }

    /// Whether rendering `query` needs the units table joined (as `u`).
    static func needsUnits(_ query: SCIMStoreQuery) -> Bool {
        switch query {
        case .equals(let f, _), .startsWith(let f, _), .endsWith(let f, _), .contains(let f, _), .present(let f): f == .unitPath
        case .and(let qs), .or(let qs): qs.contains(where: needsUnits)
        case .not(let q): needsUnits(q)
        }
    }

    /// `query` as a boolean SQL expression whose parameters are bound into `filter`. A NULL
    /// field compares as false, and `not` treats unknown as false (`NOT COALESCE(…, FALSE)`),
    /// as ``SCIMStoreQuery/not(_:)`` requires.
    static func render(_ query: SCIMStoreQuery, into filter: inout SQLFilter) -> String {
        switch query {
        case .equals(.active, let value):
            let active = if case .bool(let b) = value { b } else { false }
            return "a.status \(active ? "=" : "<>") \(filter.bind(.text(AccountStatus.active.rawValue)))"
        case .equals(.externalID, let value):
            // The COALESCE of `column(.externalID)` spelt as an OR whose arms each have an index.
            guard case .text(let text) = value else { return "1 = 0" }
            let directory = filter.bind(.text(text)), provisioning = filter.bind(.text(text))
            return "(a.external_id = \(directory) OR (a.external_id IS NULL AND a.provisioning_id = \(provisioning)))"
        case .equals(let field, let value):
            guard case .text(let text) = value else { return "1 = 0" }
            return "\(column(field)) = \(filter.bind(.text(text)))"
        case .startsWith(let field, let text):
            return like(field, pattern: escape(text) + "%", into: &filter)
        case .endsWith(let field, let text):
            return like(field, pattern: "%" + escape(text), into: &filter)
        case .contains(let field, let text):
            return like(field, pattern: "%" + escape(text) + "%", into: &filter)
        case .present(let field):
            if field == .active { return "1 = 1" }
            return "(\(column(field)) IS NOT NULL AND \(column(field)) <> '')"
        case .and(let parts):
            return parts.isEmpty ? "1 = 1" : "(" + parts.map { render($0, into: &filter) }.joined(separator: " AND ") + ")"
        case .or(let parts):
            return parts.isEmpty ? "1 = 0" : "(" + parts.map { render($0, into: &filter) }.joined(separator: " OR ") + ")"
        case .not(let inner):
            return "NOT COALESCE(\(render(inner, into: &filter)), FALSE)"
        }
    }

    private static func like(_ field: SCIMStoreField, pattern: String, into filter: inout SQLFilter) -> String {
        "\(column(field)) LIKE \(filter.bind(.text(pattern))) ESCAPE '!'"
    }

    /// Escapes LIKE's wildcards and the escape character itself, so `%` and `_` in a search
    /// are plain characters.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "%" || c == "_" || c == "!" { out.append("!") }
            out.append(c)
        }
        return out
    }

    /// A condition true for units in any of `subtrees` (on the unit path column `column`).
    static func within(_ subtrees: [UnitPath], column: String, into filter: inout SQLFilter) -> String {
        if subtrees.isEmpty { return "1 = 0" }
        if subtrees.contains(where: \.isRoot) { return "1 = 1" }
        let parts = subtrees.map { subtree -> String in
            let path = subtree.description
            let exact = filter.bind(.text(path)), low = filter.bind(.text(path + "/")), high = filter.bind(.text(path + "0"))
            return "(\(column) = \(exact) OR (\(column) >= \(low) AND \(column) < \(high)))"
        }
        return "(" + parts.joined(separator: " OR ") + ")"
    }

    /// Migration 8's data step: the folded copy of every existing display name.
    static let backfillFoldedNames: @Sendable (any SQLConnection, Int64) throws(SQLError) -> Void = { connection, _ throws(SQLError) in
        for row in try connection.query("SELECT id, display_name FROM accounts", []) {
            guard case .text(let id) = row["id"], case .text(let name) = row["display_name"] else { continue }
            try connection.execute("UPDATE accounts SET display_name_folded = $1 WHERE id = $2", [.text(fold(name)), .text(id)])
        }
    }

    /// How display names are folded for search, and search text with them.
    static func fold(_ text: String) -> String { Text.nfc(text).lowercased() }

    /// `ORDER BY` for the query's sort: the chosen field, then the username so pages are stable.
    static func order(_ query: AccountQuery) -> String {
        let direction = query.descending ? "DESC" : "ASC"
        let field = query.sortBy == .active ? "a.status" : column(query.sortBy)
        if query.sortBy == .username { return "ORDER BY a.username \(direction)" }
        // NULLs last in either direction, the same on both engines.
        return "ORDER BY (\(field) IS NULL), \(field) \(direction), a.username ASC"
    }
}

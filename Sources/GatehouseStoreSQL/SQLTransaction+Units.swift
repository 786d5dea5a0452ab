import Foundation
import GatehouseCore
import GatehouseStore

/// Builds a WHERE clause from fixed fragments, numbering the parameters as they are added.
/// Only placeholders (`$n`) are ever spliced into the SQL text; values go in `parameters`.
struct SQLFilter {
    private(set) var conditions: [String] = []
    private(set) var parameters: [SQLValue] = []

    /// Adds `value` as the next parameter and returns its placeholder.
    mutating func bind(_ value: SQLValue) -> String {
        parameters.append(value)
        return "$\(parameters.count)"
    }

    mutating func add(_ condition: String) { conditions.append(condition) }

    /// `WHERE …` or the empty string.
    var whereClause: String { conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ") }

    /// Restricts `column` (a unit path column) to `subtree`: the path itself or anything
    /// under `path/`, as the byte range [`path/`, `path0`) ('0' follows '/'), which the
    /// path index serves. The root's subtree is everything.
    mutating func subtree(_ column: String, _ subtree: UnitPath) {
        guard !subtree.isRoot else { return }
        let path = subtree.description
        let exact = bind(.text(path)), low = bind(.text(path + "/")), high = bind(.text(path + "0"))
        add("(\(column) = \(exact) OR (\(column) >= \(low) AND \(column) < \(high)))")
    }
}

extension SQLTransaction {
    static let unitColumns = "id, path, name, parent_id, code, created_at, updated_at"

    func decodeUnit(_ row: SQLRow) throws(StoreError) -> OrgUnit {
        let r = RowReader(row, "unit")
        return OrgUnit(
            id: try r.uuid("id"), path: try r.path("path"), name: try r.text("name"), parentID: try r.optionalUUID("parent_id"),
            code: r.optionalText("code"), createdAt: try r.time("created_at"), updatedAt: try r.time("updated_at"))
    }

    func unit(id: UUID) throws -> OrgUnit { try unitOrNotFound(id: id) }

    func unitOrNotFound(id: UUID) throws(StoreError) -> OrgUnit {
        let rows = try query("SELECT \(Self.unitColumns) FROM units WHERE id = $1", [.uuid(id)])
        guard let row = rows.first else { throw StoreError.notFound("unit \(id.lowercasedString)") }
        return try decodeUnit(row)
    }

    func unit(path: UnitPath) throws -> OrgUnit {
        let rows = try query("SELECT \(Self.unitColumns) FROM units WHERE path = $1", [.text(path.description)])
        guard let row = rows.first else { throw StoreError.notFound("unit \(path)") }
        return try decodeUnit(row)
    }

    func units(in subtree: UnitPath, page: Page) throws -> [OrgUnit] {
        var filter = SQLFilter()
        filter.subtree("path", subtree)
        let limit = filter.bind(.int(Int64(page.limit))), offset = filter.bind(.int(Int64(page.offset)))
        let rows = try query("SELECT \(Self.unitColumns) FROM units\(filter.whereClause) ORDER BY path LIMIT \(limit) OFFSET \(offset)", filter.parameters)
        return try rows.map(decodeUnit)
    }

    func countUnits(in subtree: UnitPath) throws -> Int {
        var filter = SQLFilter()
        filter.subtree("path", subtree)
        return try count("SELECT COUNT(*) AS n FROM units\(filter.whereClause)", filter.parameters)
    }

    func insertUnit(_ unit: OrgUnit) throws {
        guard let expectedParent = unit.path.parent else { throw StoreError.alreadyExists("unit /") }
        guard let parentID = unit.parentID else { throw StoreError.invalid("unit \(unit.path) needs a parent unit") }
        let parentRows = try query("SELECT path FROM units WHERE id = $1", [.uuid(parentID)])
        guard let parentRow = parentRows.first else {
            throw StoreError.invalid("parent unit \(parentID.lowercasedString) of \(unit.path) does not exist")
        }
        let parentPath = try RowReader(parentRow, "unit").path("path")
        guard parentPath == expectedParent else {
            throw StoreError.invalid("unit \(unit.path) belongs under \(expectedParent), but its parent is \(parentPath)")
        }
        let path = unit.path
        try execute(
            "INSERT INTO units (id, path, depth, name, parent_id, code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            [.uuid(unit.id), .text(path.description), .int(Int64(path.depth)), .text(unit.name), .uuid(parentID), .textOrNull(unit.code),
             .time(unit.createdAt), .time(unit.updatedAt)],
            Meaning(duplicate: { $0.message.contains("path") ? "unit \(path)" : "unit \(unit.id.lowercasedString)" },
                    missingReference: "parent unit \(parentID.lowercasedString) of \(path) does not exist"))
    }

    func updateUnit(_ unit: OrgUnit) throws -> OrgUnit {
        let stored = try unitOrNotFound(id: unit.id)
        guard stored.path == unit.path, stored.parentID == unit.parentID else {
            throw StoreError.invalid("unit \(stored.path): the path and parent change only by moving the unit")
        }
        var updated = unit
        updated.createdAt = stored.createdAt
        updated.updatedAt = now()
        try execute(
            "UPDATE units SET name = $2, code = $3, updated_at = $4 WHERE id = $1",
            [.uuid(unit.id), .text(updated.name), .textOrNull(updated.code), .time(updated.updatedAt)])
        return updated
    }

    func deleteUnit(id: UUID) throws {
        let unit = try unitOrNotFound(id: id)
        guard !unit.path.isRoot else { throw StoreError.invalid("the root unit / cannot be deleted") }
        let children = try count("SELECT COUNT(*) AS n FROM units WHERE parent_id = $1", [.uuid(id)])
        let accounts = try count("SELECT COUNT(*) AS n FROM accounts WHERE unit_id = $1", [.uuid(id)])
        let grants = try count("SELECT COUNT(*) AS n FROM role_grants WHERE unit_id = $1", [.uuid(id)])
        let clients = try query("SELECT id FROM clients WHERE unit_id = $1 ORDER BY id", [.uuid(id)])
            .map { (row) throws(StoreError) -> String in try RowReader(row, "client").text("id") }
        var holds: [String] = []
        if children > 0 { holds.append(children == 1 ? "1 child unit" : "\(children) child units") }
        if accounts > 0 { holds.append(accounts == 1 ? "1 account" : "\(accounts) accounts") }
        if grants > 0 { holds.append(grants == 1 ? "1 role grant" : "\(grants) role grants") }
        if !clients.isEmpty { holds.append(Self.clientList(clients)) }
        guard holds.isEmpty else {
            throw StoreError.invalid("unit \(unit.path) still has \(holds.joined(separator: ", ")); move or remove them first")
        }
        try execute("DELETE FROM units WHERE id = $1", [.uuid(id)],
                    Meaning(missingReference: "unit \(unit.path) is still referenced"))
    }

    /// `1 client 'a'` or `3 clients 'a', 'b', 'c'`, naming at most five.
    static func clientList(_ ids: [String]) -> String {
        let named = ids.prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (ids.count > 5 ? ", …" : "")
        return ids.count == 1 ? "1 client \(named)" : "\(ids.count) clients \(named)"
    }

    func moveUnit(id: UUID, toParent newParentID: UUID, slug: String?) throws -> OrgUnit {
        let unit = try unitOrNotFound(id: id)
        guard let oldSlug = unit.path.slug else { throw StoreError.invalid("the root unit / cannot be moved") }
        let parent = try unitOrNotFound(id: newParentID)
        guard !unit.path.contains(parent.path) else {
            throw StoreError.invalid("unit \(unit.path) cannot move under \(parent.path), which is inside its own subtree")
        }
        let newSlug = slug ?? oldSlug
        guard UnitPath.isValidSlug(newSlug) else {
            throw StoreError.invalid("slug '\(newSlug)' must be 1-63 lowercase letters, digits or hyphens")
        }
        // The deepest unit of the subtree must stay within commune level.
        var filter = SQLFilter()
        filter.subtree("path", unit.path)
        let rows = try query("SELECT MAX(depth) AS deepest FROM units\(filter.whereClause)", filter.parameters)
        let deepest = rows.first.flatMap { RowReader($0, "unit").optionalInt("deepest") }.map(Int.init) ?? unit.path.depth
        let newDepth = parent.path.depth + 1
        let delta = newDepth - unit.path.depth
        guard deepest + delta <= UnitPath.maxDepth else {
            throw StoreError.invalid(
                "moving \(unit.path) under \(parent.path) would put its subtree below commune level (at most \(UnitPath.maxDepth) levels under /)")
        }
        let newPath: UnitPath
        do { newPath = try parent.path.appending(newSlug) } catch { throw StoreError.invalid(error.description) }
        if newPath == unit.path { return unit }
        let taken = try query("SELECT id FROM units WHERE path = $1", [.text(newPath.description)])
        guard taken.isEmpty else { throw StoreError.alreadyExists("unit \(newPath)") }

        // One statement rewrites the unit and every descendant: new prefix + the rest of the path.
        let time = now()
        var rewrite = SQLFilter()
        let prefix = rewrite.bind(.text(newPath.description))
        let rest = rewrite.bind(.int(Int64(unit.path.description.utf8.count + 1)))
        let shift = rewrite.bind(.int(Int64(delta)))
        let stamp = rewrite.bind(.time(time))
        rewrite.subtree("path", unit.path)
        try execute(
            "UPDATE units SET path = CAST(\(prefix) AS TEXT) || substr(path, CAST(\(rest) AS INTEGER)), depth = depth + CAST(\(shift) AS INTEGER), updated_at = \(stamp)\(rewrite.whereClause)",
            rewrite.parameters, Meaning(duplicate: { _ in "unit \(newPath)" }))
        try execute("UPDATE units SET parent_id = $2 WHERE id = $1", [.uuid(id), .uuid(newParentID)],
                    Meaning(missingReference: "unit \(newParentID.lowercasedString) does not exist"))
        var moved = unit
        moved.path = newPath
        moved.parentID = newParentID
        moved.updatedAt = time
        return moved
    }
}

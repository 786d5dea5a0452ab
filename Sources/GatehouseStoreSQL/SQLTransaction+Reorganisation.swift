import Foundation
import GatehouseCore
import GatehouseStore

// Unit merges and the audit trail of a subtree: what delegated administration reads and does.
extension SQLTransaction {
    func mergeUnit(id: UUID, into targetID: UUID) throws -> UnitMergeCounts {
        let unit = try unitOrNotFound(id: id)
        let target = try unitOrNotFound(id: targetID)
        guard !unit.path.isRoot else { throw StoreError.invalid("the root unit / cannot be merged into another") }
        guard unit.id != target.id else { throw StoreError.invalid("unit \(unit.path) cannot be merged into itself") }
        guard unit.path.depth == target.path.depth else {
            throw StoreError.invalid(
                "unit \(unit.path) (\(unit.level.rawValue)) can be merged only into a unit of the same level, not \(target.path) (\(target.level.rawValue))")
        }
        var counts = UnitMergeCounts()
        // Children first: each keeps its slug under the target, so a clash is refused here,
        // before anything else has moved (the caller's transaction undoes the rest anyway).
        let children = try query("SELECT \(Self.unitColumns) FROM units WHERE parent_id = $1 ORDER BY path", [.uuid(id)]).map(decodeUnit)
        for child in children { _ = try moveUnit(id: child.id, toParent: targetID, slug: nil) }
        counts.children = children.count
        counts.accounts = try execute(
            "UPDATE accounts SET unit_id = $2, updated_at = $3, version = version + 1 WHERE unit_id = $1",
            [.uuid(id), .uuid(targetID), .time(now())])
        // A grant the account already holds at the target would break role_grants_unique.
        counts.grantsDropped = try execute(
            """
            DELETE FROM role_grants WHERE unit_id = $1 AND EXISTS (
                SELECT 1 FROM role_grants t WHERE t.unit_id = $2 AND t.account_id = role_grants.account_id AND t.role = role_grants.role)
            """, [.uuid(id), .uuid(targetID)])
        counts.grantsMoved = try execute("UPDATE role_grants SET unit_id = $2 WHERE unit_id = $1", [.uuid(id), .uuid(targetID)])
        counts.clientsMoved = try execute(
            "UPDATE clients SET unit_id = $2, updated_at = $3 WHERE unit_id = $1", [.uuid(id), .uuid(targetID), .time(now())])
        try deleteUnit(id: id)
        return counts
    }

    func auditEvents(within subtrees: [UnitPath], after sequence: Int64, limit: Int) throws -> [AuditEvent] {
        if subtrees.contains(where: \.isRoot) { return try auditEvents(after: sequence, limit: limit) }
        guard !subtrees.isEmpty else { return [] }
        var filter = SQLFilter()
        filter.add("sequence > \(filter.bind(.int(sequence)))")
        filter.add(SQLAccountSearch.within(subtrees, column: "unit", into: &filter))
        let limit = filter.bind(.int(Int64(max(0, limit))))
        return try query("SELECT \(Self.auditColumns) FROM audit_events\(filter.whereClause) ORDER BY sequence LIMIT \(limit)",
                         filter.parameters).map(decodeAuditEvent)
    }
}

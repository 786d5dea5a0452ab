import Foundation
import GatehouseCore
import GatehouseStore

extension SQLTransaction: StoreWriter {}

extension SQLTransaction {
    static let auditColumns = "sequence, action, actor, target, unit, client_id, source_ip, result, detail, time, previous_hash, hash"

    func decodeAuditEvent(_ row: SQLRow) throws(StoreError) -> AuditEvent {
        let r = RowReader(row, "audit event")
        let record = AuditRecord(
            action: try r.text("action"), actor: try r.text("actor"), target: r.optionalText("target"), unit: try r.optionalPath("unit"),
            clientID: r.optionalText("client_id"), sourceIP: r.optionalText("source_ip"), result: try r.enumeration("result"),
            detail: try r.json("detail"), time: try r.time("time"))
        return AuditEvent(sequence: try r.int("sequence"), record: record, previousHash: try r.text("previous_hash"), hash: try r.text("hash"))
    }

    func auditEvents(after sequence: Int64, limit: Int) throws -> [AuditEvent] {
        try query(
            "SELECT \(Self.auditColumns) FROM audit_events WHERE sequence > $1 ORDER BY sequence LIMIT $2",
            [.int(sequence), .int(Int64(max(0, limit)))]
        ).map(decodeAuditEvent)
    }

    func lastAuditEvent() throws -> AuditEvent? {
        try query("SELECT \(Self.auditColumns) FROM audit_events ORDER BY sequence DESC LIMIT 1", []).first.map(decodeAuditEvent)
    }

    /// Appends to the chain. A transaction's first append reads the one-row head with a row
    /// lock (`FOR UPDATE` on PostgreSQL; SQLite's writer lock already orders writers), which
    /// holds until the transaction ends: a concurrent appender waits there, then fails to
    /// serialize and is retried by `SQLStore.write`. Later appends in the same transaction
    /// continue from the head kept here, and `commit()` writes it back once
    /// (``flushAuditHead()``): updating the row per event left PostgreSQL a chain of row
    /// versions to walk that grew with every append of a long transaction.
    func appendAudit(_ record: AuditRecord) throws -> AuditEvent {
        appendedAudit = true
        let previous: (sequence: Int64, hash: String)
        if let head = auditHead {
            previous = head
        } else {
            let lock = dialect == .postgres ? " FOR UPDATE" : ""
            let rows = try query("SELECT sequence, hash FROM audit_head WHERE id = 1\(lock)", [])
            guard let row = rows.first else { throw StoreError.unavailable("the audit head row is missing") }
            let r = RowReader(row, "audit head")
            previous = (try r.int("sequence"), try r.text("hash"))
        }
        let sequence = previous.sequence + 1
        var stored = record
        stored.time = record.time.storedPrecision
        let hash = AuditChain.hash(previousHash: previous.hash, record: stored, sequence: sequence)
        try execute(
            "INSERT INTO audit_events (\(Self.auditColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            [.int(sequence), .text(stored.action), .text(stored.actor), .textOrNull(stored.target), .textOrNull(stored.unit?.description),
             .textOrNull(stored.clientID), .textOrNull(stored.sourceIP), .text(stored.result.rawValue), .json(stored.detail),
             .time(stored.time), .text(previous.hash), .text(hash)],
            Meaning(duplicate: { _ in "audit event \(sequence)" }))
        auditHead = (sequence, hash)
        return AuditEvent(sequence: sequence, record: stored, previousHash: previous.hash, hash: hash)
    }

    /// Writes the head this transaction moved back to its row; `commit()` calls it.
    func flushAuditHead() throws(StoreError) {
        guard let head = auditHead else { return }
        try execute("UPDATE audit_head SET sequence = $1, hash = $2 WHERE id = 1", [.int(head.sequence), .text(head.hash)])
        auditHead = nil
    }
}

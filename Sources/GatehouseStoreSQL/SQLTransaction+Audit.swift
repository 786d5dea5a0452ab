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

    /// Appends to the chain. The first statement moves the one-row head forward, which locks
    /// it until the transaction ends: a concurrent appender waits there (SQLite's writer lock
    /// already orders them; on PostgreSQL the waiter then fails to serialize and is retried
    /// by `SQLStore.write`). The head's old hash is the previous event's hash.
    func appendAudit(_ record: AuditRecord) throws -> AuditEvent {
        appendedAudit = true
        let head = try query("UPDATE audit_head SET sequence = sequence + 1 WHERE id = 1 RETURNING sequence, hash", [])
        guard let row = head.first else { throw StoreError.unavailable("the audit head row is missing") }
        let r = RowReader(row, "audit head")
        let sequence = try r.int("sequence")
        let previousHash = try r.text("hash")
        var stored = record
        stored.time = record.time.storedPrecision
        let hash = AuditChain.hash(previousHash: previousHash, record: stored, sequence: sequence)
        try execute(
            "INSERT INTO audit_events (\(Self.auditColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            [.int(sequence), .text(stored.action), .text(stored.actor), .textOrNull(stored.target), .textOrNull(stored.unit?.description),
             .textOrNull(stored.clientID), .textOrNull(stored.sourceIP), .text(stored.result.rawValue), .json(stored.detail),
             .time(stored.time), .text(previousHash), .text(hash)],
            Meaning(duplicate: { _ in "audit event \(sequence)" }))
        try execute("UPDATE audit_head SET hash = $1 WHERE id = 1", [.text(hash)])
        return AuditEvent(sequence: sequence, record: stored, previousHash: previousHash, hash: hash)
    }
}

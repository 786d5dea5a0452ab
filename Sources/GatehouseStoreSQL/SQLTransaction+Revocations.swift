import Foundation
import GatehouseCore
import GatehouseStore

extension SQLSchema {
    /// Version 4: the revocation feed that applications verifying tokens offline poll.
    ///
    /// - `revocation_events`: one row per event, numbered by `sequence`, kept until `expires_at`
    ///   (the index serves the prune).
    /// - `revocation_head`: one row holding the last sequence ever assigned. Every append moves
    ///   it forward in the appending transaction, which locks the row until that transaction
    ///   ends, so appenders commit in sequence order. A sequence or `bigserial` would not do:
    ///   there, sequence 10 may commit before 9, and a reader that saw 10 would never look back
    ///   for 9. The head also keeps the feed's latest sequence when pruning empties the table.
    static let revocationFeedSchema = """
        CREATE TABLE revocation_events (
            sequence {INT64} PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('sid', 'sub', 'jti', 'gid')),
            value TEXT NOT NULL,
            time {INT64} NOT NULL,
            expires_at {INT64} NOT NULL
        );
        CREATE INDEX revocation_events_expiry ON revocation_events (expires_at);

        CREATE TABLE revocation_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            sequence {INT64} NOT NULL
        );
        """
}

// The revocation feed: appended in the transaction of the change it announces, read by
// `POST /revocations`, pruned once events expire.
extension SQLTransaction {
    static let revocationColumns = "sequence, kind, value, time, expires_at"

    func decodeRevocation(_ row: SQLRow) throws(StoreError) -> RevocationEvent {
        let r = RowReader(row, "revocation event")
        return RevocationEvent(
            sequence: try r.int("sequence"), kind: try r.enumeration("kind"), value: try r.text("value"), time: try r.time("time"),
            expiresAt: try r.time("expires_at"))
    }

    func revocations(after sequence: Int64, limit: Int) throws -> [RevocationEvent] {
        try query(
            "SELECT \(Self.revocationColumns) FROM revocation_events WHERE sequence > $1 ORDER BY sequence LIMIT $2",
            [.int(sequence), .int(Int64(max(0, min(limit, 10_000))))]
        ).map(decodeRevocation)
    }

    func revocationBounds() throws -> (oldest: Int64, latest: Int64) {
        let rows = try query(
            "SELECT (SELECT MIN(sequence) FROM revocation_events) AS oldest, (SELECT sequence FROM revocation_head WHERE id = 1) AS latest",
            [])
        guard let row = rows.first else { throw StoreError.unavailable("the revocation head row is missing") }
        let r = RowReader(row, "revocation head")
        guard let latest = r.optionalInt("latest") else { throw StoreError.unavailable("the revocation head row is missing") }
        return (r.optionalInt("oldest") ?? 0, latest)
    }

    /// The first statement moves the one-row head forward and locks it until the transaction
    /// ends: a concurrent appender waits there (SQLite's writer lock already orders them; on
    /// PostgreSQL the waiter then fails to serialize and `SQLStore.write` runs it again, taking
    /// the head's lock before its snapshot). So sequence N+1 never commits before N.
    func appendRevocation(kind: RevocationEvent.Kind, value: String, time: Date, expires: Date) throws -> Int64 {
        guard !value.isEmpty else { throw StoreError.invalid("a revocation event needs a value") }
        appendedRevocation = true
        let head = try query("UPDATE revocation_head SET sequence = sequence + 1 WHERE id = 1 RETURNING sequence", [])
        guard let row = head.first else { throw StoreError.unavailable("the revocation head row is missing") }
        let sequence = try RowReader(row, "revocation head").int("sequence")
        try execute(
            "INSERT INTO revocation_events (\(Self.revocationColumns)) VALUES ($1, $2, $3, $4, $5)",
            [.int(sequence), .text(kind.rawValue), .text(value), .time(time), .time(expires)],
            Meaning(duplicate: { _ in "revocation event \(sequence)" }))
        return sequence
    }

    func deleteExpiredRevocations(before time: Date) throws -> Int {
        try execute("DELETE FROM revocation_events WHERE expires_at < $1", [.time(time)])
    }
}

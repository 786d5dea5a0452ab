import Foundation
import GatehouseCore
import GatehouseStore

extension SQLSchema {
    /// Version 3: back-channel logout deliveries (OIDC Back-Channel Logout 1.0 §2.5), queued by
    /// the logout and worked off by whichever node leases them.
    ///
    /// - `logout_token` is kept only while the delivery is pending (the CHECK makes a finished
    ///   row without it the only kind there is).
    /// - `lease_id`/`leased_until`: the node attempting the delivery and until when. A lease is
    ///   taken by one conditional UPDATE, which PostgreSQL (row locks, SERIALIZABLE) and SQLite
    ///   (one writer) both make exclusive, so one node at a time sends a delivery.
    /// - No foreign key to `clients`: a delivery is a record of what was sent; the worker checks
    ///   the client still registers the URI before each attempt.
    static let backchannelSchema = """
        CREATE TABLE backchannel_deliveries (
            id TEXT PRIMARY KEY,
            client_id {KEY} NOT NULL,
            uri TEXT NOT NULL,
            logout_token TEXT,
            subject TEXT,
            session_id TEXT,
            status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
            attempts INTEGER NOT NULL CHECK (attempts >= 0),
            created_at {INT64} NOT NULL,
            next_attempt_at {INT64} NOT NULL,
            expires_at {INT64} NOT NULL,
            last_attempt_at {INT64},
            last_error TEXT,
            delivered_at {INT64},
            lease_id TEXT,
            leased_until {INT64},
            CONSTRAINT backchannel_deliveries_token_only_while_pending CHECK ((status = 'pending') = (logout_token IS NOT NULL))
        );
        CREATE INDEX backchannel_deliveries_due ON backchannel_deliveries (next_attempt_at) WHERE status = 'pending';
        CREATE INDEX backchannel_deliveries_created ON backchannel_deliveries (created_at);
        """
}

// Back-channel logout deliveries. Messages never include the logout token.
extension SQLTransaction {
    static let backchannelColumns = """
        id, client_id, uri, logout_token, subject, session_id, status, attempts, created_at, next_attempt_at, expires_at, \
        last_attempt_at, last_error, delivered_at, lease_id, leased_until
        """

    func decodeBackchannelDelivery(_ row: SQLRow) throws(StoreError) -> BackchannelDelivery {
        let r = RowReader(row, "back-channel delivery")
        return BackchannelDelivery(
            id: try r.uuid("id"), clientID: try r.text("client_id"), uri: try r.text("uri"), logoutToken: r.optionalText("logout_token"),
            subject: r.optionalText("subject"), sessionID: r.optionalText("session_id"), status: try r.enumeration("status"),
            attempts: Int(try r.int("attempts")), createdAt: try r.time("created_at"), nextAttemptAt: try r.time("next_attempt_at"),
            expiresAt: try r.time("expires_at"), lastAttemptAt: r.optionalTime("last_attempt_at"), lastError: r.optionalText("last_error"),
            deliveredAt: r.optionalTime("delivered_at"), leaseID: try r.optionalUUID("lease_id"), leasedUntil: r.optionalTime("leased_until"))
    }

    func backchannelDelivery(id: UUID) throws -> BackchannelDelivery {
        let rows = try query("SELECT \(Self.backchannelColumns) FROM backchannel_deliveries WHERE id = $1", [.uuid(id)])
        guard let row = rows.first else { throw StoreError.notFound("back-channel delivery \(id.lowercasedString)") }
        return try decodeBackchannelDelivery(row)
    }

    func backchannelDeliveries(status: BackchannelDeliveryStatus?, page: Page) throws -> [BackchannelDelivery] {
        let filter = status == nil ? "" : "WHERE status = $3"
        var parameters: [SQLValue] = [.int(Int64(page.limit)), .int(Int64(page.offset))]
        if let status { parameters.append(.text(status.rawValue)) }
        return try query(
            "SELECT \(Self.backchannelColumns) FROM backchannel_deliveries \(filter) ORDER BY created_at, id LIMIT $1 OFFSET $2",
            parameters
        ).map(decodeBackchannelDelivery)
    }

    func countBackchannelDeliveries(status: BackchannelDeliveryStatus?) throws -> Int {
        if let status {
            return try count("SELECT COUNT(*) AS n FROM backchannel_deliveries WHERE status = $1", [.text(status.rawValue)])
        }
        return try count("SELECT COUNT(*) AS n FROM backchannel_deliveries", [])
    }

    func insertBackchannelDelivery(_ delivery: BackchannelDelivery) throws {
        guard (delivery.status == .pending) == (delivery.logoutToken != nil) else {
            throw StoreError.invalid(delivery.status == .pending
                ? "a pending back-channel delivery needs its logout token"
                : "a \(delivery.status.rawValue) back-channel delivery must not keep its logout token")
        }
        guard delivery.attempts >= 0 else { throw StoreError.invalid("a back-channel delivery cannot have made \(delivery.attempts) attempts") }
        let d = delivery
        try execute(
            "INSERT INTO backchannel_deliveries (\(Self.backchannelColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULL, NULL)",
            [.uuid(d.id), .text(d.clientID), .text(d.uri), .textOrNull(d.logoutToken), .textOrNull(d.subject), .textOrNull(d.sessionID),
             .text(d.status.rawValue), .int(Int64(d.attempts)), .time(d.createdAt), .time(d.nextAttemptAt), .time(d.expiresAt),
             .time(d.lastAttemptAt), .textOrNull(d.lastError), .time(d.deliveredAt)],
            Meaning(duplicate: { _ in "back-channel delivery \(d.id.lowercasedString)" }))
    }

    func leaseBackchannelDeliveries(dueAt time: Date, leaseID: UUID, leasedUntil: Date, limit: Int) throws -> [BackchannelDelivery] {
        guard limit > 0 else { return [] }
        // One statement: the rows it picks are the rows it leases. On PostgreSQL a concurrent
        // leaser of the same rows waits for the row locks and then fails to serialize; the
        // store re-runs it, and it then sees them leased. SQLite runs one writer at a time.
        let rows = try query(
            """
            UPDATE backchannel_deliveries SET lease_id = $1, leased_until = $2
            WHERE id IN (
                SELECT id FROM backchannel_deliveries
                WHERE status = 'pending' AND next_attempt_at <= $3 AND (leased_until IS NULL OR leased_until < $3)
                ORDER BY next_attempt_at, id
                LIMIT $4)
            RETURNING \(Self.backchannelColumns)
            """,
            [.uuid(leaseID), .time(leasedUntil), .time(time), .int(Int64(min(limit, 10_000)))])
        return try rows.map(decodeBackchannelDelivery).sorted { ($0.nextAttemptAt, $0.id.uuidString) < ($1.nextAttemptAt, $1.id.uuidString) }
    }

    func recordBackchannelAttempt(_ delivery: BackchannelDelivery, leaseID: UUID) throws -> Bool {
        guard delivery.attempts >= 0 else { throw StoreError.invalid("a back-channel delivery cannot have made \(delivery.attempts) attempts") }
        let d = delivery
        let changed = try execute(
            """
            UPDATE backchannel_deliveries SET
                status = $3, attempts = $4, next_attempt_at = $5, last_attempt_at = $6, last_error = $7, delivered_at = $8,
                logout_token = CASE WHEN $3 = 'pending' THEN logout_token ELSE NULL END,
                lease_id = NULL, leased_until = NULL
            WHERE id = $1 AND lease_id = $2
            """,
            [.uuid(d.id), .uuid(leaseID), .text(d.status.rawValue), .int(Int64(d.attempts)), .time(d.nextAttemptAt),
             .time(d.lastAttemptAt), .textOrNull(d.lastError), .time(d.deliveredAt)])
        return changed > 0
    }

    func deleteFinishedBackchannelDeliveries(createdBefore time: Date) throws -> Int {
        try execute("DELETE FROM backchannel_deliveries WHERE status <> 'pending' AND created_at < $1", [.time(time)])
    }
}

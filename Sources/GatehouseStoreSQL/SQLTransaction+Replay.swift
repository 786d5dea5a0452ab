import Foundation
import GatehouseCore
import GatehouseStore

// What the protocol engine remembers to refuse replays: client-assertion `jti`s (RFC 7523 §3)
// and revoked access-token `jti`s (RFC 7009). Both are upserts that report what they did
// through the row count, so a replay is an answer, never a database error that would end
// the transaction.
extension SQLTransaction {
    func recordClientAssertion(clientID: String, jti: String, expiresAt: Date, at time: Date) throws -> Bool {
        let changed = try execute(
            """
            INSERT INTO client_assertions (client_id, jti, expires_at) VALUES ($1, $2, $3)
            ON CONFLICT (client_id, jti) DO UPDATE SET expires_at = excluded.expires_at
            WHERE client_assertions.expires_at <= $4
            """,
            [.text(clientID), .text(jti), .time(expiresAt), .time(time)],
            Meaning(missingReference: "client assertion of client '\(clientID)', which does not exist"))
        return changed > 0
    }

    func deleteExpiredClientAssertions(before time: Date) throws -> Int {
        try execute("DELETE FROM client_assertions WHERE expires_at < $1", [.time(time)])
    }

    func isAccessTokenRevoked(jti: String) throws -> Bool {
        try !query("SELECT 1 AS revoked FROM revoked_access_tokens WHERE jti = $1", [.text(jti)]).isEmpty
    }

    func revokeAccessToken(jti: String, expiresAt: Date) throws {
        try execute(
            """
            INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ($1, $2)
            ON CONFLICT (jti) DO UPDATE SET expires_at = excluded.expires_at
            WHERE revoked_access_tokens.expires_at < excluded.expires_at
            """,
            [.text(jti), .time(expiresAt)])
    }

    func deleteExpiredAccessTokenRevocations(before time: Date) throws -> Int {
        try execute("DELETE FROM revoked_access_tokens WHERE expires_at < $1", [.time(time)])
    }
}

import Foundation
import GatehouseCore
import GatehouseStore

// Authorization codes, SSO sessions, refresh families and consents. Messages never include
// a code or session hash: "authorization code" and "SSO session" are enough to act on.
extension SQLTransaction {
    // MARK: Authorization codes

    static let codeColumns = """
        code_hash, client_id, account_id, session_id, redirect_uri, scope, nonce, code_challenge, auth_time, acr, amr, \
        created_at, expires_at, consumed_at
        """

    func decodeCode(_ row: SQLRow) throws(StoreError) -> AuthorizationCode {
        let r = RowReader(row, "authorization code")
        return AuthorizationCode(
            codeHash: try r.text("code_hash"), clientID: try r.text("client_id"), accountID: try r.uuid("account_id"),
            sessionID: try r.text("session_id"), redirectURI: try r.text("redirect_uri"), scope: try r.text("scope"),
            nonce: r.optionalText("nonce"), codeChallenge: try r.text("code_challenge"), authTime: try r.time("auth_time"),
            acr: r.optionalText("acr"), amr: try r.json("amr"), createdAt: try r.time("created_at"),
            expiresAt: try r.time("expires_at"), consumedAt: r.optionalTime("consumed_at"))
    }

    func authorizationCode(hash: String) throws -> AuthorizationCode {
        let rows = try query("SELECT \(Self.codeColumns) FROM authorization_codes WHERE code_hash = $1", [.text(hash)])
        guard let row = rows.first else { throw StoreError.notFound("authorization code") }
        return try decodeCode(row)
    }

    func insertAuthorizationCode(_ code: AuthorizationCode) throws {
        try execute(
            "INSERT INTO authorization_codes (\(Self.codeColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            [.text(code.codeHash), .text(code.clientID), .uuid(code.accountID), .text(code.sessionID), .text(code.redirectURI),
             .text(code.scope), .textOrNull(code.nonce), .text(code.codeChallenge), .time(code.authTime), .textOrNull(code.acr),
             .json(code.amr), .time(code.createdAt), .time(code.expiresAt), .time(code.consumedAt)],
            Meaning(duplicate: { _ in "authorization code" },
                    missingReference: "authorization code for client '\(code.clientID)' or account \(code.accountID.lowercasedString), which does not exist"))
    }

    func consumeAuthorizationCode(hash: String, at time: Date) throws -> AuthorizationCode {
        let rows = try query(
            "UPDATE authorization_codes SET consumed_at = $2 WHERE code_hash = $1 AND consumed_at IS NULL RETURNING \(Self.codeColumns)",
            [.text(hash), .time(time)])
        if let row = rows.first { return try decodeCode(row) }
        let existing = try query("SELECT consumed_at FROM authorization_codes WHERE code_hash = $1", [.text(hash)])
        guard existing.isEmpty else { throw StoreError.conflict("authorization code already used") }
        throw StoreError.notFound("authorization code")
    }

    func deleteExpiredAuthorizationCodes(before time: Date) throws -> Int {
        try execute("DELETE FROM authorization_codes WHERE expires_at < $1", [.time(time)])
    }

    // MARK: Sessions

    static let sessionColumns = "id_hash, account_id, auth_time, last_seen_at, expires_at, acr, amr, clients, revoked_at"

    func decodeSession(_ row: SQLRow) throws(StoreError) -> SSOSession {
        let r = RowReader(row, "session")
        return SSOSession(
            idHash: try r.text("id_hash"), accountID: try r.uuid("account_id"), authTime: try r.time("auth_time"),
            lastSeenAt: try r.time("last_seen_at"), expiresAt: try r.time("expires_at"), acr: r.optionalText("acr"),
            amr: try r.json("amr"), clients: Set(try r.json("clients", as: [String].self)), revokedAt: r.optionalTime("revoked_at"))
    }

    func session(idHash: String) throws -> SSOSession {
        let rows = try query("SELECT \(Self.sessionColumns) FROM sessions WHERE id_hash = $1", [.text(idHash)])
        guard let row = rows.first else { throw StoreError.notFound("SSO session") }
        return try decodeSession(row)
    }

    func sessions(accountID: UUID) throws -> [SSOSession] {
        try query("SELECT \(Self.sessionColumns) FROM sessions WHERE account_id = $1 ORDER BY auth_time, id_hash", [.uuid(accountID)])
            .map(decodeSession)
    }

    func insertSession(_ session: SSOSession) throws {
        try execute(
            "INSERT INTO sessions (\(Self.sessionColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            [.text(session.idHash), .uuid(session.accountID), .time(session.authTime), .time(session.lastSeenAt),
             .time(session.expiresAt), .textOrNull(session.acr), .json(session.amr), .json(session.clients), .time(session.revokedAt)],
            Meaning(duplicate: { _ in "SSO session" },
                    missingReference: "SSO session for account \(session.accountID.lowercasedString), which does not exist"))
    }

    func updateSession(_ session: SSOSession) throws {
        let changed = try execute(
            """
            UPDATE sessions SET account_id = $2, auth_time = $3, last_seen_at = $4, expires_at = $5, acr = $6, amr = $7,
                clients = $8, revoked_at = $9
            WHERE id_hash = $1
            """,
            [.text(session.idHash), .uuid(session.accountID), .time(session.authTime), .time(session.lastSeenAt),
             .time(session.expiresAt), .textOrNull(session.acr), .json(session.amr), .json(session.clients), .time(session.revokedAt)],
            Meaning(missingReference: "SSO session for account \(session.accountID.lowercasedString), which does not exist"))
        guard changed > 0 else { throw StoreError.notFound("SSO session") }
    }

    func revokeSessions(accountID: UUID, at time: Date) throws -> [SSOSession] {
        try query(
            """
            UPDATE sessions SET revoked_at = $2
            WHERE account_id = $1 AND revoked_at IS NULL AND expires_at > $2
            RETURNING \(Self.sessionColumns)
            """,
            [.uuid(accountID), .time(time)]
        ).map(decodeSession)
    }

    func deleteExpiredSessions(before time: Date) throws -> Int {
        try execute("DELETE FROM sessions WHERE expires_at < $1", [.time(time)])
    }

    // MARK: Refresh families

    static let familyColumns = "id, client_id, account_id, session_id, scope, current_token_hash, generation, created_at, expires_at, revoked_at"

    func decodeFamily(_ row: SQLRow) throws(StoreError) -> RefreshFamily {
        let r = RowReader(row, "refresh family")
        return RefreshFamily(
            id: try r.uuid("id"), clientID: try r.text("client_id"), accountID: try r.uuid("account_id"),
            sessionID: r.optionalText("session_id"), scope: try r.text("scope"), currentTokenHash: try r.text("current_token_hash"),
            generation: Int(try r.int("generation")), createdAt: try r.time("created_at"), expiresAt: try r.time("expires_at"),
            revokedAt: r.optionalTime("revoked_at"))
    }

    func familyParameters(_ family: RefreshFamily) -> [SQLValue] {
        [.uuid(family.id), .text(family.clientID), .uuid(family.accountID), .textOrNull(family.sessionID), .text(family.scope),
         .text(family.currentTokenHash), .int(Int64(family.generation)), .time(family.createdAt), .time(family.expiresAt),
         .time(family.revokedAt)]
    }

    func familyReference(_ family: RefreshFamily) -> String {
        "refresh family for client '\(family.clientID)' or account \(family.accountID.lowercasedString), which does not exist"
    }

    func refreshFamily(id: UUID) throws -> RefreshFamily {
        let rows = try query("SELECT \(Self.familyColumns) FROM refresh_families WHERE id = $1", [.uuid(id)])
        guard let row = rows.first else { throw StoreError.notFound("refresh family \(id.lowercasedString)") }
        return try decodeFamily(row)
    }

    func insertRefreshFamily(_ family: RefreshFamily) throws {
        try execute(
            "INSERT INTO refresh_families (\(Self.familyColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            familyParameters(family),
            Meaning(duplicate: { _ in "refresh family \(family.id.lowercasedString)" }, missingReference: familyReference(family)))
    }

    func updateRefreshFamily(_ family: RefreshFamily) throws {
        let changed = try execute(
            """
            UPDATE refresh_families SET client_id = $2, account_id = $3, session_id = $4, scope = $5, current_token_hash = $6,
                generation = $7, created_at = $8, expires_at = $9, revoked_at = $10
            WHERE id = $1
            """,
            familyParameters(family), Meaning(missingReference: familyReference(family)))
        guard changed > 0 else { throw StoreError.notFound("refresh family \(family.id.lowercasedString)") }
    }

    func revokeRefreshFamilies(sessionID: String, at time: Date) throws -> [UUID] {
        try query(
            "UPDATE refresh_families SET revoked_at = $2 WHERE session_id = $1 AND revoked_at IS NULL AND expires_at > $2 RETURNING id",
            [.text(sessionID), .time(time)]
        ).map { try RowReader($0, "refresh family").uuid("id") }
    }

    func revokeRefreshFamilies(accountID: UUID, at time: Date) throws -> [UUID] {
        try query(
            "UPDATE refresh_families SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL AND expires_at > $2 RETURNING id",
            [.uuid(accountID), .time(time)]
        ).map { try RowReader($0, "refresh family").uuid("id") }
    }

    // MARK: Consents

    func consent(accountID: UUID, clientID: String) throws -> Consent {
        let rows = try query(
            "SELECT account_id, client_id, scopes, granted_at FROM consents WHERE account_id = $1 AND client_id = $2",
            [.uuid(accountID), .text(clientID)])
        guard let row = rows.first else {
            throw StoreError.notFound("consent of account \(accountID.lowercasedString) for client '\(clientID)'")
        }
        let r = RowReader(row, "consent")
        return Consent(
            accountID: try r.uuid("account_id"), clientID: try r.text("client_id"), scopes: Set(try r.json("scopes", as: [String].self)),
            grantedAt: try r.time("granted_at"))
    }

    func upsertConsent(_ consent: Consent) throws {
        try execute(
            """
            INSERT INTO consents (account_id, client_id, scopes, granted_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (account_id, client_id) DO UPDATE SET scopes = excluded.scopes, granted_at = excluded.granted_at
            """,
            [.uuid(consent.accountID), .text(consent.clientID), .json(consent.scopes), .time(consent.grantedAt)],
            Meaning(missingReference: "consent for client '\(consent.clientID)' or account \(consent.accountID.lowercasedString), which does not exist"))
    }

    func deleteConsent(accountID: UUID, clientID: String) throws {
        let deleted = try execute(
            "DELETE FROM consents WHERE account_id = $1 AND client_id = $2", [.uuid(accountID), .text(clientID)])
        guard deleted > 0 else {
            throw StoreError.notFound("consent of account \(accountID.lowercasedString) for client '\(clientID)'")
        }
    }
}

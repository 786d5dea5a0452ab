import Foundation
import GatehouseCore

/// The schema, written once for both engines.
///
/// DDL uses three type tokens where SQLite and PostgreSQL differ, and `render` substitutes
/// them per dialect:
///
/// | token     | SQLite    | PostgreSQL           | used for                                  |
/// |-----------|-----------|----------------------|-------------------------------------------|
/// | `{INT64}` | `INTEGER` | `BIGINT`             | times (ms since the epoch), counters      |
/// | `{BYTES}` | `BLOB`    | `BYTEA`              | opaque secrets                            |
/// | `{KEY}`   | `TEXT`    | `TEXT COLLATE "C"`   | paths, usernames, client ids: compared and range-scanned bytewise |
///
/// SQLite compares TEXT with `memcmp` (the BINARY collation), which is what `COLLATE "C"`
/// gives PostgreSQL, so subtree and prefix ranges mean the same on both.
///
/// Conventions: UUIDs are lowercase text, times Int64 milliseconds since the epoch, booleans
/// 0/1 integers, sets and lists JSON text.
public enum SQLSchema {
    /// Replaces the type tokens in `ddl` for `dialect`.
    public static func render(_ ddl: String, for dialect: SQLDialect) -> String {
        var out = ddl
        for (token, sqlite, postgres) in typeTable {
            out = out.replacingOccurrences(of: token, with: dialect == .sqlite ? sqlite : postgres)
        }
        return out
    }

    /// `(token, SQLite type, PostgreSQL type)`.
    static let typeTable: [(String, String, String)] = [
        ("{INT64}", "INTEGER", "BIGINT"),
        ("{BYTES}", "BLOB", "BYTEA"),
        ("{KEY}", "TEXT", "TEXT COLLATE \"C\""),
    ]

    /// The version the newest migration brings the database to.
    public static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Every migration, oldest first. Never edit one that has shipped: add another.
    static let migrations: [SQLMigration] = [
        SQLMigration(version: 1, name: "initial schema", ddl: initialSchema, after: { (connection, now) throws(SQLError) in
            // The central root; every other unit hangs below it.
            try connection.execute(
                "INSERT INTO units (id, path, depth, name, parent_id, code, created_at, updated_at) VALUES ($1, $2, 0, $3, NULL, NULL, $4, $4)",
                [.text(UUID().lowercasedString), .text("/"), .text("Trung ương"), .int(now)])
            try connection.execute("INSERT INTO audit_head (id, sequence, hash) VALUES (1, 0, $1)", [.text(AuditEvent.genesisHash)])
        }),
        SQLMigration(version: 2, name: "client assertions and revoked access tokens", ddl: oauthReplaySchema, after: { _, _ throws(SQLError) in }),
        SQLMigration(version: 3, name: "back-channel logout deliveries", ddl: backchannelSchema, after: { _, _ throws(SQLError) in }),
        SQLMigration(version: 4, name: "revocation feed", ddl: revocationFeedSchema, after: { (connection, _) throws(SQLError) in
            try connection.execute("INSERT INTO revocation_head (id, sequence) VALUES (1, 0)", [])
        }),
        SQLMigration(version: 5, name: "second-factor recovery codes and replay guard", ddl: secondFactorSchema, after: { _, _ throws(SQLError) in }),
        SQLMigration(version: 6, name: "LDAP directory synchronisation", ddl: directorySyncSchema, after: { _, _ throws(SQLError) in }),
        SQLMigration(version: 7, name: "login throttle counters", ddl: throttleSchema, after: { _, _ throws(SQLError) in }),
        SQLMigration(version: 8, name: "account search by display name", ddl: accountSearchSchema, after: SQLAccountSearch.backfillFoldedNames),
        SQLMigration(version: 9, name: "client owning unit", ddl: clientUnitSchema, after: { _, _ throws(SQLError) in }),
        SQLMigration(version: 10, name: "account provisioning id", ddl: provisioningIDSchema, after: { _, _ throws(SQLError) in }),
    ]

    static let initialSchema = """
        CREATE TABLE units (
            id TEXT PRIMARY KEY,
            path {KEY} NOT NULL,
            depth INTEGER NOT NULL CHECK (depth BETWEEN 0 AND 2),
            name TEXT NOT NULL,
            parent_id TEXT REFERENCES units (id),
            code TEXT,
            created_at {INT64} NOT NULL,
            updated_at {INT64} NOT NULL,
            CONSTRAINT units_path_unique UNIQUE (path),
            CONSTRAINT units_root_has_no_parent CHECK ((parent_id IS NULL) = (depth = 0))
        );
        CREATE INDEX units_parent ON units (parent_id);

        CREATE TABLE accounts (
            id TEXT PRIMARY KEY,
            username {KEY} NOT NULL,
            display_name TEXT NOT NULL,
            email TEXT,
            unit_id TEXT NOT NULL REFERENCES units (id),
            status TEXT NOT NULL CHECK (status IN ('active', 'disabled', 'locked')),
            password_hash TEXT,
            password_changed_at {INT64},
            must_change_password INTEGER NOT NULL CHECK (must_change_password IN (0, 1)),
            mfa_secret {BYTES},
            directory TEXT,
            external_id TEXT,
            created_at {INT64} NOT NULL,
            updated_at {INT64} NOT NULL,
            version {INT64} NOT NULL,
            CONSTRAINT accounts_username_unique UNIQUE (username),
            CONSTRAINT accounts_external_id_unique UNIQUE (directory, external_id),
            CONSTRAINT accounts_source_complete CHECK ((directory IS NULL) = (external_id IS NULL))
        );
        CREATE INDEX accounts_unit ON accounts (unit_id);

        CREATE TABLE role_grants (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            role {KEY} NOT NULL,
            unit_id TEXT NOT NULL REFERENCES units (id),
            granted_by TEXT,
            created_at {INT64} NOT NULL,
            CONSTRAINT role_grants_unique UNIQUE (account_id, role, unit_id)
        );
        CREATE INDEX role_grants_unit ON role_grants (unit_id);

        CREATE TABLE clients (
            id {KEY} PRIMARY KEY,
            name TEXT NOT NULL,
            secret_hash TEXT,
            jwks TEXT,
            is_public INTEGER NOT NULL CHECK (is_public IN (0, 1)),
            auth_method TEXT NOT NULL,
            redirect_uris TEXT NOT NULL,
            post_logout_redirect_uris TEXT NOT NULL,
            backchannel_logout_uri TEXT,
            grant_types TEXT NOT NULL,
            scopes TEXT NOT NULL,
            id_token_signed_response_alg TEXT,
            from_policy INTEGER NOT NULL CHECK (from_policy IN (0, 1)),
            created_at {INT64} NOT NULL,
            updated_at {INT64} NOT NULL
        );

        CREATE TABLE authorization_codes (
            code_hash TEXT PRIMARY KEY,
            client_id {KEY} NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
            account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            session_id TEXT NOT NULL,
            redirect_uri TEXT NOT NULL,
            scope TEXT NOT NULL,
            nonce TEXT,
            code_challenge TEXT NOT NULL,
            auth_time {INT64} NOT NULL,
            acr TEXT,
            amr TEXT NOT NULL,
            created_at {INT64} NOT NULL,
            expires_at {INT64} NOT NULL,
            consumed_at {INT64}
        );
        CREATE INDEX authorization_codes_expiry ON authorization_codes (expires_at);
        CREATE INDEX authorization_codes_account ON authorization_codes (account_id);

        CREATE TABLE sessions (
            id_hash TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            auth_time {INT64} NOT NULL,
            last_seen_at {INT64} NOT NULL,
            expires_at {INT64} NOT NULL,
            acr TEXT,
            amr TEXT NOT NULL,
            clients TEXT NOT NULL,
            revoked_at {INT64}
        );
        CREATE INDEX sessions_account ON sessions (account_id);
        CREATE INDEX sessions_expiry ON sessions (expires_at);

        CREATE TABLE refresh_families (
            id TEXT PRIMARY KEY,
            client_id {KEY} NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
            account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            session_id TEXT,
            scope TEXT NOT NULL,
            current_token_hash TEXT NOT NULL,
            generation {INT64} NOT NULL,
            created_at {INT64} NOT NULL,
            expires_at {INT64} NOT NULL,
            revoked_at {INT64}
        );
        CREATE INDEX refresh_families_session ON refresh_families (session_id);
        CREATE INDEX refresh_families_account ON refresh_families (account_id);
        CREATE INDEX refresh_families_client ON refresh_families (client_id);

        CREATE TABLE consents (
            account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            client_id {KEY} NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
            scopes TEXT NOT NULL,
            granted_at {INT64} NOT NULL,
            PRIMARY KEY (account_id, client_id)
        );
        CREATE INDEX consents_client ON consents (client_id);

        -- Append-only by convention: the store has no statement that updates or deletes a row.
        CREATE TABLE audit_events (
            sequence {INT64} PRIMARY KEY,
            action TEXT NOT NULL,
            actor TEXT NOT NULL,
            target TEXT,
            unit {KEY},
            client_id TEXT,
            source_ip TEXT,
            result TEXT NOT NULL,
            detail TEXT NOT NULL,
            time {INT64} NOT NULL,
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_events_time ON audit_events (time);

        -- The chain's head: one row, updated by every append in the same transaction. Its row
        -- lock is what orders concurrent appenders.
        CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            sequence {INT64} NOT NULL,
            hash TEXT NOT NULL
        );
        """
}

extension SQLSchema {
    /// Version 2: what the protocol engine remembers to refuse replays.
    ///
    /// - `client_assertions`: the `jti` of every `private_key_jwt` assertion a client used, kept
    ///   until the assertion expires (RFC 7523 §3 item 7). Keyed per client, since `jti` is
    ///   unique only within its issuer.
    /// - `revoked_access_tokens`: the `jti` of access tokens revoked through RFC 7009, kept until
    ///   the token would have expired anyway.
    static let oauthReplaySchema = """
        CREATE TABLE client_assertions (
            client_id {KEY} NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
            jti TEXT NOT NULL,
            expires_at {INT64} NOT NULL,
            PRIMARY KEY (client_id, jti)
        );
        CREATE INDEX client_assertions_expiry ON client_assertions (expires_at);

        CREATE TABLE revoked_access_tokens (
            jti TEXT PRIMARY KEY,
            expires_at {INT64} NOT NULL
        );
        CREATE INDEX revoked_access_tokens_expiry ON revoked_access_tokens (expires_at);
        """
}

extension SQLSchema {
    /// Version 5: what the second factor (RFC 6238 TOTP) needs beside `accounts.mfa_secret`.
    ///
    /// - `mfa_recovery_codes`: keyed hashes of the unused recovery codes, a JSON list; a used
    ///   code's hash is removed in the transaction of the login it completes.
    /// - `mfa_last_step`: the last TOTP time step accepted (RFC 6238 §5.2), so a code is
    ///   accepted once across every node sharing the database.
    /// - `mfa_failures`: wrong codes since the last accepted one, which bounds the attempts of
    ///   a login flow whatever copy of its flow token is replayed.
    static let secondFactorSchema = """
        ALTER TABLE accounts ADD COLUMN mfa_recovery_codes TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE accounts ADD COLUMN mfa_last_step {INT64};
        ALTER TABLE accounts ADD COLUMN mfa_failures INTEGER NOT NULL DEFAULT 0 CHECK (mfa_failures >= 0);
        """
}

extension SQLSchema {
    /// Version 7: failures counted against password guessing (`ThrottleCounter`): one row per
    /// key, updated by a single upsert so that concurrent logins on every node count each
    /// failure once. `last_failure_at` serves the purge.
    static let throttleSchema = """
        CREATE TABLE throttle_counters (
            key {KEY} PRIMARY KEY,
            failures {INT64} NOT NULL CHECK (failures > 0),
            last_failure_at {INT64} NOT NULL,
            blocked_until {INT64}
        );
        CREATE INDEX throttle_counters_last_failure ON throttle_counters (last_failure_at);
        """
}

extension SQLSchema {
    /// Version 9: the unit that owns a client (`Client.unitID`). NULL for a client of the whole
    /// platform, so existing clients stay platform-wide. A unit that owns clients cannot be
    /// deleted; merging it moves them to the target.
    static let clientUnitSchema = """
        ALTER TABLE clients ADD COLUMN unit_id TEXT REFERENCES units (id);
        CREATE INDEX clients_unit ON clients (unit_id);
        """
}

extension SQLSchema {
    /// Version 10: the id a provisioning client gave a local account (`Account.provisioningID`,
    /// SCIM `externalId`), NULL when none was given; not unique, since each provisioning client
    /// issues its own ids (RFC 7643 §3.1). `externalId eq` compares both `external_id` and
    /// `provisioning_id` (see `SQLAccountSearch.render`), an OR that either engine answers
    /// from indexes only when each arm has one: `accounts_external_id_unique` leads with
    /// `directory`, so `external_id` gets its own index.
    static let provisioningIDSchema = """
        ALTER TABLE accounts ADD COLUMN provisioning_id TEXT;
        CREATE INDEX accounts_provisioning_id ON accounts (provisioning_id);
        CREATE INDEX accounts_external_id ON accounts (external_id);
        """
}

/// One step of the schema's history.
struct SQLMigration: Sendable {
    let version: Int
    let name: String
    /// DDL with type tokens (see `SQLSchema.render`), run as a script.
    let ddl: String
    /// Data changes after the DDL, with bound parameters; `now` is ms since the epoch.
    let after: @Sendable (any SQLConnection, Int64) throws(SQLError) -> Void
}

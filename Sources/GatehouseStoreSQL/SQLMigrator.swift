import GatehouseStore

/// Brings a database to `SQLSchema.latestVersion`.
///
/// Applied versions are recorded in `schema_migrations (version, name, applied_at)`. Each
/// migration runs in its own transaction together with its row there, so a crash leaves
/// the database at a whole version. Two processes may start at once against one database:
/// on PostgreSQL each migration transaction first takes a transaction-scoped advisory lock
/// and re-checks the version under it; on SQLite `BEGIN IMMEDIATE` takes the file's writer
/// lock, which does the same.
enum SQLMigrator {
    /// Key of the PostgreSQL advisory lock that serializes migrations ("gatehous" in ASCII).
    static let advisoryLockKey: Int64 = 0x6761_7465_686F_7573

    static func migrate(_ database: any SQLDatabase, now: @escaping @Sendable () -> Int64) async throws {
        try await database.withConnection(forWriting: true) { connection in
            try inTransaction(connection) {
                try connection.executeScript(SQLSchema.render("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version {INT64} PRIMARY KEY,
                        name TEXT NOT NULL,
                        applied_at {INT64} NOT NULL
                    )
                    """, for: connection.dialect))
            }
        }
        let applied = try await appliedVersions(database)
        if let newest = applied.max(), newest > SQLSchema.latestVersion {
            throw StoreError.invalid("the database schema is at version \(newest), newer than this version of Gatehouse knows (\(SQLSchema.latestVersion))")
        }
        for migration in SQLSchema.migrations where !applied.contains(migration.version) {
            try await database.withConnection(forWriting: true) { connection in
                try inTransaction(connection) {
                    // Another process may have applied it since we looked.
                    let done = try connection.query("SELECT version FROM schema_migrations WHERE version = $1", [.int(Int64(migration.version))])
                    guard done.isEmpty else { return }
                    try connection.executeScript(SQLSchema.render(migration.ddl, for: connection.dialect))
                    let time = now()
                    try migration.after(connection, time)
                    try connection.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                        [.int(Int64(migration.version)), .text(migration.name), .int(time)])
                }
            }
        }
    }

    /// Versions recorded in `schema_migrations`, ascending.
    static func appliedVersions(_ database: any SQLDatabase) async throws -> [Int] {
        try await database.withConnection(forWriting: false) { connection in
            try connection.query("SELECT version FROM schema_migrations ORDER BY version", []).map { row in
                guard case .int(let v) = row["version"] else { throw SQLError(.other, "schema_migrations.version is not an integer") }
                return Int(v)
            }
        }
    }

    /// Runs `body` in a migration transaction that holds the migration lock.
    private static func inTransaction(_ connection: any SQLConnection, _ body: () throws -> Void) throws {
        switch connection.dialect {
        case .sqlite:
            try connection.execute("BEGIN IMMEDIATE", [])
        case .postgres:
            try connection.execute("BEGIN", [])
        }
        do {
            if connection.dialect == .postgres {
                _ = try connection.query("SELECT pg_advisory_xact_lock($1)", [.int(advisoryLockKey)])
            }
            try body()
            try connection.execute("COMMIT", [])
        } catch {
            _ = try? connection.execute("ROLLBACK", [])
            throw error
        }
    }
}

public import GatehouseStoreSQL

/// A PostgreSQL database through libpq: a fixed pool of connections, each used on its own
/// serial queue.
///
/// The URL is checked when the database is created, and one connection is opened right away,
/// so a wrong URL or an unreachable server fails at start-up with one line that names
/// `host:port` (never the password). The other connections open on first use. A connection
/// that dropped (server restart, `pg_terminate_backend`) is re-established before the next
/// body that gets it; a drop during a body throws `.connectionFailure` from the statement.
///
/// `forWriting` is ignored: every connection can write, and PostgreSQL's MVCC does the rest.
///
/// ```swift
/// let db = try PostgresDatabase(url: "postgres://gatehouse:secret@db.internal:5432/gatehouse")
/// try await db.withConnection(forWriting: true) { connection in
///     try connection.execute("BEGIN", [])
///     try connection.execute("UPDATE accounts SET status = $1 WHERE id = $2", [.text("disabled"), .text(id)])
///     try connection.execute("COMMIT", [])
/// }
/// await db.close()
/// ```
public final class PostgresDatabase: SQLDatabase {
    public let dialect: SQLDialect = .postgres
    private let pool: PostgresPool
    private let slots: [PostgresSlot]

    /// - Parameters:
    ///   - url: `postgres://user[:password]@host[:port]/database[?param=value…]`, any URL that
    ///     libpq accepts (https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING).
    ///   - poolSize: connections at most; callers beyond that wait for one to be free.
    ///   - connectTimeout: seconds for each connection attempt (a `connect_timeout` in the URL
    ///     takes precedence).
    /// - Throws: `SQLError` with `.other` for an invalid URL or pool size, and
    ///   `.connectionFailure` when the first connection cannot be made.
    public init(url: String, poolSize: Int = 8, connectTimeout: Int = 5) throws {
        guard poolSize >= 1 else { throw SQLError(.other, "poolSize must be at least 1") }
        let target = try PostgresTarget(url: url, connectTimeout: connectTimeout)
        slots = (0..<poolSize).map { PostgresSlot(index: $0, target: target) }
        pool = PostgresPool(size: poolSize)
        try slots[0].connectNow()
    }

    public func withConnection<T: Sendable>(
        forWriting: Bool, _ body: @escaping @Sendable (any SQLConnection) throws -> T
    ) async throws -> T {
        let slot = try await pool.acquire()
        defer { pool.release(slot) }
        return try await slots[slot].run(body)
    }

    public func close() async {
        guard pool.close() else { return }
        for slot in slots { await slot.close() }
    }
}

import Foundation
public import GatehouseCore
public import GatehouseStore
import Synchronization

/// The `Store` for SQLite and PostgreSQL: one implementation over the `SQLDatabase` driver
/// protocol, with the dialect differences kept to transaction control and column types.
///
/// ```swift
/// let store = try await SQLStore(database: try SQLiteDatabase(path: "data/gatehouse.sqlite"))
/// let unit = try await store.read { try $0.unit(path: .root) }
/// ```
///
/// Opening applies any pending migrations (see `SQLSchema`), safely when several processes
/// open one database at once.
///
/// Transactions:
/// - `read` runs on a reader connection in one snapshot: SQLite `BEGIN` (WAL snapshot),
///   PostgreSQL `REPEATABLE READ READ ONLY`.
/// - `write` runs on the writer: SQLite `BEGIN IMMEDIATE` (the file's writer lock orders all
///   writers), PostgreSQL `SERIALIZABLE`. A serialization failure (PostgreSQL 40001/40P01,
///   SQLite busy) rolls back and re-runs the body after a short jittered backoff, up to
///   `maxWriteAttempts` times, then throws `StoreError.conflict`. Any throw rolls back.
/// - The audit chain is ordered by the one-row `audit_head` table (locked by a transaction's
///   first append, written back at its commit), the revocation feed likewise by
///   `revocation_head` (updated per append). On PostgreSQL a write that appended
///   to either and then failed to serialize takes `LOCK TABLE` on that head before its
///   snapshot on the retries, so concurrent appenders queue instead of failing again and again.
public final class SQLStore: Store {
    /// The driver.
    public let database: any SQLDatabase
    /// The clock that stamps `updatedAt` and migration times.
    public let clock: any Clock
    private let closed = Atomic<Bool>(false)
    private let retries = Atomic<Int>(0)

    /// Write attempts before a serialization failure is reported as `conflict`.
    public static let maxWriteAttempts = 12

    /// Opens the store on `database`, applying pending migrations.
    ///
    /// - Throws: `StoreError.unavailable` when the database cannot be reached;
    ///   `StoreError.invalid` when its schema is newer than this build knows.
    public init(database: any SQLDatabase, clock: any Clock = SystemClock()) async throws {
        self.database = database
        self.clock = clock
        do {
            try await SQLMigrator.migrate(database, now: { clock.now().millisecondsSince1970 })
        } catch let error as SQLError {
            throw SQLTransaction.map(error)
        }
    }

    /// The SQL dialect of the database.
    public var dialect: SQLDialect { database.dialect }

    /// Transaction attempts rolled back and re-run after a serialization failure since the
    /// store opened (a metric: a steady climb means hot rows).
    public var serializationRetries: Int { retries.load(ordering: .relaxed) }

    /// The schema versions applied to the database, ascending.
    public func appliedMigrations() async throws -> [Int] {
        try checkOpen()
        do { return try await SQLMigrator.appliedVersions(database) } catch let error as SQLError { throw SQLTransaction.map(error) }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        try checkOpen()
        let clock = self.clock
        for attempt in 1...3 {
            let outcome: Outcome<T> = try await onConnection(forWriting: false) { connection in
                let tx = SQLTransaction(connection: connection, clock: clock)
                do {
                    try tx.begin(.read)
                    let value = try body(tx)
                    try tx.commit()
                    return .done(value)
                } catch {
                    tx.rollback()
                    if tx.failure?.error.kind == .serializationFailure { return .retry(appended: []) }
                    throw error
                }
            }
            if case .done(let value) = outcome { return value }
            retries.add(1, ordering: .relaxed)
            try await Task.sleep(for: Self.backoff(attempt: attempt))
        }
        throw StoreError.conflict("the database stayed busy; try again")
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try checkOpen()
        let clock = self.clock
        var lockHeads: SQLTransaction.Heads = []
        for attempt in 1...Self.maxWriteAttempts {
            let mode = SQLTransaction.Mode.write(lockHeads: lockHeads)
            let outcome: Outcome<T> = try await onConnection(forWriting: true) { connection in
                let tx = SQLTransaction(connection: connection, clock: clock)
                do {
                    try tx.begin(mode)
                    let value = try body(tx)
                    try tx.commit()
                    return .done(value)
                } catch {
                    tx.rollback()
                    if tx.failure?.error.kind == .serializationFailure { return .retry(appended: tx.appendedHeads) }
                    throw error
                }
            }
            switch outcome {
            case .done(let value):
                return value
            case .retry(let appended):
                retries.add(1, ordering: .relaxed)
                if dialect == .postgres { lockHeads.formUnion(appended) }
                if attempt < Self.maxWriteAttempts { try await Task.sleep(for: Self.backoff(attempt: attempt)) }
            }
        }
        throw StoreError.conflict("the transaction kept conflicting with concurrent ones after \(Self.maxWriteAttempts) attempts; try again")
    }

    public func ping() async throws {
        try checkOpen()
        _ = try await onConnection(forWriting: false) { connection in
            do { _ = try connection.query("SELECT 1 AS one", []) } catch let error as SQLError { throw SQLTransaction.map(error) }
        }
    }

    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await database.close()
    }

    // MARK: Internals

    private enum Outcome<T: Sendable>: Sendable {
        case done(T)
        case retry(appended: SQLTransaction.Heads)
    }

    private func checkOpen() throws(StoreError) {
        if closed.load(ordering: .acquiring) { throw StoreError.unavailable("the store is closed") }
    }

    /// Runs `body` on a driver connection; errors the driver raises itself (a closed pool,
    /// a lost connection) come out as `StoreError`.
    private func onConnection<T: Sendable>(forWriting: Bool, _ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        do {
            return try await database.withConnection(forWriting: forWriting, body)
        } catch let error as SQLError {
            throw SQLTransaction.map(error)
        }
    }

    /// Exponential backoff from 1 ms, capped at 50 ms, with full jitter.
    static func backoff(attempt: Int) -> Duration {
        let ceiling = min(50_000, 1_000 << min(attempt, 6))
        return .microseconds(Int.random(in: ceiling / 4...ceiling))
    }
}

// Login throttle counters (`ThrottleCounter`, schema version 7). Every change is one statement
// on one row, so concurrent writers queue on its row lock and no count is lost; PostgreSQL may
// still report a serialization failure, which `write` retries.
extension SQLTransaction {
    static let throttleColumns = "key, failures, last_failure_at, blocked_until"

    func throttleCounters(keys: [String]) throws -> [ThrottleCounter] {
        var out: [ThrottleCounter] = []
        for chunk in Self.bulkChunks(keys, of: Self.bulkLookupChunk) {
            out += try query(
                "SELECT \(Self.throttleColumns) FROM throttle_counters WHERE key IN (\(Self.placeholders(chunk.count)))",
                chunk.map { .text($0) }
            ).map(decodeThrottleCounter)
        }
        return out
    }

    func recordThrottleFailure(key: String, at time: Date, window: TimeInterval) throws -> ThrottleCounter {
        let restartBefore = time.millisecondsSince1970 - Int64((window * 1000).rounded())
        let rows = try query(
            """
            INSERT INTO throttle_counters (key, failures, last_failure_at, blocked_until) VALUES ($1, 1, $2, NULL)
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN throttle_counters.last_failure_at <= $3 THEN 1 ELSE throttle_counters.failures + 1 END,
                last_failure_at = CASE WHEN throttle_counters.last_failure_at > excluded.last_failure_at
                                       THEN throttle_counters.last_failure_at ELSE excluded.last_failure_at END
            RETURNING \(Self.throttleColumns)
            """,
            [.text(key), .time(time), .int(restartBefore)])
        guard let row = rows.first else { throw StoreError.unavailable("the database returned no throttle counter") }
        return try decodeThrottleCounter(row)
    }

    func blockThrottle(key: String, until: Date) throws {
        let changed = try execute(
            """
            UPDATE throttle_counters SET blocked_until = CASE
                WHEN blocked_until IS NULL OR blocked_until < CAST($2 AS BIGINT) THEN CAST($2 AS BIGINT) ELSE blocked_until END
            WHERE key = $1
            """,
            [.text(key), .time(until)])
        if changed == 0 { throw StoreError.notFound("throttle counter '\(key)'") }
    }

    func resetThrottle(key: String) throws -> Bool {
        try execute("DELETE FROM throttle_counters WHERE key = $1", [.text(key)]) > 0
    }

    func deleteExpiredThrottleCounters(before time: Date) throws -> Int {
        try execute(
            "DELETE FROM throttle_counters WHERE last_failure_at < $1 AND (blocked_until IS NULL OR blocked_until < $1)",
            [.time(time)])
    }

    private func decodeThrottleCounter(_ row: SQLRow) throws -> ThrottleCounter {
        let r = RowReader(row, "throttle counter")
        return ThrottleCounter(key: try r.text("key"), failures: Int(try r.int("failures")), lastFailureAt: try r.time("last_failure_at"),
                               blockedUntil: r.optionalTime("blocked_until"))
    }
}

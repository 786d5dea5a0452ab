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
/// - The audit chain is ordered by the one-row `audit_head` table that every append updates,
///   the revocation feed likewise by `revocation_head`. On PostgreSQL a write that appended
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

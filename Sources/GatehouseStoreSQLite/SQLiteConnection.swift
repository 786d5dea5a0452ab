internal import CSQLite
internal import Foundation
internal import GatehouseStoreSQL

/// One `sqlite3*` handle with its prepared-statement cache.
///
/// Not `Sendable`: each connection is owned by one `SQLiteWorker` and used only on its serial
/// queue. It is opened in `SQLITE_OPEN_NOMUTEX` (multi-thread) mode for that reason: SQLite's
/// own per-connection mutex would only guard against use the queue already rules out.
final class SQLiteConnection: SQLConnection {
    let dialect: SQLDialect = .sqlite
    private let db: OpaquePointer
    private let isWriter: Bool
    private var cache: [String: SQLiteStatement] = [:]
    private var useCounter: UInt64 = 0

    /// How many prepared statements each connection keeps, keyed by SQL text. The store has a
    /// fixed set of statements well under this; the bound only matters for ad-hoc SQL.
    static let statementCacheCapacity = 128
    /// How long a connection waits on another process's lock before reporting SQLITE_BUSY.
    static let busyTimeoutMilliseconds: Int32 = 5_000

    /// Opens `path`. The writer creates the file and switches it to WAL; readers are opened
    /// afterwards and are `query_only`, so a write can never bypass the single writer.
    init(path: String, writer: Bool) throws(SQLError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let error = SQLError.sqlite(handle, code: rc)
            sqlite3_close_v2(handle)
            throw SQLError(error.kind == .other ? .connectionFailure : error.kind,
                           "cannot open SQLite database \(path): \(error.message)", code: error.code)
        }
        db = handle
        isWriter = writer
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, Self.busyTimeoutMilliseconds)
        if writer {
            let mode = try query("PRAGMA journal_mode = WAL", []).first?.values.first
            guard mode == .text("wal") else {
                throw SQLError(.connectionFailure, "cannot switch \(path) to WAL mode (got \(String(describing: mode)))")
            }
            // FULL, not NORMAL. In WAL mode NORMAL never corrupts the database, but a commit is
            // only synced at the next checkpoint, so a power loss can undo commits the server
            // already answered for: a rotated refresh token or an audit event would be gone.
            // The design requires a request to wait until its writes are durable; with FULL
            // each commit costs one fsync of the WAL (not of the database file), and the store
            // amortizes it by grouping concurrent writes into one transaction
            // (https://sqlite.org/pragma.html#pragma_synchronous, https://sqlite.org/wal.html).
            try executeScript("PRAGMA synchronous = FULL")
        } else {
            try executeScript("PRAGMA query_only = ON")
        }
        try executeScript("PRAGMA foreign_keys = ON")
    }

    deinit {
        cache.removeAll() // finalizes every statement before the handle goes
        sqlite3_close_v2(db)
    }

    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> Int {
        let statement = try prepared(sql)
        defer { finish(statement) }
        try statement.bind(parameters, db: db)
        let before = sqlite3_total_changes64(db)
        var rc = sqlite3_step(statement.handle)
        while rc == SQLITE_ROW { rc = sqlite3_step(statement.handle) }
        guard rc == SQLITE_DONE else { throw SQLError.sqlite(db, code: rc) }
        // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, even after a
        // statement that changed nothing (DDL, BEGIN): report 0 for those.
        return sqlite3_total_changes64(db) == before ? 0 : Int(sqlite3_changes64(db))
    }

    func query(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> [SQLRow] {
        let statement = try prepared(sql)
        defer { finish(statement) }
        try statement.bind(parameters, db: db)
        let columns = statement.columnNames()
        var rows: [SQLRow] = []
        while true {
            let rc = sqlite3_step(statement.handle)
            if rc == SQLITE_DONE { return rows }
            guard rc == SQLITE_ROW else { throw SQLError.sqlite(db, code: rc) }
            rows.append(SQLRow(columns: columns, values: statement.rowValues(count: columns.count)))
        }
    }

    func executeScript(_ sql: String) throws(SQLError) {
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw SQLError.sqlite(db, code: rc) }
    }

    /// Whether a transaction is open (a body returned or threw between BEGIN and COMMIT).
    var inTransaction: Bool { sqlite3_get_autocommit(db) == 0 }

    /// The cached statement for `sql`, prepared (after placeholder translation) on a miss.
    private func prepared(_ sql: String) throws(SQLError) -> SQLiteStatement {
        useCounter &+= 1
        if let statement = cache[sql] {
            statement.lastUsed = useCounter
            return statement
        }
        let statement = try SQLiteStatement(db: db, sql: translate(sql))
        statement.lastUsed = useCounter
        if cache.count >= Self.statementCacheCapacity,
           let oldest = cache.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
            cache[oldest] = nil
        }
        cache[sql] = statement
        return statement
    }

    /// `$N` → `?N`, and on the writer a plain `BEGIN` becomes `BEGIN IMMEDIATE`: every
    /// transaction on the writer writes, and taking the write lock up front means another
    /// process's commit can never invalidate this transaction's snapshot halfway through
    /// (SQLITE_BUSY_SNAPSHOT); it waits on the busy timeout instead.
    private func translate(_ sql: String) -> String {
        if isWriter {
            let words = sql.split(whereSeparator: { $0.isWhitespace || $0 == ";" }).map { $0.uppercased() }
            if words == ["BEGIN"] || words == ["BEGIN", "TRANSACTION"] { return "BEGIN IMMEDIATE" }
        }
        return SQLTranslate.sqlitePlaceholders(sql)
    }

    /// Resets a statement after use on every path, so it holds no read snapshot (which would
    /// stop WAL checkpoints) and no copies of bound values.
    private func finish(_ statement: SQLiteStatement) {
        sqlite3_reset(statement.handle)
        sqlite3_clear_bindings(statement.handle)
    }
}

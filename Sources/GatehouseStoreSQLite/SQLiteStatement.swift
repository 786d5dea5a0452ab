internal import CSQLite
internal import GatehouseStoreSQL

/// One prepared statement (`sqlite3_stmt*`), finalized when the last reference goes.
///
/// Not `Sendable`: it belongs to the `SQLiteConnection` that prepared it and is used only on
/// that connection's queue.
final class SQLiteStatement {
    let handle: OpaquePointer
    /// Bumped on each use; the connection's cache evicts the least recently used statement.
    var lastUsed: UInt64 = 0

    /// Prepares the first statement of `sql` (already in SQLite's `?N` form). Text after it,
    /// other than whitespace and comments, is an error: `execute` and `query` run one statement.
    init(db: OpaquePointer, sql: String) throws(SQLError) {
        var statement: OpaquePointer?
        var trailing = false
        let rc = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(db, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            if rc == SQLITE_OK, let tail, tail.pointee != 0 {
                trailing = Self.hasStatement(db: db, tail)
            }
            return rc
        }
        guard rc == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw SQLError.sqlite(db, code: rc)
        }
        guard let statement else {
            throw SQLError(.other, "empty SQL statement")
        }
        guard !trailing else {
            sqlite3_finalize(statement)
            throw SQLError(.other, "more than one statement; use executeScript for scripts")
        }
        handle = statement
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Whether `tail` holds a statement rather than only whitespace and comments.
    private static func hasStatement(db: OpaquePointer, _ tail: UnsafePointer<CChar>) -> Bool {
        var next: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, tail, -1, &next, nil)
        defer { sqlite3_finalize(next) }
        return rc != SQLITE_OK || next != nil
    }

    /// Binds `parameters` to `?1 … ?N`. The count must match the highest parameter number.
    func bind(_ parameters: [SQLValue], db: OpaquePointer) throws(SQLError) {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == parameters.count else {
            throw SQLError(.other, "statement expects \(expected) parameters, got \(parameters.count)")
        }
        for (offset, value) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null:
                rc = sqlite3_bind_null(handle, index)
            case .int(let v):
                rc = sqlite3_bind_int64(handle, index, v)
            case .double(let v):
                rc = sqlite3_bind_double(handle, index, v)
            case .text(let v):
                var text = v
                rc = text.withUTF8 { utf8 in
                    // A zero-length buffer may have no base address, and a NULL pointer would
                    // bind SQL NULL instead of the empty string.
                    guard let base = utf8.baseAddress, utf8.count > 0 else {
                        return sqlite3_bind_text(handle, index, "", 0, gh_SQLITE_TRANSIENT())
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                        sqlite3_bind_text64(handle, index, $0, UInt64(utf8.count), gh_SQLITE_TRANSIENT(), UInt8(SQLITE_UTF8))
                    }
                }
            case .blob(let v):
                rc = v.withUnsafeBytes { bytes in
                    // sqlite3_bind_blob with a NULL pointer binds SQL NULL, so an empty blob
                    // is bound as a zero-length zeroblob.
                    guard let base = bytes.baseAddress, bytes.count > 0 else {
                        return sqlite3_bind_zeroblob(handle, index, 0)
                    }
                    return sqlite3_bind_blob64(handle, index, base, UInt64(bytes.count), gh_SQLITE_TRANSIENT())
                }
            }
            guard rc == SQLITE_OK else { throw SQLError.sqlite(db, code: rc) }
        }
    }

    /// The names of the result columns.
    func columnNames() -> [String] {
        (0..<sqlite3_column_count(handle)).map { column in
            sqlite3_column_name(handle, column).map { String(cString: $0) } ?? ""
        }
    }

    /// The current row's values, each read by its storage class.
    func rowValues(count: Int) -> [SQLValue] {
        (0..<Int32(count)).map { column in
            switch sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER:
                return .int(sqlite3_column_int64(handle, column))
            case SQLITE_FLOAT:
                return .double(sqlite3_column_double(handle, column))
            case SQLITE_TEXT:
                // Read the pointer before the length (https://sqlite.org/c3ref/column_blob.html).
                guard let text = sqlite3_column_text(handle, column) else { return .text("") }
                let length = Int(sqlite3_column_bytes(handle, column))
                return .text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
            case SQLITE_BLOB:
                guard let blob = sqlite3_column_blob(handle, column) else { return .blob([]) }
                let length = Int(sqlite3_column_bytes(handle, column))
                return .blob(Array(UnsafeRawBufferPointer(start: blob, count: length)))
            default:
                return .null
            }
        }
    }
}

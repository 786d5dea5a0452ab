internal import CSQLite
internal import GatehouseStoreSQL

// Extended result codes. They are `#define`s built from shifts in sqlite3.h, which Swift does
// not import, so the values are spelled out here (https://sqlite.org/rescode.html).
private let constraintPrimaryKey: Int32 = 1555 // SQLITE_CONSTRAINT | (6 << 8)
private let constraintUnique: Int32 = 2067 // SQLITE_CONSTRAINT | (8 << 8)
private let constraintForeignKey: Int32 = 787 // SQLITE_CONSTRAINT | (3 << 8)

extension SQLError {
    /// Classifies an SQLite extended result code (https://sqlite.org/rescode.html).
    static func sqliteKind(_ extendedCode: Int32) -> Kind {
        switch extendedCode {
        case constraintUnique, constraintPrimaryKey: return .uniqueViolation
        case constraintForeignKey: return .foreignKeyViolation
        default: break
        }
        switch extendedCode & 0xFF {
        case SQLITE_CONSTRAINT: return .constraintViolation
        case SQLITE_BUSY, SQLITE_LOCKED: return .serializationFailure
        case SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_NOTADB: return .connectionFailure
        default: return .other
        }
    }

    /// The error an SQLite call just reported on `db`.
    static func sqlite(_ db: OpaquePointer?, code: Int32? = nil) -> SQLError {
        let extended = db.map { sqlite3_extended_errcode($0) } ?? code ?? SQLITE_ERROR
        let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(extended))
        return SQLError(sqliteKind(extended), message, code: String(extended))
    }

    static var databaseClosed: SQLError { SQLError(.connectionFailure, "database is closed") }
}

import Foundation

/// The SQL dialects the shared store speaks.
public enum SQLDialect: String, Sendable {
    case sqlite, postgres
}

/// A value bound to a statement parameter or read from a result column.
public enum SQLValue: Hashable, Sendable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

/// One result row: values by column position, with the column names alongside.
public struct SQLRow: Sendable {
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of the column named `name` (`.null` when there is no such column).
    public subscript(_ name: String) -> SQLValue {
        guard let i = columns.firstIndex(of: name) else { return .null }
        return values[i]
    }
}

/// What went wrong in the database, classified so the store can map it to `StoreError`.
public struct SQLError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A UNIQUE or PRIMARY KEY constraint (SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY, PostgreSQL 23505).
        case uniqueViolation
        /// A FOREIGN KEY constraint (SQLite SQLITE_CONSTRAINT_FOREIGNKEY, PostgreSQL 23503).
        case foreignKeyViolation
        /// Another CHECK / NOT NULL constraint (PostgreSQL 23xxx, SQLite SQLITE_CONSTRAINT_*).
        case constraintViolation
        /// The transaction must be retried: PostgreSQL 40001 / 40P01, SQLite SQLITE_BUSY.
        case serializationFailure
        /// The connection is gone or could not be made.
        case connectionFailure
        /// Anything else.
        case other
    }

    public var kind: Kind
    /// The engine's message (never includes bound parameter values).
    public var message: String
    /// Engine error code: SQLSTATE for PostgreSQL, extended result code for SQLite.
    public var code: String

    public init(_ kind: Kind, _ message: String, code: String = "") {
        self.kind = kind
        self.message = message
        self.code = code
    }

    public var description: String { "\(kind) [\(code)]: \(message)" }
}

/// A connection the store uses from one thread at a time. Not `Sendable`: a driver hands
/// it to a body only inside `SQLDatabase.withConnection`.
///
/// SQL text uses PostgreSQL-style positional parameters `$1, $2, …`; the SQLite driver
/// translates them (see `SQLTranslate`).
public protocol SQLConnection: AnyObject {
    var dialect: SQLDialect { get }
    /// Runs a statement; returns the number of rows changed.
    @discardableResult func execute(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> Int
    /// Runs a query and returns every row.
    func query(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> [SQLRow]
    /// Runs several `;`-separated statements without parameters (migrations).
    func executeScript(_ sql: String) throws(SQLError)
}

/// A database: a pool of connections and the threads they are used on.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` with a connection, on a thread the driver owns (never the caller's
    /// executor), and returns its result. `forWriting` picks the writer connection where the
    /// engine distinguishes (SQLite has one writer and several readers).
    /// A dropped connection is re-established on the next call.
    func withConnection<T: Sendable>(forWriting: Bool, _ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    /// Closes every connection; later calls throw `SQLError(.connectionFailure, …)`.
    func close() async
}

internal import Foundation
public import GatehouseStoreSQL
internal import Synchronization

/// An SQLite database file in WAL mode: one writer connection and a few reader connections,
/// each on its own serial queue.
///
/// Every `withConnection(forWriting: true)` body runs on the single writer, one after another,
/// so writers never contend for SQLite's lock inside this process. Reads go to the least busy
/// reader and run alongside the writer (WAL readers see the last committed snapshot). Reader
/// connections are `query_only`: a write through `forWriting: false` fails instead of
/// bypassing the writer.
///
/// Each connection has `foreign_keys=ON`, a busy timeout of 5 s (for locks held by other
/// processes, such as the `gatehouse` command line next to a running server), and a cache of
/// prepared statements keyed by SQL text. On the writer a plain `BEGIN` runs as
/// `BEGIN IMMEDIATE`.
///
/// ```swift
/// let db = try SQLiteDatabase(path: "data/gatehouse.sqlite")
/// let count = try await db.withConnection(forWriting: false) { connection in
///     try connection.query("SELECT count(*) AS n FROM accounts", [])[0]["n"]
/// }
/// await db.close()
/// ```
public final class SQLiteDatabase: SQLDatabase {
    public let dialect: SQLDialect = .sqlite
    /// The database file.
    public let path: String

    private let writer: SQLiteWorker
    private let readers: [SQLiteWorker]
    private let state: Mutex<State>

    private struct State {
        var closed = false
        /// Bodies queued or running on each reader.
        var readerLoad: [Int]
    }

    /// Opens (creating if needed) the database file at `path`, and its parent folder.
    ///
    /// - Parameter readers: reader connections; `0` sends reads to the writer too.
    /// - Throws: `SQLError` (`.connectionFailure`) when the file cannot be created or opened.
    public init(path: String, readers: Int = 4) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw SQLError(.connectionFailure, "cannot create folder \(folder.path) for the SQLite database")
        }
        self.path = path
        // The writer opens first: it creates the file and switches it to WAL for everyone.
        writer = SQLiteWorker(label: "gatehouse.sqlite.writer", connection: try SQLiteConnection(path: path, writer: true))
        self.readers = try (0..<max(readers, 0)).map { index in
            SQLiteWorker(label: "gatehouse.sqlite.reader\(index)", connection: try SQLiteConnection(path: path, writer: false))
        }
        state = Mutex(State(readerLoad: Array(repeating: 0, count: max(readers, 0))))
    }

    public func withConnection<T: Sendable>(
        forWriting: Bool, _ body: @escaping @Sendable (any SQLConnection) throws -> T
    ) async throws -> T {
        let reader = try state.withLock { state throws(SQLError) -> Int? in
            guard !state.closed else { throw SQLError.databaseClosed }
            guard !forWriting, let index = state.readerLoad.indices.min(by: { state.readerLoad[$0] < state.readerLoad[$1] }) else {
                return nil
            }
            state.readerLoad[index] += 1
            return index
        }
        guard let reader else { return try await writer.run(body) }
        defer { state.withLock { $0.readerLoad[reader] -= 1 } }
        return try await readers[reader].run(body)
    }

    public func close() async {
        let wasClosed = state.withLock { state in
            defer { state.closed = true }
            return state.closed
        }
        guard !wasClosed else { return }
        for reader in readers { await reader.close() }
        await writer.close()
    }
}

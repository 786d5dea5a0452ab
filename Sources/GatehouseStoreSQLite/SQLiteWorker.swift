internal import Dispatch
internal import GatehouseStoreSQL

/// One SQLite connection and the serial queue it is used on.
///
/// `@unchecked Sendable` because of this invariant: after `init`, `connection` is read and
/// written only by blocks running on `queue`, a serial queue, so no two threads ever touch the
/// connection (or its `sqlite3*`) at once and each block sees the previous block's writes.
/// Blocking SQLite calls therefore run on the queue's thread, never on the caller's executor.
final class SQLiteWorker: @unchecked Sendable {
    private let queue: DispatchQueue
    private var connection: SQLiteConnection?

    init(label: String, connection: SQLiteConnection) {
        // A serial queue targets libdispatch's overcommitting pool, which adds a thread when
        // every existing one is blocked, so blocking here cannot starve other queues.
        self.queue = DispatchQueue(label: label)
        self.connection = connection
    }

    /// Runs `body` on the queue with the connection and resumes the caller with its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            queue.async {
                continuation.resume(with: Result { try self.perform(body) })
            }
        }
    }

    /// Closes the connection after every body already queued has run.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.connection = nil
                continuation.resume()
            }
        }
    }

    /// Runs on `queue`. A transaction the body left open is rolled back so the next body starts
    /// clean; if the body returned normally, that is a bug in the caller and is reported.
    private func perform<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        guard let connection else { throw SQLError.databaseClosed }
        let result: T
        do {
            result = try body(connection)
        } catch {
            if connection.inTransaction { try? connection.executeScript("ROLLBACK") }
            throw error
        }
        if connection.inTransaction {
            try? connection.executeScript("ROLLBACK")
            throw SQLError(.other, "the body returned with a transaction open; it was rolled back")
        }
        return result
    }
}

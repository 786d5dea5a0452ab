internal import Dispatch
internal import GatehouseStoreSQL

/// One place in the pool: a connection (made on first use) and the serial queue it is used on.
///
/// `@unchecked Sendable` because of this invariant: `connection` and `closed` are read and
/// written only by blocks running on `queue`, a serial queue, so libpq sees one thread at a
/// time per `PGconn*` and each block sees the previous block's writes. The pool hands a slot
/// to one caller at a time, so bodies do not even queue up here.
final class PostgresSlot: @unchecked Sendable {
    private let queue: DispatchQueue
    private let target: PostgresTarget
    private var connection: PostgresConnection?
    private var closed = false

    init(index: Int, target: PostgresTarget) {
        // A serial queue targets libdispatch's overcommitting pool, which adds a thread when
        // every existing one is blocked, so blocking here cannot starve other queues.
        queue = DispatchQueue(label: "gatehouse.postgres.connection\(index)")
        self.target = target
    }

    /// Connects now, blocking the caller: used once at start-up so that a wrong URL or an
    /// unreachable server is reported before anything else happens.
    func connectNow() throws(SQLError) {
        let outcome = queue.sync {
            Result { () throws(SQLError) in self.connection = try PostgresConnection(target: target) }
        }
        try outcome.get()
    }

    /// Runs `body` on the queue with a usable connection and resumes the caller with its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            queue.async {
                continuation.resume(with: Result { try self.perform(body) })
            }
        }
    }

    /// Closes the connection after the body that is running, if any.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.closed = true
                self.connection = nil
                continuation.resume()
            }
        }
    }

    /// Runs on `queue`. A connection that went bad since its last use is reset before the body
    /// runs; one that fails during the body makes the body's statement throw
    /// `.connectionFailure`, and is reset on the next use. A transaction the body left open is
    /// rolled back so the next body starts clean; if the body returned normally, that is a bug
    /// in the caller and is reported.
    private func perform<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        guard !closed else { throw SQLError.databaseClosed }
        let connection: PostgresConnection
        if let existing = self.connection {
            try existing.revalidate()
            connection = existing
        } else {
            connection = try PostgresConnection(target: target)
            self.connection = connection
        }
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

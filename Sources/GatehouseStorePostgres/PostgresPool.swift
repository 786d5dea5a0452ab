internal import GatehouseStoreSQL
internal import Synchronization

/// Hands out slot numbers `0..<size`, one caller per slot, first come first served.
///
/// When every slot is taken, callers wait in a FIFO queue; a released slot goes straight to
/// the longest waiter. Idle slots are reused last-in first-out, so under light load the same
/// few connections serve everything and the others are never opened.
final class PostgresPool: Sendable {
    private struct State {
        var idle: [Int]
        var waiters: [CheckedContinuation<Int, any Error>] = []
        var closed = false
    }

    private let state: Mutex<State>

    init(size: Int) {
        // Reversed so slot 0, connected at start-up, is the first one handed out.
        state = Mutex(State(idle: Array((0..<size).reversed())))
    }

    func acquire() async throws -> Int {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
            let outcome = state.withLock { state -> Result<Int, SQLError>? in
                if state.closed { return .failure(SQLError.databaseClosed) }
                if let slot = state.idle.popLast() { return .success(slot) }
                state.waiters.append(continuation)
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    func release(_ slot: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>? in
            guard !state.waiters.isEmpty else {
                state.idle.append(slot)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: slot)
    }

    /// Refuses new callers and fails every waiting one. Returns false if already closed.
    func close() -> Bool {
        let (wasClosed, waiters) = state.withLock { state in
            defer {
                state.closed = true
                state.waiters = []
            }
            return (state.closed, state.waiters)
        }
        for waiter in waiters { waiter.resume(throwing: SQLError.databaseClosed) }
        return !wasClosed
    }
}

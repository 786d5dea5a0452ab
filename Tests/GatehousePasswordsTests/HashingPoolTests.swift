import Dispatch
import Foundation
import Synchronization
import Testing
@testable import GatehousePasswords

/// The pool's scheduling, with jobs the test controls instead of real hashes.
@Suite struct HashingPoolTests {
    /// A job that blocks its pool thread until `release()`.
    final class Gate: Sendable {
        private let started = DispatchSemaphore(value: 0)
        private let open = DispatchSemaphore(value: 0)
        func job() -> Result<Int, PasswordError> { started.signal(); open.wait(); return .success(1) }
        func waitUntilStarted() async { await withCheckedContinuation { c in DispatchQueue.global().async { self.started.wait(); c.resume() } } }
        func release() { open.signal() }
    }

    /// Shared state for jobs (a `Mutex` itself cannot be captured by escaping closures).
    final class Box<Value: Sendable>: Sendable {
        let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
    }

    @Test func atMostOneJobPerThreadRunsAtOnce() async throws {
        let pool = HashingPool(threads: 2, maxQueued: 100, name: "test")
        defer { pool.shutdown() }
        let running = Box((now: 0, peak: 0))
        let results = await withTaskGroup(of: Result<Int, PasswordError>.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    await pool.run {
                        running.value.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
                        usleep(2000)
                        running.value.withLock { $0.now -= 1 }
                        return .success(1)
                    }
                }
            }
            return await group.reduce(into: [Result<Int, PasswordError>]()) { $0.append($1) }
        }
        #expect(results.count == 12 && results.allSatisfy { (try? $0.get()) == 1 })
        #expect(running.value.withLock { $0.peak } <= 2)
        #expect(pool.load == (0, 0))
    }

    @Test func aFullQueueFailsFastAndFreesUpAgain() async throws {
        let pool = HashingPool(threads: 1, maxQueued: 1, name: "test")
        defer { pool.shutdown() }
        let gate = Gate()
        async let first = pool.run(gate.job)
        await gate.waitUntilStarted()
        async let second = pool.run { .success(2) }      // waits in the queue
        while pool.load.queued < 1 { await Task.yield() }
        let third = await pool.run { .success(3) }       // no room
        #expect(throws: PasswordError.overloaded) { try third.get() }
        gate.release()
        #expect(try await first.get() == 1)
        #expect(try await second.get() == 2)
        #expect(try await pool.run { .success(4) }.get() == 4)
    }

    @Test func aCancelledCallerLeavesTheQueueAtOnce() async throws {
        let pool = HashingPool(threads: 1, maxQueued: 10, name: "test")
        defer { pool.shutdown() }
        let gate = Gate()
        let ran = Box(false)
        let blocker = Task { await pool.run(gate.job) }
        await gate.waitUntilStarted()
        let queued = Task { await pool.run { ran.value.withLock { $0 = true }; return .success(2) } }
        while pool.load.queued < 1 { await Task.yield() }
        queued.cancel()
        await #expect(throws: PasswordError.cancelled) { try await queued.value.get() }
        #expect(pool.load.queued == 0)
        gate.release()
        _ = await blocker.value
        #expect(try await pool.run { .success(5) }.get() == 5)
        #expect(!ran.value.withLock { $0 })
    }

    @Test func shutdownFailsQueuedJobs() async throws {
        let pool = HashingPool(threads: 1, maxQueued: 10, name: "test")
        let gate = Gate()
        let blocker = Task { await pool.run(gate.job) }
        await gate.waitUntilStarted()
        let queued = Task { await pool.run { .success(2) } }
        while pool.load.queued < 1 { await Task.yield() }
        pool.shutdown()
        await #expect(throws: PasswordError.shutDown) { try await queued.value.get() }
        gate.release()
        #expect(try await blocker.value.get() == 1)   // the running job finishes
        await #expect(throws: PasswordError.shutDown) { try await pool.run { .success(3) }.get() }
    }
}

import Dispatch
import Foundation
import Synchronization

/// A small pool of dedicated threads for CPU-heavy password work.
///
/// Argon2id takes tens of milliseconds of CPU. Run on Swift's cooperative pool or a NIO event
/// loop, a burst of logins would hold every thread and stall all other requests. Here the work
/// runs on its own threads, at most one job per thread (by default one thread per core), and
/// the rest waits in a FIFO queue of bounded length. A caller whose task is cancelled while
/// its job is still queued is answered at once and the job is dropped.
final class HashingPool: Sendable {
    private struct Job {
        let id: UInt64
        /// Does the work and returns the step that hands its result to the caller, which the
        /// worker takes only after it has counted itself free (so `load` is exact by then).
        let run: @Sendable () -> @Sendable () -> Void
        let abandon: @Sendable (PasswordError) -> Void
    }

    private struct State {
        var queue: [Job] = []
        var nextID: UInt64 = 0
        var running = 0
        var isShutDown = false
    }

    let threadCount: Int
    let maxQueued: Int
    private let state = Mutex(State())
    /// Counts queued jobs (plus wake-ups at shutdown); a worker takes one before dequeuing.
    private let ready = DispatchSemaphore(value: 0)

    init(threads: Int, maxQueued: Int, name: String) {
        precondition(threads >= 1 && maxQueued >= 0)
        self.threadCount = threads
        self.maxQueued = maxQueued
        for i in 0..<threads {
            let thread = Thread { [self] in self.work() }
            thread.name = "\(name)-\(i)"
            thread.start()
        }
    }

    /// Jobs waiting for a thread, and jobs running.
    var load: (queued: Int, running: Int) { state.withLock { ($0.queue.count, $0.running) } }

    /// Runs `body` on a pool thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> Result<T, PasswordError>) async -> Result<T, PasswordError> {
        let id = state.withLock { s in s.nextID += 1; return s.nextID }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, PasswordError>, Never>) in
                if Task.isCancelled { return continuation.resume(returning: .failure(.cancelled)) }
                let job = Job(
                    id: id,
                    run: {
                        let result = body()
                        return { continuation.resume(returning: result) }
                    },
                    abandon: { continuation.resume(returning: .failure($0)) })
                if let refusal = enqueue(job) { continuation.resume(returning: .failure(refusal)) }
            }
        } onCancel: {
            let dropped = state.withLock { s -> Job? in
                guard let i = s.queue.firstIndex(where: { $0.id == id }) else { return nil }
                return s.queue.remove(at: i)
            }
            dropped?.abandon(.cancelled)
        }
    }

    /// Stops the threads once they finish their current job; queued jobs fail with `.shutDown`.
    func shutdown() {
        let abandoned = state.withLock { s -> [Job] in
            guard !s.isShutDown else { return [] }
            s.isShutDown = true
            defer { s.queue.removeAll() }
            return s.queue
        }
        for job in abandoned { job.abandon(.shutDown) }
        for _ in 0..<threadCount { ready.signal() }
    }

    private func enqueue(_ job: Job) -> PasswordError? {
        let refusal: PasswordError? = state.withLock { s in
            if s.isShutDown { return .shutDown }
            if s.queue.count >= maxQueued + max(0, threadCount - s.running) { return .overloaded }
            s.queue.append(job)
            return nil
        }
        if refusal == nil { ready.signal() }
        return refusal
    }

    private func work() {
        while true {
            ready.wait()
            let next = state.withLock { s -> Job?? in
                if s.queue.isEmpty { return s.isShutDown ? .none : .some(nil) }
                s.running += 1
                return s.queue.removeFirst()
            }
            guard let next else { return }          // shut down
            guard let job = next else { continue }  // its job was cancelled
            let deliver = job.run()
            state.withLock { $0.running -= 1 }
            deliver()
        }
    }
}

internal import Foundation

#if canImport(Glibc)
internal import Glibc
#endif

/// A request for a connection, waiting in the pool's queue. Exactly one of `run` and `fail`
/// is called, exactly once: whoever takes the job out of the queue (a worker, the checkout
/// timer, a cancellation, the shutdown) under the queue's lock is the one that calls it.
final class PoolJob: Sendable {
    let id: UInt64
    let run: @Sendable (LDAPConnection) -> Void
    let fail: @Sendable (LDAPError) -> Void

    init(id: UInt64, run: @escaping @Sendable (LDAPConnection) -> Void, fail: @escaping @Sendable (LDAPError) -> Void) {
        self.id = id
        self.run = run
        self.fail = fail
    }
}

/// The queue the pool's worker threads take jobs from.
///
/// `@unchecked Sendable`: every stored `var` is read and written only while `condition` is
/// locked; workers wait on `condition` for a job or for shutdown.
final class PoolQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [PoolJob] = []
    private var idleWorkers = 0
    private var nextID: UInt64 = 0
    private var isShutDown = false

    func makeID() -> UInt64 {
        condition.withLock {
            nextID += 1
            return nextID
        }
    }

    /// Queues `job`. Returns nil after shutdown, else whether an idle worker will take it at once.
    func enqueue(_ job: PoolJob) -> Bool? {
        condition.withLock {
            guard !isShutDown else { return nil }
            jobs.append(job)
            condition.signal()
            return idleWorkers >= jobs.count
        }
    }

    /// Takes `id` out of the queue if no worker has taken it yet.
    func remove(_ id: UInt64) -> PoolJob? {
        condition.withLock {
            guard let index = jobs.firstIndex(where: { $0.id == id }) else { return nil }
            return jobs.remove(at: index)
        }
    }

    /// The next job, waiting as long as it takes; nil once the pool is shut down.
    func next() -> PoolJob? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !isShutDown {
            idleWorkers += 1
            condition.wait()
            idleWorkers -= 1
        }
        return isShutDown ? nil : jobs.removeFirst()
    }

    /// Stops the workers and returns the jobs still queued, for the caller to fail.
    func shutDown() -> [PoolJob] {
        condition.withLock {
            isShutDown = true
            let pending = jobs
            jobs = []
            condition.broadcast()
            return pending
        }
    }
}

/// One of the pool's threads. It owns at most one connection, which no other thread touches
/// except through the job it is running: the pool's size is its number of workers.
final class PoolWorker: Sendable {
    private let queue: PoolQueue
    private let configuration: LDAPConfiguration
    private let credentials: LDAPCredentials?

    init(queue: PoolQueue, configuration: LDAPConfiguration, credentials: LDAPCredentials?) {
        self.queue = queue
        self.configuration = configuration
        self.credentials = credentials
    }

    /// Starts the thread. `name` shows in debuggers and `top -H`; Linux keeps 15 bytes of it,
    /// and Foundation applies it only when set from the thread itself.
    func start(name: String) {
        let thread = Thread { [self] in
            Thread.current.name = name
            PoolThread.markCurrent()
            self.loop()
        }
        thread.start()
    }

    private func loop() {
        var connection: LDAPConnection?
        while let job = queue.next() {
            // A connection the server has closed (a restart, an idle timeout) is replaced now.
            if let current = connection, !current.isAlive { connection = nil }
            if connection == nil {
                do {
                    connection = try openConnection()
                } catch {
                    job.fail(error)
                    continue
                }
            }
            guard let current = connection else { continue }
            job.run(current)
            connection = restored(current)
        }
    }

    private func openConnection() throws(LDAPError) -> LDAPConnection {
        let connection = try LDAPConnection(configuration: configuration)
        if let credentials {
            do {
                try connection.bind(credentials)
            } catch {
                throw LDAPError(
                    error.code, "the pool's bind as \(credentials.dn) at directory \(configuration.url) failed: \(error.message)",
                    diagnosticMessage: error.diagnosticMessage)
            }
        }
        return connection
    }

    /// `connection` back in the pool's own identity, or nil when it must be replaced: it is
    /// broken, or a bind inside the job changed its identity and restoring it failed. A
    /// connection never goes back to the queue bound as someone else.
    private func restored(_ connection: LDAPConnection) -> LDAPConnection? {
        if connection.isBroken { return nil }
        guard connection.boundDN != credentials?.dn else { return connection }
        do {
            if let credentials {
                try connection.bind(credentials)
            } else {
                try connection.bindAnonymously()
            }
            return connection
        } catch {
            return nil
        }
    }
}

/// Marks the pool's threads, so code (and tests) can tell them from the cooperative pool's.
enum PoolThread {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    static func markCurrent() { pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1)) }

    /// Whether the calling thread is one of an LDAP pool's.
    static var isCurrent: Bool { pthread_getspecific(key) != nil }
}

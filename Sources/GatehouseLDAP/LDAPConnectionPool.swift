internal import Dispatch

/// A fixed number of connections to one directory, each on a thread the pool owns, so
/// libldap's blocking calls never occupy Swift's cooperative threads.
///
/// ```swift
/// let pool = LDAPConnectionPool(
///     configuration: LDAPConfiguration(url: "ldap://127.0.0.1:3890"),
///     credentials: LDAPCredentials(dn: "cn=gatehouse-sync,dc=gatehouse,dc=test", password: secret))
/// let entries = try await pool.withConnection { connection in
///     try connection.search(LDAPSearchRequest(base: "ou=hue,dc=gatehouse,dc=test"))
/// }
/// ```
///
/// - Identity: each connection is bound with `credentials` when it is opened (or stays
///   anonymous when they are nil). If a job binds as someone else, the connection is bound
///   back to the pool's identity before it serves another job, or replaced if that fails: a
///   pooled connection is never left bound as a user.
/// - Reuse: connections stay open between jobs (a connection per bind would exhaust local
///   ports with TIME_WAIT sockets). A connection the server has closed, after a restart or
///   an idle timeout, is noticed before its next job and replaced; one that failed in a way
///   that leaves it unusable is dropped after its job.
/// - Waiting: a job that finds every connection busy waits up to `checkoutTimeout`, then
///   fails with code `timeout` (an unavailable directory, from the caller's point of view).
///   Cancelling the waiting task fails it at once with code `userCancelled`. A job that has
///   started runs to its end; libldap's own timeouts bound it.
public final class LDAPConnectionPool: Sendable {
    /// The directory.
    public let configuration: LDAPConfiguration
    /// The DN the connections are bound as; nil for anonymous connections.
    public let boundDN: String?
    /// The most connections (and threads) the pool opens.
    public let maximumConnections: Int
    /// How long a job waits for a free connection.
    public let checkoutTimeout: Duration

    private let queue = PoolQueue()

    /// A pool of at most `maximumConnections` connections to `configuration.url`, bound
    /// with `credentials` (nil: anonymous, for user binds). Connections open on first use.
    public init(
        configuration: LDAPConfiguration,
        credentials: LDAPCredentials?,
        maximumConnections: Int = 4,
        checkoutTimeout: Duration = .seconds(5)
    ) {
        precondition(maximumConnections > 0, "an LDAP connection pool needs at least one connection")
        self.configuration = configuration
        self.boundDN = credentials?.dn
        self.maximumConnections = maximumConnections
        self.checkoutTimeout = checkoutTimeout
        for index in 0..<maximumConnections {
            PoolWorker(queue: queue, configuration: configuration, credentials: credentials)
                .start(name: "gh-ldap-\(index)")
        }
    }

    deinit {
        shutDown()
    }

    /// Runs `body` with a connection, on one of the pool's threads, and returns its result.
    ///
    /// `body` may block (it is meant to); it must not keep the connection after it returns.
    /// Throws `LDAPError` (no connection could be had: the directory is unreachable, every
    /// connection stayed busy, the task was cancelled, the pool is shut down) or whatever
    /// `body` throws.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (LDAPConnection) throws -> T
    ) async throws -> T {
        let id = queue.makeID()
        let queue = self.queue
        let result: Result<T, any Error> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>, Never>) in
                let job = PoolJob(
                    id: id,
                    run: { connection in continuation.resume(returning: Result { try body(connection) }) },
                    fail: { error in continuation.resume(returning: .failure(error)) })
                guard let startsAtOnce = queue.enqueue(job) else {
                    job.fail(LDAPError(.userCancelled, "the connection pool for directory \(configuration.url) is shut down"))
                    return
                }
                if Task.isCancelled {
                    queue.remove(id)?.fail(Self.cancelled)
                } else if !startsAtOnce {
                    let message = busyMessage
                    DispatchQueue.global().asyncAfter(deadline: .now() + Self.dispatchInterval(checkoutTimeout)) {
                        queue.remove(id)?.fail(LDAPError(.timeout, message))
                    }
                }
            }
        } onCancel: {
            queue.remove(id)?.fail(Self.cancelled)
        }
        return try result.get()
    }

    /// Stops the pool: queued jobs fail, each thread closes its connection after its current
    /// job and ends. Also done when the pool is released.
    public func shutDown() {
        let message = "the connection pool for directory \(configuration.url) is shut down"
        for job in queue.shutDown() {
            job.fail(LDAPError(.userCancelled, message))
        }
    }

    private static let cancelled = LDAPError(.userCancelled, "cancelled while waiting for a directory connection")

    private var busyMessage: String {
        "all \(maximumConnections) connections to directory \(configuration.url) stayed busy for \(LDAPInterop.describe(checkoutTimeout))"
    }

    private static func dispatchInterval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(Int(clamping: max(seconds, 0) * 1_000_000_000 + max(attoseconds, 0) / 1_000_000_000))
    }
}

import Foundation

/// The asynchronous face of ``PasswordHasher``: the same operations, run on a dedicated pool of
/// threads (not Swift's cooperative pool, not a NIO event loop) so that a burst of logins
/// queues instead of starving request handling.
///
/// ```swift
/// let passwords = try PasswordService(parameters: policy.argon2)   // one per process
/// switch try await passwords.verify(attempt, against: account.passwordHash) { … }
/// await passwords.dummyVerify(attempt)                             // unknown username
/// ```
///
/// At most `threads` hashes run at once (`nil`: one per core); up to `maxQueued` more wait in
/// FIFO order, and beyond that calls fail fast with ``PasswordError/overloaded`` (answer 503 with
/// `Retry-After`). Call ``shutdown()`` when the server stops.
public final class PasswordService: Sendable {
    /// The synchronous core the pool runs.
    public let hasher: PasswordHasher
    private let pool: HashingPool

    public init(
        parameters: Argon2Parameters = .default,
        threads: Int? = nil,
        maxQueued: Int = 1024
    ) throws(PasswordError) {
        self.hasher = try PasswordHasher(parameters: parameters)
        let threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        self.pool = HashingPool(threads: max(1, threads), maxQueued: max(0, maxQueued), name: "gatehouse-passwords")
    }

    /// See ``PasswordHasher/hash(_:)``.
    public func hash(_ password: String) async throws(PasswordError) -> String {
        let hasher = self.hasher
        return try await pool.run { Result { () throws(PasswordError) in try hasher.hash(password) } }.get()
    }

    /// See ``PasswordHasher/verify(_:against:)``.
    public func verify(_ password: String, against stored: String) async throws(PasswordError) -> PasswordVerification {
        let hasher = self.hasher
        return try await pool.run { Result { () throws(PasswordError) in try hasher.verify(password, against: stored) } }.get()
    }

    /// See ``PasswordHasher/dummyVerify(_:)``. Never throws: a full queue or cancellation simply
    /// ends it early, which is what a real verification would do too.
    public func dummyVerify(_ password: String) async {
        let hasher = self.hasher
        _ = await pool.run { () -> Result<Void, PasswordError> in
            hasher.dummyVerify(password)
            return .success(())
        }
    }

    deinit { pool.shutdown() }

    /// Jobs waiting for a thread and jobs running, for metrics.
    public var load: (queued: Int, running: Int) { pool.load }

    /// Stops the pool's threads after their current job; queued and later calls fail with
    /// ``PasswordError/shutDown``.
    public func shutdown() { pool.shutdown() }
}

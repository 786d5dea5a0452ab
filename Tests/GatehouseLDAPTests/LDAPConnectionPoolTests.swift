import Foundation
@testable import GatehouseLDAP
import Synchronization
import Testing

@Suite("LDAPConnectionPool against slapd", .enabled(if: TestDirectory.enabled, TestDirectory.disabledReason))
struct LDAPConnectionPoolTests {
    @Test("runs jobs on its own threads, never more at once than its size")
    func bounded() async throws {
        let pool = LDAPConnectionPool(
            configuration: try TestDirectory.configuration(), credentials: TestDirectory.serviceAccount,
            maximumConnections: 3)
        let running = Shared((now: 0, most: 0))
        let offPool = Shared(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<24 {
                group.addTask {
                    try await pool.withConnection { connection in
                        running.update { $0.now += 1; $0.most = max($0.most, $0.now) }
                        defer { running.update { $0.now -= 1 } }
                        if !PoolThread.isCurrent { offPool.update { $0 += 1 } }
                        guard connection.boundDN == TestDirectory.serviceAccount.dn else { throw TestFailure("not bound") }
                        _ = try connection.search(LDAPSearchRequest(base: TestDirectory.suffix, scope: .base))
                        Thread.sleep(forTimeInterval: 0.01)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(running.value.most <= 3)
        #expect(offPool.value == 0)
        #expect(!PoolThread.isCurrent)
    }

    @Test("a job that finds every connection busy fails after the checkout timeout")
    func checkoutTimeout() async throws {
        let pool = LDAPConnectionPool(
            configuration: try TestDirectory.configuration(), credentials: TestDirectory.serviceAccount,
            maximumConnections: 1, checkoutTimeout: .milliseconds(200))
        let gate = HoldGate()
        let holder = Task { try await pool.withConnection { _ in gate.hold() } }
        await gate.waitUntilHeld()
        let started = ContinuousClock.now
        let error = await #expect(throws: LDAPError.self) { try await pool.withConnection { _ in 1 } }
        let waited = ContinuousClock.now - started
        #expect(error?.code == .timeout)
        #expect(error?.isUnavailable == true)
        #expect(error?.message.contains("stayed busy") == true)
        // At least the checkout timeout. The holder keeps the only connection until released, so
        // the waiter cannot have got it: the error is the timeout, whatever the machine's load.
        #expect(waited >= .milliseconds(150))
        gate.release()
        try await holder.value
        #expect(try await pool.withConnection { _ in 2 } == 2)
    }

    @Test("cancelling a waiting job fails it at once")
    func cancellation() async throws {
        let pool = LDAPConnectionPool(
            configuration: try TestDirectory.configuration(), credentials: nil,
            maximumConnections: 1, checkoutTimeout: .seconds(10))
        let gate = HoldGate()
        let holder = Task { try await pool.withConnection { _ in gate.hold() } }
        await gate.waitUntilHeld()
        let waiter = Task { try await pool.withConnection { _ in 1 } }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        // The holder keeps the only connection until released: only cancellation can end the wait.
        let error = await #expect(throws: LDAPError.self) { try await waiter.value }
        #expect(error?.code == .userCancelled)
        gate.release()
        try await holder.value
    }

    @Test("a user bind never leaves a pooled connection bound as that user")
    func userBindIsUndone() async throws {
        let user = "uid=nguyen.van.an,ou=central,dc=gatehouse,dc=test"
        let relay = try TCPRelay(upstreamPort: try #require(URLComponents(string: try TestDirectory.requireURL())?.port))
        defer { relay.stop() }
        // Anonymous pool: the user can read their own entry; anonymous cannot read anything.
        let anonymous = LDAPConnectionPool(
            configuration: LDAPConfiguration(url: "ldap://127.0.0.1:\(relay.port)"), credentials: nil, maximumConnections: 1)
        let first = try await anonymous.withConnection { connection in
            try connection.bind(dn: user, password: TestDirectory.userPassword)
            return (connection.boundDN, try connection.search(LDAPSearchRequest(base: user, scope: .base)).count)
        }
        #expect(first.0 == user)
        #expect(first.1 == 1)
        let second = try await anonymous.withConnection { connection in
            (connection.boundDN,
             Result { try connection.search(LDAPSearchRequest(base: user, scope: .base)) }.mapError { $0 as! LDAPError })
        }
        #expect(relay.acceptedCount == 1)  // the same connection, reused
        #expect(second.0 == nil)
        #expect(throws: LDAPError(.noSuchObject)) { try second.1.get() }  // the server sees it anonymous

        // Service-account pool: bound back to the service account, also after a failed bind.
        let service = LDAPConnectionPool(
            configuration: try TestDirectory.configuration(), credentials: TestDirectory.serviceAccount,
            maximumConnections: 1)
        try await service.withConnection { connection in try connection.bind(dn: user, password: TestDirectory.userPassword) }
        #expect(try await service.withConnection { $0.boundDN } == TestDirectory.serviceAccount.dn)
        _ = try? await service.withConnection { connection in try connection.bind(dn: user, password: "wrong") }
        let users = try await service.withConnection { connection in
            try connection.search(LDAPSearchRequest(base: TestDirectory.suffix, filter: "(objectClass=inetOrgPerson)"))
        }
        #expect(users.count >= 7)
    }

    @Test("a connection the server closed is replaced on next use")
    func deadConnectionReplaced() async throws {
        let url = try TestDirectory.requireURL()
        let relay = try TCPRelay(upstreamPort: try #require(URLComponents(string: url)?.port))
        defer { relay.stop() }
        let pool = LDAPConnectionPool(
            configuration: LDAPConfiguration(url: "ldap://127.0.0.1:\(relay.port)"),
            credentials: TestDirectory.serviceAccount, maximumConnections: 1)
        let search = LDAPSearchRequest(base: TestDirectory.suffix, scope: .base)
        #expect(try await pool.withConnection { try $0.search(search).count } == 1)
        #expect(try await pool.withConnection { try $0.search(search).count } == 1)
        #expect(relay.acceptedCount == 1)
        relay.dropConnections()  // what a restart does to open connections
        try await Task.sleep(for: .milliseconds(50))
        let after = try await pool.withConnection { connection in
            (try connection.search(search).count, connection.boundDN)
        }
        #expect(after.0 == 1)
        #expect(after.1 == TestDirectory.serviceAccount.dn)
        #expect(relay.acceptedCount == 2)
    }

    @Test("a reset connection is replaced, and closing the old one does not kill the process (SIGPIPE)",
        arguments: [LDAPConfiguration.TLSMode.none, .startTLS])
    func resetConnectionReplaced(tls: LDAPConfiguration.TLSMode) async throws {
        let url = try TestDirectory.requireURL()
        let relay = try TCPRelay(upstreamPort: try #require(URLComponents(string: url)?.port))
        defer { relay.stop() }
        // Under TLS, closing writes twice (the unbind, then the TLS close alert): the second
        // write to a reset socket raises SIGPIPE.
        let pool = LDAPConnectionPool(
            configuration: LDAPConfiguration(url: "ldap://127.0.0.1:\(relay.port)", tls: tls, requireCertificate: false),
            credentials: TestDirectory.serviceAccount, maximumConnections: 1)
        let search = LDAPSearchRequest(base: TestDirectory.suffix, scope: .base)
        #expect(try await pool.withConnection { try $0.search(search).count } == 1)
        relay.dropConnections(reset: true)
        try await Task.sleep(for: .milliseconds(50))
        // The old connection is unbound (a write to a reset socket) and a new one opened.
        #expect(try await pool.withConnection { try $0.search(search).count } == 1)
        #expect(relay.acceptedCount == 2)
    }

    @Test("a pool to a directory that is down fails quickly with unreachable, then recovers")
    func unreachable() async throws {
        let port = try LoopbackPort.closed()
        let pool = LDAPConnectionPool(
            configuration: LDAPConfiguration(url: "ldap://127.0.0.1:\(port)", networkTimeout: .seconds(2)),
            credentials: TestDirectory.serviceAccount, maximumConnections: 2)
        // How fast libldap gives up is measured in LDAPConnectionTests without any scheduling in
        // between; here the error must be "unreachable" (refused), not a timeout.
        let error = await #expect(throws: LDAPError.self) { try await pool.withConnection { _ in 1 } }
        #expect(error?.code == .serverDown)
        #expect(error?.message == "directory ldap://127.0.0.1:\(port) is unreachable")

        // The service account's bind failing is reported as such.
        let badAccount = LDAPConnectionPool(
            configuration: try TestDirectory.configuration(),
            credentials: LDAPCredentials(dn: TestDirectory.serviceAccount.dn, password: "wrong"), maximumConnections: 1)
        let bindError = await #expect(throws: LDAPError.self) { try await badAccount.withConnection { _ in 1 } }
        #expect(bindError?.code == .invalidCredentials)
        #expect(bindError?.message.contains(TestDirectory.serviceAccount.dn) == true)
    }

    @Test("a shut-down pool refuses work")
    func shutDown() async throws {
        let pool = LDAPConnectionPool(configuration: try TestDirectory.configuration(), credentials: nil, maximumConnections: 1)
        #expect(try await pool.withConnection { _ in 1 } == 1)
        pool.shutDown()
        await #expect(throws: LDAPError(.userCancelled)) { try await pool.withConnection { _ in 1 } }
    }
}

/// A value shared between tasks and the pool's threads.
final class Shared<Value: Sendable>: Sendable {
    private let state: Mutex<Value>
    init(_ value: Value) { state = Mutex(value) }
    var value: Value { state.withLock { $0 } }
    func update(_ body: (inout Value) -> Void) { state.withLock { body(&$0) } }
}

/// Lets a test hold a pooled connection for exactly as long as it needs: the job blocks in
/// `hold()` (on the pool's own thread) until the test calls `release()`.
final class HoldGate: Sendable {
    private let held = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)

    /// Called by the job on the pool thread.
    func hold() {
        held.signal()
        released.wait()
    }

    /// Waits, off the cooperative pool, until the job is inside `hold()`.
    func waitUntilHeld() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread { self.held.wait(); continuation.resume() }
        }
    }

    func release() { released.signal() }
}

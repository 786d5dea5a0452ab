public import Foundation
public import GatehouseCore
public import GatehouseOAuth
public import GatehouseStore
public import Logging
public import ServiceLifecycle
import AsyncHTTPClient
import GatehouseCrypto
import GatehouseJOSE
import Synchronization

/// Delivers back-channel logout tokens (OIDC Back-Channel Logout 1.0) in the background, with
/// retries and a record in the store, so that a slow or unreachable application never holds up
/// a logout.
///
/// - ``notify(_:)`` (the ``LogoutNotifier`` the logout route calls) records one delivery per
///   application with an audit event, in one write transaction, wakes the worker and returns.
/// - ``run()`` (a ServiceLifecycle `Service`) is the worker. Until graceful shutdown it leases
///   due deliveries from the store, as many as it has free slots (`concurrency`), POSTs each
///   (see `BackchannelSender`), and records the outcome: delivered on 200 or 204, otherwise a
///   retry at the time ``BackchannelRetryPolicy`` gives, or failed when the policy gives up.
///   It also polls every `pollInterval`, so deliveries queued by another node sharing the
///   store are picked up, and deletes finished records older than `retention`.
/// - Nodes sharing a store never attempt one delivery at the same time: an attempt is made only
///   under a lease (`leaseDuration`, longer than any request may take), and its outcome is
///   recorded only while that lease still holds.
/// - Only `http`/`https` URIs are called, and only while the client still registers the URI.
/// - Retries end when the logout token expires, since an application must refuse it after
///   that (§2.6). The engine signs them for `OAuthConfiguration.logoutTokenLifetime` (120 s by
///   default): that, not the retry policy's 24 h, bounds the retry window unless it is raised.
/// - On graceful shutdown it takes no new leases, lets the requests in flight finish (each is
///   bounded by `requestTimeout`), then shuts its HTTP client down. Deliveries still pending stay
///   in the store for the next start or another node.
///
/// The `serve` command creates one, passes it to the routes as their `LogoutNotifier`, and adds
/// it to the service group after the service that closes the store, so it stops first.
///
/// Audit events (actor `backchannel`, target the account id, `clientID` the application):
/// ``BackchannelDispatcher/queuedAction``, ``BackchannelDispatcher/deliveredAction`` and
/// ``BackchannelDispatcher/failedAction``; `detail.delivery` is the delivery id. No token is
/// ever logged or audited.
public final class BackchannelDispatcher: LogoutNotifier, Service {
    /// A delivery was recorded for an application.
    public static let queuedAction = "logout.backchannel.queued"
    /// The application acknowledged it.
    public static let deliveredAction = "logout.backchannel.delivered"
    /// It was given up (or refused before any attempt); `detail.error` says why.
    public static let failedAction = "logout.backchannel.failed"
    /// The audit actor of these events.
    public static let auditActor = "backchannel"

    public struct Configuration: Sendable {
        public var retry: BackchannelRetryPolicy
        /// How often the store is checked for deliveries queued elsewhere or due for retry.
        public var pollInterval: Duration
        /// Requests in flight at once.
        public var concurrency: Int
        /// How long a node holds a leased delivery: at least `requestTimeout` plus 10 s, so an
        /// attempt and its record always finish inside the lease.
        public var leaseDuration: Duration
        public var connectTimeout: Duration
        /// Bound on a whole request, from connecting to the end of the response.
        public var requestTimeout: Duration
        /// How long delivered and failed records are kept.
        public var retention: TimeInterval
        /// How often old records are deleted.
        public var purgeInterval: TimeInterval

        public init(
            retry: BackchannelRetryPolicy = BackchannelRetryPolicy(), pollInterval: Duration = .seconds(10), concurrency: Int = 4,
            leaseDuration: Duration = .seconds(30), connectTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(10),
            retention: TimeInterval = 30 * 86400, purgeInterval: TimeInterval = 3600
        ) {
            self.retry = retry
            self.pollInterval = pollInterval
            self.concurrency = max(1, concurrency)
            self.leaseDuration = max(leaseDuration, requestTimeout + .seconds(10))
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.retention = retention
            self.purgeInterval = purgeInterval
        }
    }

    let store: any Store
    let configuration: Configuration
    let clock: any GatehouseCore.Clock
    let logger: Logger
    let random: @Sendable () -> Double

    private let wakeup = Wakeup()
    private let stopping = Atomic<Bool>(false)
    private let worker = Mutex(WorkerState())

    private struct WorkerState {
        var inFlight = 0
        /// The soonest retry this node scheduled, so it wakes for it before the next poll.
        var soonestRetry: Date?
        var lastPurge: Date?
    }

    /// - Parameters:
    ///   - clock: the time deliveries are stamped, leased and scheduled with.
    ///   - random: numbers in `0..<1` for the retry jitter.
    public init(
        store: any Store, configuration: Configuration = Configuration(), clock: any GatehouseCore.Clock = SystemClock(),
        logger: Logger = Logger(label: "gatehouse.backchannel"), random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.random = random
    }

    // MARK: Queueing

    public func notify(_ logouts: [BackchannelLogout]) async {
        guard !logouts.isEmpty else { return }
        let now = clock.now()
        let policy = configuration.retry
        let prepared = logouts.map { Prepared($0, id: UUID(), now: now, policy: policy) }
        do {
            let pending = try await store.write { tx in
                var pending = 0
                for p in prepared {
                    var delivery = p.delivery
                    if let refusal = Self.refusal(clientID: delivery.clientID, uri: delivery.uri, in: tx) ?? (delivery.expiresAt <= now ? Self.expired : nil) {
                        delivery.status = .failed
                        delivery.logoutToken = nil
                        delivery.lastError = refusal
                    }
                    try tx.insertBackchannelDelivery(delivery)
                    let pendingNow = delivery.status == .pending
                    if pendingNow { pending += 1 }
                    try tx.appendAudit(Self.audit(pendingNow ? Self.queuedAction : Self.failedAction, delivery, time: now, in: tx))
                }
                return pending
            }
            if pending > 0 { wakeup.signal() }
            logger.debug("back-channel logouts queued", metadata: ["queued": "\(pending)", "refused": "\(logouts.count - pending)"])
        } catch {
            logger.error("back-channel logouts could not be recorded", metadata: [
                "clients": .string(logouts.map(\.clientID).joined(separator: " ")), "error": .string("\(error)"),
            ])
        }
    }

    /// Makes the worker look for due deliveries now rather than at its next poll.
    public func wake() { wakeup.signal() }

    /// What graceful shutdown does: the worker takes no new leases, and ``run()`` returns once
    /// the attempts in flight are finished and recorded.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        wakeup.signal()
    }

    // MARK: Worker

    public func run() async throws {
        let http = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: BackchannelSender.configuration(connectTimeout: configuration.connectTimeout, readTimeout: configuration.requestTimeout))
        let sender = BackchannelSender(client: http, timeout: configuration.requestTimeout)
        await withGracefulShutdownHandler {
            await self.work(sender)
        } onGracefulShutdown: {
            self.stop()
        }
        do { try await http.shutdown() } catch {
            logger.warning("back-channel HTTP client did not shut down cleanly", metadata: ["error": .string("\(error)")])
        }
    }

    private var isStopping: Bool { stopping.load(ordering: .acquiring) || Task.isCancelled }

    private func work(_ sender: BackchannelSender) async {
        // Leaving the group waits for the attempts in flight; cancellation cancels them.
        await withDiscardingTaskGroup { group in
            while !isStopping {
                let now = clock.now()
                let free = worker.withLock { state in
                    if let soonest = state.soonestRetry, soonest <= now { state.soonestRetry = nil }
                    return configuration.concurrency - state.inFlight
                }
                var storeFailed = false
                if free > 0 {
                    let leaseID = UUID()
                    let leasedUntil = now + Self.seconds(max(configuration.leaseDuration, configuration.requestTimeout + .seconds(10)))
                    do {
                        let batch = try await store.write { tx in
                            try tx.leaseBackchannelDeliveries(dueAt: now, leaseID: leaseID, leasedUntil: leasedUntil, limit: free)
                        }
                        for delivery in batch {
                            worker.withLock { $0.inFlight += 1 }
                            group.addTask {
                                await self.attempt(delivery, leaseID: leaseID, sender: sender)
                                self.worker.withLock { $0.inFlight -= 1 }
                                self.wakeup.signal()
                            }
                        }
                    } catch {
                        storeFailed = true
                        logger.error("back-channel deliveries could not be leased", metadata: ["error": .string("\(error)")])
                    }
                }
                if !storeFailed { await purgeIfDue(now: now) }
                await wakeup.wait(upTo: storeFailed ? configuration.pollInterval : nextWait())
            }
        }
    }

    /// Until the next poll, or the soonest retry this node scheduled if sooner (plus a little,
    /// so the retry is due in the store's millisecond time when the worker looks).
    private func nextWait() -> Duration {
        let now = clock.now()
        let poll = configuration.pollInterval
        let busy = worker.withLock { $0.inFlight >= configuration.concurrency }
        guard !busy, let soonest = worker.withLock({ $0.soonestRetry }) else { return poll }
        let untilRetry = Duration.milliseconds(Int64(((soonest.timeIntervalSince(now)) * 1000).rounded(.up)) + 20)
        return min(poll, max(.zero, untilRetry))
    }

    private func attempt(_ delivery: BackchannelDelivery, leaseID: UUID, sender: BackchannelSender) async {
        let outcome: BackchannelAttemptOutcome
        if delivery.expiresAt <= clock.now() {
            outcome = .abandoned(Self.expired)
        } else if let token = delivery.logoutToken {
            let refusal: String?
            do {
                refusal = try await store.read { tx in Self.refusal(clientID: delivery.clientID, uri: delivery.uri, in: tx) }
            } catch {
                // The lease runs out and the delivery is attempted again later.
                logger.error("back-channel delivery skipped: the store did not answer", metadata: ["delivery": .string(delivery.id.lowercased), "error": .string("\(error)")])
                return
            }
            if let refusal {
                outcome = .abandoned(refusal)
            } else {
                outcome = await sender.post(logoutToken: token, to: delivery.uri)
                // An attempt cut short by cancellation is not one: leave it to the lease's expiry.
                if Task.isCancelled, outcome != .delivered { return }
            }
        } else {
            outcome = .abandoned("no logout token")
        }
        await record(outcome, for: delivery, leaseID: leaseID)
    }

    private func record(_ outcome: BackchannelAttemptOutcome, for delivery: BackchannelDelivery, leaseID: UUID) async {
        let time = clock.now()
        var updated = delivery
        switch outcome {
        case .delivered:
            updated.attempts += 1
            updated.lastAttemptAt = time
            updated.status = .delivered
            updated.deliveredAt = time
            updated.lastError = nil
        case .failed(let reason):
            updated.attempts += 1
            updated.lastAttemptAt = time
            updated.lastError = reason
            if let next = configuration.retry.nextAttempt(afterAttempt: updated.attempts, failedAt: time, expiresAt: delivery.expiresAt, random: random()) {
                updated.nextAttemptAt = next
            } else {
                updated.status = .failed
            }
        case .abandoned(let reason):
            updated.status = .failed
            updated.lastError = reason
        }
        let final = updated
        do {
            let kept = try await store.write { tx in
                guard try tx.recordBackchannelAttempt(final, leaseID: leaseID) else { return false }
                switch final.status {
                case .pending: break
                case .delivered: try tx.appendAudit(Self.audit(Self.deliveredAction, final, time: time, in: tx))
                case .failed: try tx.appendAudit(Self.audit(Self.failedAction, final, time: time, in: tx))
                }
                return true
            }
            guard kept else {
                logger.warning("back-channel delivery lease ran out before its outcome was recorded", metadata: metadata(final))
                return
            }
        } catch {
            logger.error("back-channel delivery outcome could not be recorded", metadata: metadata(final).merging(["error": .string("\(error)")]) { $1 })
            return
        }
        switch final.status {
        case .delivered:
            logger.info("back-channel logout delivered", metadata: metadata(final))
        case .pending:
            worker.withLock { state in state.soonestRetry = min(state.soonestRetry ?? final.nextAttemptAt, final.nextAttemptAt) }
            logger.info("back-channel logout attempt failed; will retry", metadata: metadata(final).merging(["next_attempt": .string("\(final.nextAttemptAt)")]) { $1 })
        case .failed:
            logger.warning("back-channel logout given up", metadata: metadata(final))
        }
    }

    private func purgeIfDue(now: Date) async {
        let due = worker.withLock { state in
            guard state.lastPurge.map({ now.timeIntervalSince($0) >= configuration.purgeInterval || now < $0 }) ?? true else { return false }
            state.lastPurge = now
            return true
        }
        guard due else { return }
        let cutoff = now - configuration.retention
        do {
            let deleted = try await store.write { try $0.deleteFinishedBackchannelDeliveries(createdBefore: cutoff) }
            if deleted > 0 { logger.info("old back-channel delivery records deleted", metadata: ["count": "\(deleted)"]) }
        } catch {
            logger.error("old back-channel delivery records could not be deleted", metadata: ["error": .string("\(error)")])
        }
    }

    // MARK: Helpers

    static let expired = "the logout token expired before it could be delivered"

    /// Why a delivery to `uri` for `clientID` must not be made, or `nil` when it may: the URI must
    /// be `http(s)` and still be the client's registered back-channel logout URI.
    static func refusal(clientID: String, uri: String, in tx: any StoreReader) -> String? {
        guard BackchannelSender.acceptableURI(uri) != nil else { return "refused: not an http(s) URI" }
        guard let client = try? tx.client(id: clientID) else { return "refused: the client no longer exists" }
        guard client.backchannelLogoutURI == uri else { return "refused: the client no longer registers this back-channel logout URI" }
        return nil
    }

    static func audit(_ action: String, _ delivery: BackchannelDelivery, time: Date, in tx: any StoreReader) -> AuditRecord {
        var detail = ["delivery": delivery.id.lowercased]
        if delivery.attempts > 0 { detail["attempts"] = String(delivery.attempts) }
        if action != queuedAction, let error = delivery.lastError { detail["error"] = error }
        return AuditRecord(
            action: action, actor: auditActor, target: delivery.subject, unit: unit(of: delivery.subject, in: tx),
            clientID: delivery.clientID, result: action == failedAction ? .failure : .success, detail: detail, time: time)
    }

    /// The home unit of the account `subject` names, so administrators of that subtree see the events.
    static func unit(of subject: String?, in tx: any StoreReader) -> UnitPath? {
        guard let subject, let id = UUID(uuidString: subject), let account = try? tx.account(id: id) else { return nil }
        return try? tx.unit(id: account.unitID).path
    }

    private func metadata(_ delivery: BackchannelDelivery) -> Logger.Metadata {
        var out: Logger.Metadata = [
            "delivery": .string(delivery.id.lowercased), "client_id": .string(delivery.clientID), "attempts": "\(delivery.attempts)",
        ]
        if let error = delivery.lastError { out["error"] = .string(error) }
        return out
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    /// A logout turned into the delivery to record, with `sub`, `sid` and `exp` read from the
    /// token (Gatehouse signed it a moment ago; nothing here trusts it for more than bookkeeping).
    private struct Prepared: Sendable {
        let delivery: BackchannelDelivery

        init(_ logout: BackchannelLogout, id: UUID, now: Date, policy: BackchannelRetryPolicy) {
            var subject: String?, sessionID: String?, expiry: Date?
            let parts = logout.logoutToken.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 3, let payload = Base64URL.decode(parts[1]), let claims = try? JWTClaims(json: payload) {
                subject = claims.subject
                expiry = claims.expiresAt
                if case .string(let sid)? = claims.additional["sid"] { sessionID = sid }
            }
            delivery = BackchannelDelivery(
                id: id, clientID: logout.clientID, uri: logout.uri, logoutToken: logout.logoutToken, subject: subject, sessionID: sessionID,
                createdAt: now, expiresAt: policy.expiry(createdAt: now, tokenExpiry: expiry))
        }
    }
}

extension UUID {
    fileprivate var lowercased: String { uuidString.lowercased() }
}

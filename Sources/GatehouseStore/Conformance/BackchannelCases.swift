import Foundation
import GatehouseCore

/// Back-channel logout deliveries: the record, leases that keep nodes from sending the same
/// delivery at once, attempts recorded under a lease, and the token dropped once finished.
enum BackchannelCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("backchannel.insert-read-list", insertReadList),
        ConformanceCase("backchannel.lease-due-and-free-only", leaseDueAndFreeOnly),
        ConformanceCase("backchannel.attempt-recorded-under-lease", attemptUnderLease),
        ConformanceCase("backchannel.stale-lease-cannot-record", staleLease),
        ConformanceCase("backchannel.purge-finished", purgeFinished),
    ]

    static let contention: [ConformanceCase] = [
        ConformanceCase("contention.backchannel-leases-disjoint", concurrentLeasesDisjoint),
    ]

    static func delivery(_ client: String, clock: ManualClock, due: TimeInterval = 0, token: String? = nil) -> BackchannelDelivery {
        BackchannelDelivery(
            clientID: client, uri: "https://\(client).example.gov.vn/bcl", logoutToken: token ?? "eyJ.\(client).\(UUID().uuidString)",
            subject: UUID().uuidString.lowercased(), sessionID: Fixture.hash(UUID().uuidString), createdAt: clock.now(),
            nextAttemptAt: clock.now() + due, expiresAt: clock.now() + 3600)
    }

    /// `value` changed by `change`.
    static func with<T>(_ value: T, _ change: (inout T) -> Void) -> T {
        var copy = value
        change(&copy)
        return copy
    }

    static func insertReadList(store: any Store, clock: ManualClock) async throws {
        let first = delivery("portal", clock: clock, token: "eyJhbGciOiJFUzI1NiJ9.e30.c2ln")
        clock.advance(by: 1)
        let second = delivery("mail", clock: clock)
        let finished = with(delivery("hr", clock: clock)) {
            $0.status = .failed
            $0.logoutToken = nil
            $0.attempts = 3
            $0.lastError = "HTTP 500"
            $0.lastAttemptAt = clock.now()
        }
        try await store.write { tx in
            try tx.insertBackchannelDelivery(first)
            try tx.insertBackchannelDelivery(second)
            try tx.insertBackchannelDelivery(finished)
        }
        try checkEqual(try await store.read { try $0.backchannelDelivery(id: first.id) }, first, "read back as written")
        try checkEqual(try await store.read { try $0.backchannelDelivery(id: finished.id) }, finished, "a finished delivery without its token")
        let pending = try await store.read { try $0.backchannelDeliveries(status: .pending, page: Page()) }
        try checkEqual(pending.map(\.id), [first.id, second.id], "pending deliveries, oldest first")
        let everything = try await store.read { try $0.backchannelDeliveries(status: nil, page: Page()) }
        try checkEqual(Set(everything.map(\.id)), [first.id, second.id, finished.id], "every delivery")
        try checkEqual(try await store.read { try $0.backchannelDeliveries(status: nil, page: Page(limit: 1, offset: 1)) }.count, 1, "paged")
        try checkEqual(try await store.read { try $0.countBackchannelDeliveries(status: .pending) }, 2, "pending count")
        try checkEqual(try await store.read { try $0.countBackchannelDeliveries(status: .failed) }, 1, "failed count")
        try checkEqual(try await store.read { try $0.countBackchannelDeliveries(status: nil) }, 3, "total count")
        try checkEqual(try await store.read { try $0.countBackchannelDeliveries(status: .delivered) }, 0, "delivered count")

        try await expectError(.notFound, "unknown delivery") { try await store.read { try $0.backchannelDelivery(id: UUID()) } }
        try await expectError(.alreadyExists, "same id twice") { try await store.write { try $0.insertBackchannelDelivery(first) } }
        let tokenless = with(delivery("portal", clock: clock)) { $0.logoutToken = nil }
        try await expectError(.invalid, "a pending delivery without its token") { try await store.write { try $0.insertBackchannelDelivery(tokenless) } }
        let finishedWithToken = with(delivery("portal", clock: clock)) { $0.status = .delivered }
        try await expectError(.invalid, "a finished delivery keeping its token") {
            try await store.write { try $0.insertBackchannelDelivery(finishedWithToken) }
        }
        let leased = with(delivery("portal", clock: clock)) {
            $0.leaseID = UUID()
            $0.leasedUntil = clock.now() + 30
        }
        try await store.write { try $0.insertBackchannelDelivery(leased) }
        let stored = try await store.read { try $0.backchannelDelivery(id: leased.id) }
        try check(stored.leaseID == nil && stored.leasedUntil == nil, "a new delivery is not leased")
    }

    static func leaseDueAndFreeOnly(store: any Store, clock: ManualClock) async throws {
        let dueLater = delivery("later", clock: clock, due: 60)
        let dueFirst = delivery("first", clock: clock, due: -20)
        let dueSecond = delivery("second", clock: clock, due: -10)
        let dueNow = delivery("now", clock: clock)
        let failed = with(delivery("failed", clock: clock, due: -30)) {
            $0.status = .failed
            $0.logoutToken = nil
        }
        try await store.write { tx in
            for d in [dueLater, dueFirst, dueSecond, dueNow, failed] { try tx.insertBackchannelDelivery(d) }
        }
        let lease = UUID(), until = clock.now() + 30
        let leased = try await store.write { try $0.leaseBackchannelDeliveries(dueAt: clock.now(), leaseID: lease, leasedUntil: until, limit: 2) }
        try checkEqual(leased.map(\.id), [dueFirst.id, dueSecond.id], "the limit, soonest due first")
        try check(leased.allSatisfy { $0.leaseID == lease && $0.leasedUntil == until }, "leased under the lease given")
        try checkEqual(leased.first?.logoutToken, dueFirst.logoutToken, "a leased delivery carries its token")

        let rest = try await store.write { try $0.leaseBackchannelDeliveries(dueAt: clock.now(), leaseID: UUID(), leasedUntil: until, limit: 10) }
        try checkEqual(rest.map(\.id), [dueNow.id], "leased deliveries, ones not yet due and finished ones are skipped")
        let none = try await store.write { try $0.leaseBackchannelDeliveries(dueAt: clock.now(), leaseID: UUID(), leasedUntil: until, limit: 10) }
        try checkEqual(none, [], "nothing left to lease")
        try checkEqual(try await store.write { try $0.leaseBackchannelDeliveries(dueAt: clock.now(), leaseID: UUID(), leasedUntil: until, limit: 0) }, [], "limit 0")

        clock.advance(by: 31)
        let again = UUID()
        let expired = try await store.write { try $0.leaseBackchannelDeliveries(dueAt: clock.now(), leaseID: again, leasedUntil: clock.now() + 30, limit: 10) }
        try checkEqual(expired.map(\.id), [dueFirst.id, dueSecond.id, dueNow.id], "leases that ran out are taken again")
        try check(expired.allSatisfy { $0.leaseID == again }, "under the new lease")
        clock.advance(by: 30)
        let later = try await store.write { try $0.leaseBackchannelDeliveries(dueAt: clock.now(), leaseID: UUID(), leasedUntil: clock.now() + 30, limit: 1) }
        try checkEqual(later.map(\.id), [dueLater.id], "due once its time has come")
    }

    static func attemptUnderLease(store: any Store, clock: ManualClock) async throws {
        let d = delivery("portal", clock: clock)
        try await store.write { try $0.insertBackchannelDelivery(d) }
        let lease = UUID()
        guard var attempt = try await store.write({ try $0.leaseBackchannelDeliveries(dueAt: clock.now(), leaseID: lease, leasedUntil: clock.now() + 30, limit: 5) }).first else {
            throw ConformanceFailure("the delivery was not leased")
        }
        attempt.attempts = 1
        attempt.lastAttemptAt = clock.now()
        attempt.lastError = "HTTP 503"
        attempt.nextAttemptAt = clock.now() + 5
        try check(try await store.write { [attempt] in try $0.recordBackchannelAttempt(attempt, leaseID: lease) }, "recorded under the lease")
        var stored = try await store.read { try $0.backchannelDelivery(id: d.id) }
        try checkEqual(stored.attempts, 1, "attempts")
        try checkEqual(stored.lastError, "HTTP 503", "last error")
        try checkEqual(stored.nextAttemptAt, clock.now() + 5, "next attempt")
        try checkEqual(stored.logoutToken, d.logoutToken, "a pending delivery keeps its token")
        try check(stored.leaseID == nil && stored.leasedUntil == nil, "the lease is released")
        try check(!(try await store.write { [attempt] in try $0.recordBackchannelAttempt(attempt, leaseID: lease) }), "a released lease records nothing")
        try checkEqual(try await store.write { try $0.leaseBackchannelDeliveries(dueAt: clock.now(), leaseID: UUID(), leasedUntil: clock.now() + 30, limit: 5) }, [], "not due before its next attempt")

        clock.advance(by: 5)
        let second = UUID()
        guard var retry = try await store.write({ try $0.leaseBackchannelDeliveries(dueAt: clock.now(), leaseID: second, leasedUntil: clock.now() + 30, limit: 5) }).first else {
            throw ConformanceFailure("the delivery was not leased for its retry")
        }
        retry.attempts = 2
        retry.status = .delivered
        retry.lastAttemptAt = clock.now()
        retry.deliveredAt = clock.now()
        retry.lastError = nil
        try check(try await store.write { [retry] in try $0.recordBackchannelAttempt(retry, leaseID: second) }, "delivered under the second lease")
        stored = try await store.read { try $0.backchannelDelivery(id: d.id) }
        try checkEqual(stored.status, .delivered, "status")
        try checkEqual(stored.logoutToken, nil, "the token is dropped once delivered")
        try checkEqual(stored.deliveredAt, clock.now(), "delivered at")
        try checkEqual(stored.lastError, nil, "no error")
        try checkEqual(try await store.write { try $0.leaseBackchannelDeliveries(dueAt: clock.now() + 3600, leaseID: UUID(), leasedUntil: clock.now() + 7200, limit: 5) }, [], "a finished delivery is never leased")

        let gone = delivery("mail", clock: clock)
        try check(!(try await store.write { try $0.recordBackchannelAttempt(gone, leaseID: lease) }), "an unknown delivery records nothing")
    }

    static func staleLease(store: any Store, clock: ManualClock) async throws {
        let d = delivery("portal", clock: clock)
        try await store.write { try $0.insertBackchannelDelivery(d) }
        let first = UUID(), second = UUID()
        _ = try await store.write { try $0.leaseBackchannelDeliveries(dueAt: clock.now(), leaseID: first, leasedUntil: clock.now() + 30, limit: 1) }
        clock.advance(by: 31)
        let retaken = try await store.write { try $0.leaseBackchannelDeliveries(dueAt: clock.now(), leaseID: second, leasedUntil: clock.now() + 30, limit: 1) }
        try checkEqual(retaken.map(\.id), [d.id], "another node takes the lease that ran out")
        var late = d
        late.status = .failed
        late.attempts = 1
        late.lastError = "timeout"
        try check(!(try await store.write { [late] in try $0.recordBackchannelAttempt(late, leaseID: first) }), "the first node lost its lease")
        let stored = try await store.read { try $0.backchannelDelivery(id: d.id) }
        try checkEqual(stored.status, .pending, "unchanged")
        try checkEqual(stored.leaseID, second, "still under the second lease")
        try checkEqual(stored.logoutToken, d.logoutToken, "token kept")
    }

    static func purgeFinished(store: any Store, clock: ManualClock) async throws {
        let oldDelivered = with(delivery("a", clock: clock)) {
            $0.status = .delivered
            $0.logoutToken = nil
            $0.deliveredAt = clock.now()
        }
        let oldFailed = with(delivery("b", clock: clock)) {
            $0.status = .failed
            $0.logoutToken = nil
        }
        let oldPending = delivery("c", clock: clock)
        clock.advance(by: 100)
        let newDelivered = with(delivery("d", clock: clock)) {
            $0.status = .delivered
            $0.logoutToken = nil
        }
        try await store.write { tx in
            for d in [oldDelivered, oldFailed, oldPending, newDelivered] { try tx.insertBackchannelDelivery(d) }
        }
        try checkEqual(try await store.write { try $0.deleteFinishedBackchannelDeliveries(createdBefore: clock.now()) }, 2, "old finished deliveries deleted")
        let left = try await store.read { try $0.backchannelDeliveries(status: nil, page: Page()) }
        try checkEqual(Set(left.map(\.id)), [oldPending.id, newDelivered.id], "pending ones stay however old; newer finished ones stay")
    }

    /// Many transactions lease at once, as several nodes would: no delivery is leased twice and
    /// every due one is leased.
    static func concurrentLeasesDisjoint(store: any Store, clock: ManualClock) async throws {
        let count = 60
        let deliveries = (0..<count).map { i in delivery("c\(i % 6)", clock: clock, due: -Double(i)) }
        try await store.write { tx in
            for d in deliveries { try tx.insertBackchannelDelivery(d) }
        }
        let now = clock.now()
        let leased = try await withThrowingTaskGroup(of: [UUID].self) { group in
            for _ in 0..<12 {
                group.addTask {
                    let lease = UUID()
                    return try await store.write { try $0.leaseBackchannelDeliveries(dueAt: now, leaseID: lease, leasedUntil: now + 30, limit: 8) }.map(\.id)
                }
            }
            var all: [UUID] = []
            for try await ids in group { all += ids }
            return all
        }
        try checkEqual(leased.count, Set(leased).count, "no delivery leased twice")
        try checkEqual(Set(leased), Set(deliveries.map(\.id)), "every due delivery leased (12 × 8 > 60)")
    }
}

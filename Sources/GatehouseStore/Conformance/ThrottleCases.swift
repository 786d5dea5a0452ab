import Foundation
import GatehouseCore

/// Login throttle counters (`ThrottleCounter`): counting, the restart after a quiet window,
/// blocks, reset and purge, and no lost count under concurrent writers.
enum ThrottleCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("throttle.count-and-restart-after-window", countAndRestart),
        ConformanceCase("throttle.block-keeps-the-later-end", blocks),
        ConformanceCase("throttle.reset-and-purge", resetAndPurge),
    ]

    static let contention: [ConformanceCase] = [
        ConformanceCase("contention.throttle-failures", concurrentFailures),
    ]

    static let window: TimeInterval = 3600

    static func record(_ store: any Store, _ key: String, _ clock: ManualClock) async throws -> ThrottleCounter {
        try await store.write { try $0.recordThrottleFailure(key: key, at: clock.now(), window: window) }
    }

    static func countAndRestart(store: any Store, clock: ManualClock) async throws {
        try checkEqual(try await store.read { try $0.throttleCounters(keys: ["acct:a"]) }, [], "no counter before a failure")
        let start = clock.now()
        let first = try await record(store, "acct:a", clock)
        try checkEqual(first, ThrottleCounter(key: "acct:a", failures: 1, lastFailureAt: start), "the first failure")
        clock.advance(by: 10)
        _ = try await record(store, "acct:a", clock)
        clock.advance(by: window - 1)
        let third = try await record(store, "acct:a", clock)
        try checkEqual(third.failures, 3, "failures less than a window apart add up")
        try checkEqual(third.lastFailureAt, clock.now(), "the last failure's time")
        _ = try await record(store, "ip:10.0.0.1", clock)
        let both = try await store.read { try $0.throttleCounters(keys: ["acct:a", "ip:10.0.0.1", "net:none"]) }
        try checkEqual(Set(both.map(\.key)), ["acct:a", "ip:10.0.0.1"], "the counters that exist among those asked for")
        try checkEqual(both.first { $0.key == "ip:10.0.0.1" }?.failures, 1, "keys count apart")
        clock.advance(by: window)
        let restarted = try await record(store, "acct:a", clock)
        try checkEqual(restarted.failures, 1, "after a whole window without a failure the count starts again")
        let stored = try await store.read { try $0.throttleCounters(keys: ["acct:a"]) }
        try checkEqual(stored, [restarted], "read back as returned")
    }

    static func blocks(store: any Store, clock: ManualClock) async throws {
        try await expectError(.notFound, "a block of a key with no counter") {
            try await store.write { try $0.blockThrottle(key: "acct:none", until: clock.now() + 60) }
        }
        _ = try await record(store, "acct:b", clock)
        let end = clock.now() + 60
        try await store.write { try $0.blockThrottle(key: "acct:b", until: end) }
        try await store.write { try $0.blockThrottle(key: "acct:b", until: end - 30) }
        var counter = try await store.read { try $0.throttleCounters(keys: ["acct:b"]) }.first
        try checkEqual(counter?.blockedUntil, Optional(end), "an earlier end does not shorten the block")
        try check(counter?.isBlocked(at: clock.now()) == true && counter?.isBlocked(at: end) == false, "blocked until its end, not at it")
        try await store.write { try $0.blockThrottle(key: "acct:b", until: end + 60) }
        counter = try await store.read { try $0.throttleCounters(keys: ["acct:b"]) }.first
        try checkEqual(counter?.blockedUntil, Optional(end + 60), "a later end lengthens it")
        clock.advance(by: window + 1)
        let restarted = try await record(store, "acct:b", clock)
        try checkEqual(restarted.failures, 1, "the count restarts")
        try checkEqual(restarted.blockedUntil, Optional(end + 60), "the block is kept when the count restarts")
    }

    static func resetAndPurge(store: any Store, clock: ManualClock) async throws {
        _ = try await record(store, "acct:old", clock)
        _ = try await record(store, "acct:blocked", clock)
        try await store.write { try $0.blockThrottle(key: "acct:blocked", until: clock.now() + 2 * window) }
        clock.advance(by: window)
        _ = try await record(store, "acct:recent", clock)
        _ = try await record(store, "acct:reset", clock)
        try check(try await store.write { try $0.resetThrottle(key: "acct:reset") }, "a reset forgets the counter")
        try check(!(try await store.write { try $0.resetThrottle(key: "acct:reset") }), "a second reset finds none")
        try checkEqual(try await store.write { try $0.deleteExpiredThrottleCounters(before: clock.now()) }, 1, "only the old, unblocked counter is purged")
        let left = try await store.read { try $0.throttleCounters(keys: ["acct:old", "acct:blocked", "acct:recent", "acct:reset"]) }
        try checkEqual(Set(left.map(\.key)), ["acct:blocked", "acct:recent"], "a running block and a recent failure are kept")
    }

    /// Many logins failing at once against one key: every failure is counted once, and each
    /// writer sees a count no other writer saw.
    static func concurrentFailures(store: any Store, clock: ManualClock) async throws {
        let writers = 40
        let seen = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<writers {
                group.addTask {
                    var attempts = 0
                    while true {
                        attempts += 1
                        do {
                            return try await record(store, "ip:192.0.2.7", clock).failures
                        } catch let error as StoreError where error.kind == .conflict {
                            if attempts > 100 { throw ConformanceFailure("a failure was not counted after 100 attempts") }
                        }
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        try checkEqual(seen.sorted(), Array(1...writers), "each writer saw its own count")
        let final = try await store.read { try $0.throttleCounters(keys: ["ip:192.0.2.7"]) }.first
        try checkEqual(final?.failures, writers, "no failure lost")
    }
}

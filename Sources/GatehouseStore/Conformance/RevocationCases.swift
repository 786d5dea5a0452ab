import Foundation
import GatehouseCore

/// The revocation feed: events numbered in commit order, read after a cursor, bounded, and
/// pruned once expired. The contention case is the one that matters most: a reader polling
/// while many transactions append must never see sequence N+1 before N.
enum RevocationCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("revocations.empty-feed", emptyFeed),
        ConformanceCase("revocations.append-and-read", appendAndRead),
        ConformanceCase("revocations.paging-and-limit", pagingAndLimit),
        ConformanceCase("revocations.rollback-takes-no-sequence", rollbackTakesNoSequence),
        ConformanceCase("revocations.prune-expired", pruneExpired),
        ConformanceCase("revocations.empty-value-refused", emptyValueRefused),
    ]

    static let contention: [ConformanceCase] = [
        ConformanceCase("contention.revocation-appends-never-skipped", appendsNeverSkipped),
    ]

    /// Appends one event of each kind, one second apart; returns them as they should read back.
    static func appendEach(_ store: any Store, clock: ManualClock) async throws -> [RevocationEvent] {
        var appended: [RevocationEvent] = []
        for (i, kind) in RevocationEvent.Kind.allCases.enumerated() {
            let time = clock.now(), expires = clock.now() + TimeInterval(100 * (i + 1))
            let value = "\(kind.rawValue)-\(UUID().uuidString.lowercased())"
            let sequence = try await store.write { try $0.appendRevocation(kind: kind, value: value, time: time, expires: expires) }
            appended.append(RevocationEvent(sequence: sequence, kind: kind, value: value, time: time, expiresAt: expires))
            clock.advance(by: 1)
        }
        return appended
    }

    static func emptyFeed(store: any Store, clock: ManualClock) async throws {
        try checkEqual(try await store.read { try $0.revocations(after: 0, limit: 100) }, [], "a new feed is empty")
        let bounds = try await store.read { try $0.revocationBounds() }
        try checkEqual(bounds.oldest, 0, "oldest of an empty feed")
        try checkEqual(bounds.latest, 0, "latest of an empty feed")
        try checkEqual(try await store.read { try $0.revocations(after: 42, limit: 100) }, [], "a cursor past the end")
        try checkEqual(try await store.write { try $0.deleteExpiredRevocations(before: clock.now() + 86400) }, 0, "nothing to prune")
    }

    static func appendAndRead(store: any Store, clock: ManualClock) async throws {
        let appended = try await appendEach(store, clock: clock)
        try checkEqual(appended.map(\.sequence), [1, 2, 3, 4], "sequences start at 1 and follow each other")
        let read = try await store.read { try $0.revocations(after: 0, limit: 100) }
        try checkEqual(read, appended, "every field read back as written, in sequence order")
        try checkEqual(Set(read.map(\.kind)), Set(RevocationEvent.Kind.allCases), "each kind stored")
        let bounds = try await store.read { try $0.revocationBounds() }
        try checkEqual(bounds.oldest, 1, "oldest")
        try checkEqual(bounds.latest, 4, "latest")
        // Several events in one transaction take consecutive sequences.
        let pair = try await store.write { tx in
            [try tx.appendRevocation(kind: .grant, value: "g-1", time: clock.now(), expires: clock.now() + 60),
             try tx.appendRevocation(kind: .session, value: "s-1", time: clock.now(), expires: clock.now() + 60)]
        }
        try checkEqual(pair, [5, 6], "one transaction, two events")
    }

    static func pagingAndLimit(store: any Store, clock: ManualClock) async throws {
        try await store.write { tx in
            for i in 1...12 { try tx.appendRevocation(kind: .token, value: "jti-\(i)", time: clock.now(), expires: clock.now() + 60) }
        }
        var cursor: Int64 = 0
        var pages: [[Int64]] = []
        while true {
            let after = cursor
            let page = try await store.read { try $0.revocations(after: after, limit: 5) }
            if page.isEmpty { break }
            pages.append(page.map(\.sequence))
            cursor = page.last!.sequence
        }
        try checkEqual(pages, [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12]], "pages of five, in order, each after the last")
        try checkEqual(try await store.read { try $0.revocations(after: 10, limit: 100) }.map(\.value), ["jti-11", "jti-12"], "after a cursor")
        try checkEqual(try await store.read { try $0.revocations(after: 0, limit: 0) }, [], "limit 0")
        try checkEqual(try await store.read { try $0.revocations(after: 12, limit: 5) }, [], "after the latest")
        try checkEqual(try await store.read { try $0.revocations(after: -5, limit: 1) }.map(\.sequence), [1], "a negative cursor reads from the start")
    }

    /// A transaction that appended and then failed leaves no hole: its sequence goes to the
    /// next event that commits.
    static func rollbackTakesNoSequence(store: any Store, clock: ManualClock) async throws {
        _ = try await store.write { try $0.appendRevocation(kind: .session, value: "s-1", time: clock.now(), expires: clock.now() + 60) }
        struct Abandon: Error {}
        do {
            try await store.write { tx -> Void in
                try tx.appendRevocation(kind: .session, value: "s-abandoned", time: clock.now(), expires: clock.now() + 60)
                throw Abandon()
            }
            throw ConformanceFailure("the throwing write should have failed")
        } catch is Abandon {}
        let next = try await store.write { try $0.appendRevocation(kind: .session, value: "s-2", time: clock.now(), expires: clock.now() + 60) }
        try checkEqual(next, 2, "the rolled-back append took no sequence")
        try checkEqual(try await store.read { try $0.revocations(after: 0, limit: 10) }.map(\.value), ["s-1", "s-2"], "only committed events")
    }

    static func pruneExpired(store: any Store, clock: ManualClock) async throws {
        let appended = try await appendEach(store, clock: clock)  // expire after 100, 200, 300, 400 s
        clock.set(appended[1].expiresAt)
        try checkEqual(try await store.write { try $0.deleteExpiredRevocations(before: clock.now()) }, 1, "only the event expired before now")
        try checkEqual(try await store.read { try $0.revocations(after: 0, limit: 10) }, Array(appended.dropFirst()),
                       "an event expiring exactly now stays; later ones stay")
        try checkEqual(try await store.read { try $0.revocationBounds() }.oldest, 2, "oldest moves up")
        clock.advance(by: 1_000)
        try checkEqual(try await store.write { try $0.deleteExpiredRevocations(before: clock.now()) }, 3, "the rest")
        let bounds = try await store.read { try $0.revocationBounds() }
        try checkEqual(bounds.oldest, 0, "no event kept")
        try checkEqual(bounds.latest, 4, "pruning never lowers the latest sequence")
        let next = try await store.write { try $0.appendRevocation(kind: .subject, value: "s", time: clock.now(), expires: clock.now() + 60) }
        try checkEqual(next, 5, "numbering continues after a prune")
    }

    static func emptyValueRefused(store: any Store, clock: ManualClock) async throws {
        try await expectError(.invalid, "an event without a value") {
            try await store.write { try $0.appendRevocation(kind: .session, value: "", time: clock.now(), expires: clock.now() + 60) }
        }
        try checkEqual(try await store.read { try $0.revocationBounds() }.latest, 0, "nothing appended")
    }

    /// Many transactions append at once, half of them appending to the audit chain before the
    /// feed and half after, while a reader polls with a cursor, as an application does. Every
    /// page the reader gets must continue exactly where its cursor stood (the events committed
    /// at any moment are always 1…k), so what it sees is exactly 1…writers with no gap.
    static func appendsNeverSkipped(store: any Store, clock: ManualClock) async throws {
        let writers = ContentionCases.writers
        let now = clock.now()
        let seen = try await withThrowingTaskGroup(of: [Int64].self) { group in
            group.addTask {
                var cursor: Int64 = 0
                var seen: [Int64] = []
                let deadline = ContinuousClock.now + .seconds(120)
                while cursor < Int64(writers) {
                    let after = cursor
                    let page = try await store.read { try $0.revocations(after: after, limit: 7) }
                    for (offset, event) in page.enumerated() where event.sequence != after + 1 + Int64(offset) {
                        throw ConformanceFailure("after \(after) the reader got \(page.map(\.sequence)): sequence \(after + 1 + Int64(offset)) was skipped")
                    }
                    seen += page.map(\.sequence)
                    cursor = page.last?.sequence ?? cursor
                    if page.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
                    guard ContinuousClock.now < deadline else { throw ConformanceFailure("the reader reached only \(cursor) of \(writers)") }
                }
                return seen
            }
            for i in 0..<writers {
                group.addTask {
                    try await store.write { tx in
                        let audit = Fixture.audit("test.revocation", clock: clock, detail: ["writer": String(i)])
                        if i % 2 == 0 { try tx.appendAudit(audit) }
                        try tx.appendRevocation(kind: .session, value: "sid-\(i)", time: now, expires: now + 60)
                        if i % 2 == 1 { try tx.appendAudit(audit) }
                    }
                    return []
                }
            }
            return try await group.reduce(into: [Int64]()) { $0 += $1 }
        }
        try checkEqual(seen, Array(1...Int64(writers)), "the reader saw every sequence once, in order")
        let events = try await store.read { try $0.revocations(after: 0, limit: 1_000) }
        try checkEqual(Set(events.map(\.value)).count, writers, "no event lost or doubled")
        try checkEqual(try await store.read { try $0.revocationBounds() }.latest, Int64(writers), "latest")
        try checkEqual(AuditChain.verify(try await store.read { try $0.auditEvents(after: 0, limit: 1_000) }), nil, "the audit chain still verifies")
    }
}

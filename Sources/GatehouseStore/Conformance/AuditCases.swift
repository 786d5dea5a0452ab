import Foundation
import GatehouseCore

/// The audit log: append and read back, and the hash chain's contiguity and correctness.
enum AuditCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("audit.append-and-read", appendAndRead),
        ConformanceCase("audit.chain-contiguous-and-hashes-correct", chain),
    ]

    static func appendAndRead(store: any Store, clock: ManualClock) async throws {
        try checkEqual(try await store.read { try $0.lastAuditEvent() }, nil, "empty log")
        try checkEqual(try await store.read { try $0.auditEvents(after: 0, limit: 10) }, [], "no events")
        let full = Fixture.audit("account.create", clock: clock, unit: Fixture.path("/ha-noi/phuong-ba-dinh"), detail: ["email": "a@b.vn", "tên": "Nguyễn Văn A", "": "empty key"])
        clock.advance(by: 0.25)
        let bare = AuditRecord(action: "login.failure", actor: "anonymous", result: .failure, time: clock.now())
        let first = try await store.write { try $0.appendAudit(full) }
        let second = try await store.write { try $0.appendAudit(bare) }
        try checkEqual(first.sequence, 1, "first sequence")
        try checkEqual(first.record, full, "record stored as given")
        try checkEqual(first.previousHash, AuditEvent.genesisHash, "first event links to the genesis hash")
        try checkEqual(second.sequence, 2, "second sequence")
        try checkEqual(second.previousHash, first.hash, "second links to the first")
        try checkEqual(second.record.time, clock.now(), "sub-second time kept to the millisecond")
        let events = try await store.read { try $0.auditEvents(after: 0, limit: 10) }
        try checkEqual(events, [first, second], "events read back as appended")
        try checkEqual(try await store.read { try $0.auditEvents(after: 1, limit: 10) }, [second], "after 1")
        try checkEqual(try await store.read { try $0.auditEvents(after: 0, limit: 1) }, [first], "limit 1")
        try checkEqual(try await store.read { try $0.auditEvents(after: 2, limit: 10) }, [], "after the last")
        try checkEqual(try await store.read { try $0.lastAuditEvent() }, Optional(second), "last event")
    }

    static func chain(store: any Store, clock: ManualClock) async throws {
        var appended: [AuditEvent] = []
        for i in 0..<25 {
            clock.advance(by: 1)
            let record = Fixture.audit("test.event", clock: clock, detail: ["i": String(i)])
            if i % 5 == 0 {
                // Several events in one transaction chain in order too.
                appended += try await store.write { tx in
                    [try tx.appendAudit(record), try tx.appendAudit(AuditRecord(action: "test.pair", actor: "cli", time: record.time))]
                }
            } else {
                appended.append(try await store.write { try $0.appendAudit(record) })
            }
        }
        try checkEqual(appended.map(\.sequence), Array(1...Int64(appended.count)), "contiguous sequences")
        var previous = AuditEvent.genesisHash
        for event in appended {
            try checkEqual(event.previousHash, previous, "link of event \(event.sequence)")
            try checkEqual(event.hash, AuditChain.hash(previousHash: previous, record: event.record, sequence: event.sequence), "hash of event \(event.sequence)")
            previous = event.hash
        }
        // Read in pages, as `gatehouse audit verify` does.
        var verifier = AuditChainVerifier()
        var after: Int64 = 0
        var read: [AuditEvent] = []
        while true {
            let batch = try await store.read { [after] in try $0.auditEvents(after: after, limit: 7) }
            if batch.isEmpty { break }
            if let fault = verifier.check(batch) { throw ConformanceFailure("stored chain does not verify: \(fault)") }
            read += batch
            after = batch[batch.count - 1].sequence
        }
        try checkEqual(verifier.finish(), nil, "verifier at the end")
        try checkEqual(read, appended, "stored events equal the appended ones")
    }
}

import Foundation
import GatehouseCore
import GatehouseStore
import Testing

/// The audit-chain verifier finds the first bad event and says why.
@Suite("Audit chain verifier")
struct AuditChainVerifierTests {
    /// A valid chain of `count` events.
    static func chain(_ count: Int) -> [AuditEvent] {
        var events: [AuditEvent] = []
        var previous = AuditEvent.genesisHash
        for i in 1...count {
            let record = AuditRecord(
                action: "account.update", actor: "cli", target: "user\(i)", unit: try? UnitPath("/ha-noi"),
                detail: ["field": "email", "lần": String(i)], time: Date(timeIntervalSince1970: 1_800_000_000 + Double(i)))
            let hash = AuditChain.hash(previousHash: previous, record: record, sequence: Int64(i))
            events.append(AuditEvent(sequence: Int64(i), record: record, previousHash: previous, hash: hash))
            previous = hash
        }
        return events
    }

    @Test func validChainPasses() {
        #expect(AuditChain.verify(Self.chain(10)) == nil)
        #expect(AuditChain.verify([AuditEvent]()) == nil)
    }

    @Test func hashIsSHA256OfPreviousHexAndCanonicalBytes() {
        // Fixed input, so a change to the hashing or the canonical form shows up here.
        let record = AuditRecord(action: "a", actor: "b", time: Date(timeIntervalSince1970: 1))
        let canonical = String(decoding: record.canonicalBytes(sequence: 1), as: UTF8.self)
        #expect(canonical == "1:11:a1:b1:\u{0}1:\u{0}1:\u{0}1:\u{0}7:success4:1000")
        let hash = AuditChain.hash(previousHash: AuditEvent.genesisHash, record: record, sequence: 1)
        #expect(hash.count == 64)
        #expect(hash != AuditChain.hash(previousHash: AuditEvent.genesisHash, record: record, sequence: 2))
    }

    @Test func editedContentIsFoundAtItsSequence() {
        var events = Self.chain(10)
        events[4].record.target = "someone-else"
        #expect(AuditChain.verify(events) == AuditChainFault(sequence: 5, reason: .contentEdited))
        var detail = Self.chain(10)
        detail[6].record.detail["field"] = "password"
        #expect(AuditChain.verify(detail) == AuditChainFault(sequence: 7, reason: .contentEdited))
    }

    @Test func editedAndRehashedEventBreaksTheNextLink() {
        var events = Self.chain(10)
        events[4].record.actor = "attacker"
        events[4].hash = AuditChain.hash(previousHash: events[4].previousHash, record: events[4].record, sequence: 5)
        #expect(AuditChain.verify(events) == AuditChainFault(sequence: 6, reason: .brokenLink))
    }

    @Test func deletedEventIsAGap() {
        var events = Self.chain(10)
        events.remove(at: 3)
        #expect(AuditChain.verify(events) == AuditChainFault(sequence: 4, reason: .missing(found: 5)))
        var first = Self.chain(3)
        first.removeFirst()
        #expect(AuditChain.verify(first) == AuditChainFault(sequence: 1, reason: .missing(found: 2)))
    }

    @Test func deletedEventRenumberedIsABrokenLink() {
        // Deleting event 4 and renumbering the rest to close the gap changes every later hash.
        var events = Self.chain(10)
        events.remove(at: 3)
        for i in 3..<events.count { events[i].sequence -= 1 }
        #expect(AuditChain.verify(events) == AuditChainFault(sequence: 4, reason: .contentEdited))
    }

    @Test func swappedEventsAreReordered() {
        var events = Self.chain(10)
        events.swapAt(4, 5)
        #expect(AuditChain.verify(events) == AuditChainFault(sequence: 5, reason: .reordered(after: 6)))
        var last = Self.chain(10)
        last.swapAt(8, 9)
        #expect(AuditChain.verify(last) == AuditChainFault(sequence: 9, reason: .reordered(after: 10)))
    }

    @Test func repeatedEventIsOutOfSequence() {
        var events = Self.chain(5)
        events.insert(events[1], at: 2)
        #expect(AuditChain.verify(events) == AuditChainFault(sequence: 3, reason: .outOfSequence(found: 2)))
    }

    @Test func streamingInBatchesMatchesOneGo() {
        var events = Self.chain(25)
        events[17].record.result = .failure
        var verifier = AuditChainVerifier()
        var found: AuditChainFault?
        for start in stride(from: 0, to: events.count, by: 4) where found == nil {
            found = verifier.check(events[start..<min(start + 4, events.count)])
        }
        #expect(found == AuditChainFault(sequence: 18, reason: .contentEdited))
        #expect(verifier.checked == 17)
        #expect(verifier.finish() == found)
    }

    @Test func resumesAfterAKnownEvent() {
        let events = Self.chain(10)
        var verifier = AuditChainVerifier(after: 6, hash: events[5].hash)
        #expect(verifier.check(events[6...]) == nil)
        #expect(verifier.finish() == nil)
        #expect(verifier.nextSequence == 11)
    }

    @Test func faultsReadWell() {
        #expect(AuditChainFault(sequence: 4, reason: .missing(found: 5)).description == "audit event 4 is missing (next event found is 5)")
        #expect(AuditChainFault(sequence: 5, reason: .contentEdited).description.contains("edited"))
    }
}

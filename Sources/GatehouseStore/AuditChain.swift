public import GatehouseCore
internal import GatehouseCrypto

/// The audit log's hash chain: how an event's hash is computed, and how a run of events is
/// checked.
///
/// Event `n` stores `hash = hex(SHA-256(utf8(previousHash) ‖ record.canonicalBytes(sequence: n)))`,
/// where `previousHash` is the hex hash of event `n - 1` (`AuditEvent.genesisHash` for the
/// first). Editing, removing or reordering an event changes a hash or breaks a link from
/// then on.
///
/// ```swift
/// var verifier = AuditChainVerifier()
/// var after: Int64 = 0
/// while true {
///     let batch = try await store.read { try $0.auditEvents(after: after, limit: 1000) }
///     if batch.isEmpty { break }
///     if let fault = verifier.check(batch) { print(fault); break }
///     after = batch.last!.sequence
/// }
/// if let fault = verifier.finish() { print(fault) }
/// ```
public enum AuditChain {
    /// The hex SHA-256 that event `sequence` carrying `record` stores after `previousHash`.
    public static func hash(previousHash: String, record: AuditRecord, sequence: Int64) -> String {
        var input = Array(previousHash.utf8)
        input += record.canonicalBytes(sequence: sequence)
        return Digest.sha256(input).hexString
    }

    /// Checks `events`, which must start at sequence 1, in order; returns the first fault.
    public static func verify(_ events: some Sequence<AuditEvent>) -> AuditChainFault? {
        var verifier = AuditChainVerifier()
        for event in events {
            if let fault = verifier.check(event) { return fault }
        }
        return verifier.finish()
    }
}

/// The first place an audit chain goes wrong, and why.
public struct AuditChainFault: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// The stored hash is not the hash of the event's content: the content was edited.
        case contentEdited
        /// The event's `previousHash` is not the hash of the event before it: an event
        /// before it was edited and re-hashed, or replaced.
        case brokenLink
        /// The event with this sequence is missing (the next one found is `found`).
        case missing(found: Int64)
        /// The event with this sequence came after a later one (`after`): reordered.
        case reordered(after: Int64)
        /// The sequence repeats or goes back (`found` where `sequence` was expected).
        case outOfSequence(found: Int64)
    }

    /// The sequence number of the first bad event.
    public var sequence: Int64
    public var reason: Reason

    public init(sequence: Int64, reason: Reason) {
        self.sequence = sequence
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .contentEdited:
            "audit event \(sequence): content does not match its hash (edited)"
        case .brokenLink:
            "audit event \(sequence): previous-hash link does not match event \(sequence - 1) (chain broken)"
        case .missing(let found):
            "audit event \(sequence) is missing (next event found is \(found))"
        case .reordered(let after):
            "audit event \(sequence) is out of order (it comes after event \(after))"
        case .outOfSequence(let found):
            "audit event \(found) found where event \(sequence) was expected (repeated or out of order)"
        }
    }
}

/// Checks audit events one at a time, so a long log can be streamed through in batches.
///
/// Pure: it holds only the expected next sequence and the previous hash. A jump in the
/// sequence is held back for one event, to tell a reordering (the missing event comes
/// next) from a gap; call `finish()` after the last event.
public struct AuditChainVerifier: Sendable {
    /// The sequence the next event must have.
    public private(set) var nextSequence: Int64
    /// The hash the next event must link to.
    public private(set) var previousHash: String
    /// Events checked so far.
    public private(set) var checked: Int = 0
    private var pendingJump: (expected: Int64, found: Int64)?
    private var fault: AuditChainFault?

    /// Starts after event `sequence` whose hash is `hash` (the chain's start by default).
    public init(after sequence: Int64 = 0, hash: String = AuditEvent.genesisHash) {
        self.nextSequence = sequence + 1
        self.previousHash = hash
    }

    /// Checks the next events in order; returns the first fault (and keeps returning it).
    public mutating func check(_ events: some Sequence<AuditEvent>) -> AuditChainFault? {
        for event in events {
            if let fault = check(event) { return fault }
        }
        return nil
    }

    /// Checks the next event; returns the first fault (and keeps returning it).
    public mutating func check(_ event: AuditEvent) -> AuditChainFault? {
        if let fault { return fault }
        if let jump = pendingJump {
            let found = AuditChainFault(sequence: jump.expected, reason: event.sequence == jump.expected
                ? .reordered(after: jump.found) : .missing(found: jump.found))
            fault = found
            return found
        }
        guard event.sequence == nextSequence else {
            if event.sequence > nextSequence {
                pendingJump = (nextSequence, event.sequence)
                return nil
            }
            let found = AuditChainFault(sequence: nextSequence, reason: .outOfSequence(found: event.sequence))
            fault = found
            return found
        }
        if event.hash != AuditChain.hash(previousHash: event.previousHash, record: event.record, sequence: event.sequence) {
            fault = AuditChainFault(sequence: event.sequence, reason: .contentEdited)
        } else if event.previousHash != previousHash {
            fault = AuditChainFault(sequence: event.sequence, reason: .brokenLink)
        }
        if let fault { return fault }
        nextSequence += 1
        previousHash = event.hash
        checked += 1
        return nil
    }

    /// Reports a gap still held back after the last event.
    public mutating func finish() -> AuditChainFault? {
        if let fault { return fault }
        if let jump = pendingJump {
            fault = AuditChainFault(sequence: jump.expected, reason: .missing(found: jump.found))
        }
        return fault
    }
}

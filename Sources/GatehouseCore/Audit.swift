public import Foundation

/// Outcome recorded with an audit event.
public enum AuditResult: String, Sendable, Codable {
    case success, failure
}

/// What to record; the store assigns the sequence number and the hash chain.
public struct AuditRecord: Hashable, Sendable, Codable {
    /// Dotted action name, e.g. `account.create`, `login.failure`, `unit.move`.
    public var action: String
    /// Who did it: an account id, `cli`, `import`, or `ldap:NAME`.
    public var actor: String
    /// What it was done to (an account id, a unit path, a client id).
    public var target: String?
    /// The unit it concerns; administrators see events only in their subtree.
    public var unit: UnitPath?
    public var clientID: String?
    public var sourceIP: String?
    public var result: AuditResult
    /// Extra non-secret detail.
    public var detail: [String: String]
    public var time: Date

    public init(action: String, actor: String, target: String? = nil, unit: UnitPath? = nil, clientID: String? = nil, sourceIP: String? = nil, result: AuditResult = .success, detail: [String: String] = [:], time: Date) {
        self.action = action; self.actor = actor; self.target = target; self.unit = unit; self.clientID = clientID
        self.sourceIP = sourceIP; self.result = result; self.detail = detail; self.time = time
    }

    /// The canonical byte string hashed into the chain: fields in a fixed order,
    /// each length-prefixed, so no two different records serialize alike.
    public func canonicalBytes(sequence: Int64) -> [UInt8] {
        var out: [UInt8] = []
        func field(_ s: String?) {
            let b = Array((s ?? "\u{0}").utf8)
            out += Array(String(b.count).utf8) + [0x3A] + b
        }
        field(String(sequence)); field(action); field(actor); field(target); field(unit?.description)
        field(clientID); field(sourceIP); field(result.rawValue)
        field(String(Int64((time.timeIntervalSince1970 * 1000).rounded())))
        for key in detail.keys.sorted() { field(key); field(detail[key]) }
        return out
    }
}

/// An appended audit event: the record plus its place in the SHA-256 chain.
public struct AuditEvent: Hashable, Sendable, Codable {
    public var sequence: Int64
    public var record: AuditRecord
    /// Hex SHA-256 of the previous event (64 zeros for the first).
    public var previousHash: String
    /// Hex SHA-256 over `previousHash` and the record's canonical bytes.
    public var hash: String

    public init(sequence: Int64, record: AuditRecord, previousHash: String, hash: String) {
        self.sequence = sequence; self.record = record; self.previousHash = previousHash; self.hash = hash
    }

    /// The hash of the chain before the first event.
    public static let genesisHash = String(repeating: "0", count: 64)
}

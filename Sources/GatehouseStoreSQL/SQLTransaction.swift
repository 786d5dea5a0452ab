import Foundation
import GatehouseCore
import GatehouseStore

/// One transaction on one driver connection: the `StoreReader`/`StoreWriter` that `SQLStore`
/// hands to a body. Used on the driver's thread only, for the length of the body.
///
/// Every statement goes through `execute`/`query` here, which map `SQLError` to `StoreError`
/// and remember the first database error: after one, the transaction cannot commit (that is
/// PostgreSQL's rule, applied to both engines so they behave alike).
final class SQLTransaction {
    let connection: any SQLConnection
    let clock: any Clock
    var dialect: SQLDialect { connection.dialect }

    /// The first database error this transaction hit, as raised and as mapped.
    private(set) var failure: (error: SQLError, mapped: StoreError)?
    /// Whether the body appended to the audit chain (PostgreSQL retries then lock the head first).
    var appendedAudit = false
    /// Whether the body appended to the revocation feed (likewise for its head).
    var appendedRevocation = false
    /// The audit chain's head as this transaction's appends left it, written back at commit.
    var auditHead: (sequence: Int64, hash: String)?

    init(connection: any SQLConnection, clock: any Clock) {
        self.connection = connection
        self.clock = clock
    }

    /// Now, as the store keeps times (to the millisecond).
    func now() -> Date { clock.now().storedPrecision }

    // MARK: Statements

    /// What to say when a statement breaks a constraint, for the operation at hand.
    struct Meaning {
        /// The thing that already exists, given the engine's message (which names the
        /// constraint or column): e.g. "account 'nguyen.van.a'".
        var duplicate: (SQLError) -> String = { _ in "a record with the same key" }
        /// Why a foreign key failed: e.g. "unit 4c1… does not exist".
        var missingReference: String = "a referenced record does not exist"
    }

    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue], _ meaning: Meaning = Meaning()) throws(StoreError) -> Int {
        do {
            return try connection.execute(sql, parameters)
        } catch {
            throw record(error, meaning)
        }
    }

    func query(_ sql: String, _ parameters: [SQLValue], _ meaning: Meaning = Meaning()) throws(StoreError) -> [SQLRow] {
        do {
            return try connection.query(sql, parameters)
        } catch {
            throw record(error, meaning)
        }
    }

    /// The single integer a `SELECT COUNT(*) AS n …` returns.
    func count(_ sql: String, _ parameters: [SQLValue]) throws(StoreError) -> Int {
        let rows = try query(sql, parameters)
        guard let row = rows.first, let n = RowReader(row, "count").optionalInt("n") else {
            throw StoreError.unavailable("the database returned no count", detail: sql)
        }
        return Int(n)
    }

    /// Maps `error` and remembers the first one.
    private func record(_ error: SQLError, _ meaning: Meaning) -> StoreError {
        let mapped = Self.map(error, meaning)
        if failure == nil { failure = (error, mapped) }
        return mapped
    }

    static func map(_ error: SQLError, _ meaning: Meaning = Meaning()) -> StoreError {
        switch error.kind {
        case .uniqueViolation: .alreadyExists(meaning.duplicate(error))
        case .foreignKeyViolation: .invalid(meaning.missingReference)
        case .constraintViolation: .invalid("a value breaks a rule of the schema (\(error.message))")
        case .serializationFailure: .conflict("the transaction conflicted with concurrent ones; try again")
        case .connectionFailure: .unavailable("the database connection failed", detail: error.description)
        case .other: .unavailable("the database reported an error", detail: error.description)
        }
    }

    // MARK: Transaction control

    enum Mode {
        case read
        /// On PostgreSQL, lock these one-row heads before the snapshot is taken.
        case write(lockHeads: Heads)
    }

    /// The one-row counters that order appenders: the audit chain's and the revocation feed's.
    struct Heads: OptionSet, Sendable {
        let rawValue: Int
        static let audit = Heads(rawValue: 1)
        static let revocation = Heads(rawValue: 2)
    }

    /// The heads this transaction appended behind.
    var appendedHeads: Heads {
        var heads: Heads = []
        if appendedAudit { heads.insert(.audit) }
        if appendedRevocation { heads.insert(.revocation) }
        return heads
    }

    func begin(_ mode: Mode) throws(StoreError) {
        switch (dialect, mode) {
        case (.sqlite, .read):
            try execute("BEGIN", [])
        case (.sqlite, .write):
            try execute("BEGIN IMMEDIATE", [])
        case (.postgres, .read):
            try execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [])
        case (.postgres, .write(let lockHeads)):
            try execute("BEGIN ISOLATION LEVEL SERIALIZABLE", [])
            // LOCK TABLE takes no snapshot, so the snapshot that follows sees the head as the
            // previous holder left it: no serialization failure on the head. Always in this
            // order, so two transactions locking both cannot deadlock.
            if lockHeads.contains(.audit) { try execute("LOCK TABLE audit_head IN EXCLUSIVE MODE", []) }
            if lockHeads.contains(.revocation) { try execute("LOCK TABLE revocation_head IN EXCLUSIVE MODE", []) }
        }
    }

    func commit() throws(StoreError) {
        if let failure { throw failure.mapped }
        try flushAuditHead()
        try execute("COMMIT", [])
    }

    func rollback() {
        _ = try? connection.execute("ROLLBACK", [])
    }
}

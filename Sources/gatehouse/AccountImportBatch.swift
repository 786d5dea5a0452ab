import Foundation
import GatehouseCore
import GatehouseStore

/// One batch of an accounts import: its rows compared with the store and the differences
/// written in one transaction, with one `account.import` audit event when anything changed.
/// A batch is kept whole or not at all.
struct AccountImportBatch: Sendable {
    /// The audit action of a batch.
    static let auditAction = "account.import"

    var rows: [AccountImportRow]
    /// The file's name, for the audit event.
    var source: String

    /// What the batch did (or, in a dry run, would do).
    struct Outcome: Sendable {
        var counts = AccountImportCounts()
        /// Rows refused on what the store holds (such as a directory account).
        var rejections: [AccountImportRejection] = []
        /// Accounts to disable through the disabling path (sessions and tokens end too).
        var toDisable: [(id: UUID, line: Int)] = []
    }

    /// Writes the batch in one transaction.
    func write(to store: any Store) async throws -> Outcome {
        let rows = self.rows, source = self.source
        return try await store.write { tx in
            let now = Date()
            let outcome = try Self.apply(rows, tx: tx, now: now, writer: tx)
            if outcome.counts.created + outcome.counts.updated > 0 {
                try tx.appendAudit(AuditRecord(
                    action: Self.auditAction, actor: "cli", target: source, unit: .root,
                    detail: outcome.counts.detail.merging([
                        "file": source, "first_line": "\(rows.first?.line ?? 0)", "last_line": "\(rows.last?.line ?? 0)",
                    ]) { a, _ in a },
                    time: now))
            }
            return outcome
        }
    }

    /// Compares the batch with the store in a read-only snapshot and writes nothing.
    func dryRun(on store: any Store) async throws -> Outcome {
        let rows = self.rows
        return try await store.read { tx in try Self.apply(rows, tx: tx, now: Date(), writer: nil) }
    }

    /// Decides each row against the store and, given a `writer`, applies the decisions: the
    /// stored accounts and grants are read with two bulk lookups, new accounts and grants written
    /// with bulk inserts, so a batch costs a few statements rather than a few per row.
    private static func apply(_ rows: [AccountImportRow], tx: any StoreReader, now: Date, writer: (any StoreWriter)?) throws -> Outcome {
        let stored = Dictionary(try tx.accounts(usernames: rows.map(\.username)).map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
        let storedGrants = Dictionary(grouping: try tx.grants(accountIDs: stored.values.map(\.id)), by: \.accountID)
        var outcome = Outcome()
        var newAccounts: [Account] = [], newGrants: [RoleGrant] = []
        for row in rows {
            let account = stored[row.username]
            switch AccountImportPlan.decide(row, stored: account, storedGrants: account.map { storedGrants[$0.id] ?? [] } ?? [], now: now) {
            case .create(let account, let grants):
                newAccounts.append(account)
                newGrants += grants
                outcome.counts.created += 1
            case .update(let changed, let insert, let delete, let disable):
                if let changed { try writer?.updateAccount(changed) }
                for id in delete { try writer?.deleteGrant(id: id) }
                newGrants += insert
                if disable, let account { outcome.toDisable.append((account.id, row.line)) }
                outcome.counts.updated += 1
            case .unchanged:
                outcome.counts.unchanged += 1
            case .reject(let reason):
                outcome.rejections.append(AccountImportRejection(line: row.line, reason: reason))
                outcome.counts.rejected += 1
            }
        }
        try writer?.insertAccounts(newAccounts)
        try writer?.insertGrants(newGrants)
        return outcome
    }
}

import Foundation
import GatehouseCore

/// Transactions: atomic rollback, errors that end a transaction, reads, ping and close.
enum TransactionCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("transactions.throw-rolls-back-everything", throwRollsBack),
        ConformanceCase("transactions.database-error-ends-transaction", databaseErrorEndsTransaction),
        ConformanceCase("transactions.store-check-errors-keep-transaction", storeCheckKeepsTransaction),
        ConformanceCase("transactions.write-returns-value-and-reads-own-writes", readsOwnWrites),
        ConformanceCase("store.ping-and-close", pingAndClose),
    ]

    struct Abort: Error {}

    static func throwRollsBack(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        let head = try await store.write { try $0.appendAudit(Fixture.audit("before", clock: clock)) }
        let account = Fixture.account("rolled.back", unit: root, clock: clock)
        let grant = RoleGrant(id: UUID(), accountID: account.id, role: "clerk", unitID: root.id, createdAt: clock.now())
        let province = Fixture.unit("/vanished", "Tỉnh biến mất", parent: root, clock: clock)
        do {
            try await store.write { tx in
                try tx.insertAccount(account)
                try tx.insertGrant(grant)
                try tx.insertUnit(province)
                try tx.appendAudit(Fixture.audit("account.create", clock: clock))
                try tx.appendAudit(Fixture.audit("grant.create", clock: clock))
                throw Abort()
            }
            throw ConformanceFailure("the write body's error was not rethrown")
        } catch is Abort {}
        try await expectError(.notFound, "rolled-back account") { try await store.read { try $0.account(id: account.id) } }
        try await expectError(.notFound, "rolled-back grant") { try await store.read { try $0.grant(id: grant.id) } }
        try await expectError(.notFound, "rolled-back unit") { try await store.read { try $0.unit(id: province.id) } }
        try checkEqual(try await store.read { try $0.lastAuditEvent() }, Optional(head), "audit head unchanged")
        let next = try await store.write { try $0.appendAudit(Fixture.audit("after", clock: clock)) }
        try checkEqual(next.sequence, head.sequence + 1, "the chain continues from the old head")
        try checkEqual(next.previousHash, head.hash, "and links to it")
    }

    static func databaseErrorEndsTransaction(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        let existing = Fixture.account("taken", unit: root, clock: clock)
        try await store.write { try $0.insertAccount(existing) }
        let other = Fixture.account("other", unit: root, clock: clock)
        let duplicate = Fixture.account("TAKEN", unit: root, clock: clock)
        // The body swallows the duplicate-key error and carries on; the commit must not
        // silently keep (or silently drop) the rest.
        let e = try await expectError(.alreadyExists, "commit after a swallowed database error") {
            try await store.write { tx in
                try tx.insertAccount(other)
                do { try tx.insertAccount(duplicate) } catch {}
                _ = try? tx.appendAudit(Fixture.audit("account.create", clock: clock))
            }
        }
        try checkMentions(e, "account 'taken'")
        try await expectError(.notFound, "nothing from the failed transaction") { try await store.read { try $0.account(id: other.id) } }
        try checkEqual(try await store.read { try $0.lastAuditEvent() }, nil, "no audit event")
    }

    static func storeCheckKeepsTransaction(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        let account = Fixture.account("created.if.missing", unit: root, clock: clock)
        // A lookup that misses is an ordinary answer, not a broken transaction.
        let created = try await store.write { tx -> Account in
            do { return try tx.account(username: account.username) } catch let error as StoreError where error.kind == .notFound {
                try tx.insertAccount(account)
                try tx.appendAudit(Fixture.audit("account.create", clock: clock))
                return account
            }
        }
        try checkEqual(created, account, "created in the same transaction")
        try checkEqual(try await store.read { try $0.account(id: account.id) }, account, "committed")
        try checkEqual(try await store.read { try $0.lastAuditEvent() }?.sequence, 1, "audit committed")
    }

    static func readsOwnWrites(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        let account = Fixture.account("visible", unit: root, clock: clock)
        let (count, found) = try await store.write { tx in
            try tx.insertAccount(account)
            return (try tx.countAccounts(AccountQuery()), try tx.account(username: account.username))
        }
        try checkEqual(count, 1, "count inside the transaction")
        try checkEqual(found, account, "read inside the transaction")
    }

    static func pingAndClose(store: any Store, clock: ManualClock) async throws {
        try await store.ping()
        await store.close()
        try await expectError(.unavailable, "read after close") { try await store.read { try $0.unit(path: .root) } }
        try await expectError(.unavailable, "write after close") { try await store.write { try $0.appendAudit(Fixture.audit("x", clock: clock)) } }
        try await expectError(.unavailable, "ping after close") { try await store.ping() }
        await store.close()
    }
}

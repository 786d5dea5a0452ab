import Foundation
import GatehouseCore

/// Bulk reads and writes, as imports use them: the same rows, read and written many at a time.
enum BulkCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("bulk.accounts-and-grants-round-trip", roundTrip),
        ConformanceCase("bulk.failure-keeps-nothing", failureKeepsNothing),
    ]

    static func roundTrip(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        // More than one statement's worth of inserts and of lookups, every field set, a directory
        // account and a bare one among them.
        var accounts = (0..<1_050).map { Fixture.account("can.bo.\($0)", unit: $0 % 2 == 0 ? tree.hue : tree.baDinh, clock: clock) }
        accounts[7] = Fixture.account("le.thi.d", unit: tree.hue, clock: clock, source: .directory(name: "ldap-hue", externalID: "6f1c2a"), status: .locked)
        accounts[8] = Account(id: UUID(), username: Fixture.username("Đặng.Thị.Ế"), displayName: "Đặng Thị Ế", unitID: tree.root.id, createdAt: clock.now())
        var grants = accounts.prefix(1_010).map { RoleGrant(id: UUID(), accountID: $0.id, role: "clerk", unitID: $0.unitID, createdAt: clock.now()) }
        clock.advance(by: 5)
        grants.append(RoleGrant(id: UUID(), accountID: accounts[0].id, role: "official", unitID: tree.thuanHoa.id, grantedBy: accounts[1].id, createdAt: clock.now()))
        try await store.write { [accounts, grants] tx in
            try tx.insertAccounts([])
            try tx.insertGrants([])
            try tx.insertAccounts(accounts)
            try tx.insertGrants(grants)
        }

        for account in [accounts[0], accounts[7], accounts[8], accounts[1_049]] {
            try checkEqual(try await store.read { try $0.account(id: account.id) }, account, "account \(account.username) written in bulk, read alone")
        }
        let wanted = accounts.map(\.username) + [Fixture.username("khong.co.ai")]
        let found = try await store.read { try $0.accounts(usernames: wanted) }
        try checkEqual(found.count, accounts.count, "accounts found by username (one unknown)")
        try checkEqual(Set(found), Set(accounts), "accounts read in bulk")
        try checkEqual(try await store.read { try $0.accounts(usernames: [Fixture.username("ĐẶNG.THỊ.Ế")]) }.map(\.id), [accounts[8].id],
                       "usernames fold in bulk lookups too")
        try checkEqual(try await store.read { try $0.accounts(usernames: []) }, [], "no usernames, no accounts")

        let held = try await store.read { [accounts] in try $0.grants(accountIDs: accounts.map(\.id)) }
        try checkEqual(held.count, grants.count, "grants read in bulk")
        try checkEqual(Set(held), Set(grants), "grants read in bulk")
        try checkEqual(held.last, grants.last, "grants oldest first")
        try checkEqual(try await store.read { [accounts] in try $0.grants(accountID: accounts[0].id) }.count, 2, "grants written in bulk, read alone")
        try checkEqual(try await store.read { try $0.grants(accountIDs: []) }, [], "no accounts, no grants")
    }

    static func failureKeepsNothing(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let first = Fixture.account("nguyen.van.a", unit: tree.haNoi, clock: clock)
        try await store.write { try $0.insertAccount(first) }
        let fresh = Fixture.account("tran.van.b", unit: tree.hue, clock: clock)
        let twin = Fixture.account("NGUYEN.VAN.A", unit: tree.hue, clock: clock)
        let e = try await expectError(.alreadyExists, "a username taken in a bulk insert") {
            try await store.write { try $0.insertAccounts([fresh, twin]) }
        }
        try checkMentions(e, "account")
        try await expectError(.notFound, "the rest of a failed bulk insert") { try await store.read { try $0.account(id: fresh.id) } }

        var lost = Fixture.account("le.van.c", unit: tree.hue, clock: clock)
        lost.unitID = UUID()
        try await expectError(.invalid, "a bulk insert into a missing unit") { try await store.write { [lost] in try $0.insertAccounts([lost]) } }
        let grant = RoleGrant(id: UUID(), accountID: UUID(), role: "clerk", unitID: tree.hue.id, createdAt: clock.now())
        try await expectError(.invalid, "a bulk grant to a missing account") { try await store.write { try $0.insertGrants([grant]) } }
    }
}

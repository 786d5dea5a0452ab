import Foundation
import GatehouseCore

/// What the LDAP directory synchronisation keeps: its state per directory, the lease that lets
/// one node synchronise at a time, the entry behind each account, the grants it manages and the
/// cached password verifiers.
enum DirectoryCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("directory.sync-state-round-trip", syncStateRoundTrip),
        ConformanceCase("directory.lease-one-holder-at-a-time", leaseOneHolder),
        ConformanceCase("directory.accounts-keyset-pages-and-lookups", accountsPagesAndLookups),
        ConformanceCase("directory.only-managed-grants-listed", onlyManagedGrants),
        ConformanceCase("directory.entry-refused-for-local-account", entryRefusedForLocal),
        ConformanceCase("directory.password-verifiers", passwordVerifiers),
    ]

    static let contention: [ConformanceCase] = [
        ConformanceCase("contention.directory-lease-contenders", leaseContenders),
    ]

    static func directoryAccount(_ username: String, directory: String = "ha-noi", externalID: String, unit: OrgUnit, clock: ManualClock) -> Account {
        var account = Fixture.account(username, unit: unit, clock: clock, source: .directory(name: directory, externalID: externalID))
        account.passwordHash = nil
        return account
    }

    static func syncStateRoundTrip(store: any Store, clock: ManualClock) async throws {
        try checkEqual(try await store.read { try $0.directorySyncState(directory: "ha-noi") }, nil, "no state before the first run")
        let state = DirectorySyncState(
            directory: "ha-noi", cookie: Array("rid=000,csn=20250101000000.000000Z#000000#000#000000".utf8) + [0, 255],
            watermark: "20250101000000Z", configurationDigest: "c0ffee", groupDigests: ["cn=van-thu,dc=ha-noi": "1a2b"],
            lastFullSyncAt: clock.now(), lastSyncAt: clock.now() + 60)
        try await store.write { try $0.saveDirectorySyncState(state) }
        try checkEqual(try await store.read { try $0.directorySyncState(directory: "ha-noi") }, Optional(state), "the state as saved, bytes included")
        try checkEqual(try await store.read { try $0.directorySyncState(directory: "hue") }, nil, "another directory has none")

        var next = state
        next.cookie = nil
        next.watermark = nil
        next.groupDigests = [:]
        next.lastSyncAt = clock.now() + 120
        try await store.write { [next] in try $0.saveDirectorySyncState(next) }
        try checkEqual(try await store.read { try $0.directorySyncState(directory: "ha-noi") }, Optional(next), "saving again replaces it")
    }

    static func leaseOneHolder(store: any Store, clock: ManualClock) async throws {
        let now = clock.now()
        func acquire(_ holder: String, until: Date, at time: Date) async throws -> Bool {
            try await store.write { try $0.acquireDirectoryLease(directory: "ha-noi", holder: holder, until: until, at: time) }
        }
        try check(try await acquire("node-a", until: now + 120, at: now), "a free lease is taken")
        try check(!(try await acquire("node-b", until: now + 120, at: now + 10)), "a running lease keeps another holder out")
        try check(try await acquire("node-a", until: now + 240, at: now + 100), "the holder renews it")
        try checkEqual(try await store.read { try $0.directoryLease(directory: "ha-noi") }?.expiresAt, now + 240, "renewed until the new time")
        try check(!(try await acquire("node-b", until: now + 300, at: now + 200)), "still running after the first expiry time")
        try check(try await store.write { try $0.acquireDirectoryLease(directory: "hue", holder: "node-b", until: now + 300, at: now + 200) },
                  "another directory's lease is separate")
        try check(try await acquire("node-b", until: now + 500, at: now + 240), "an expired lease is taken over")
        try check(!(try await acquire("node-a", until: now + 500, at: now + 250)), "the old holder has lost it")
        try check(!(try await store.write { try $0.releaseDirectoryLease(directory: "ha-noi", holder: "node-a") }), "only the holder releases it")
        try checkEqual(try await store.read { try $0.directoryLease(directory: "ha-noi") }?.holder, "node-b", "node-b holds it")
        try check(try await store.write { try $0.releaseDirectoryLease(directory: "ha-noi", holder: "node-b") }, "the holder releases it")
        try checkEqual(try await store.read { try $0.directoryLease(directory: "ha-noi") }, nil, "released")
        try check(try await acquire("node-a", until: now + 600, at: now + 260), "a released lease is free")

        func renew(_ holder: String, until: Date) async throws -> Bool {
            try await store.write { try $0.renewDirectoryLease(directory: "ha-noi", holder: holder, until: until) }
        }
        try check(try await renew("node-a", until: now + 900), "the holder renews")
        try checkEqual(try await store.read { try $0.directoryLease(directory: "ha-noi") }?.expiresAt, now + 900, "until the new time")
        try check(!(try await renew("node-b", until: now + 900)), "another node cannot renew it")
        try check(try await acquire("node-b", until: now + 1_500, at: now + 1_000), "expired, node-b takes it")
        try check(!(try await renew("node-a", until: now + 2_000)), "the old holder cannot renew what it lost")
        try await store.write { _ = try $0.releaseDirectoryLease(directory: "ha-noi", holder: "node-b") }
        try check(!(try await renew("node-a", until: now + 2_000)), "nor a lease released since")
        try check(!(try await renew("node-b", until: now + 2_000)), "nor its own once released")
    }

    static func accountsPagesAndLookups(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        let ids = ["e5", "a1", "c3", "b2", "d4"]
        let accounts = ids.map { directoryAccount("user-\($0)", externalID: "uuid-\($0)", unit: root, clock: clock) }
        let other = directoryAccount("hue-user", directory: "hue", externalID: "uuid-a1", unit: root, clock: clock)
        let local = Fixture.account("local-user", unit: root, clock: clock)
        try await store.write { tx in
            for account in accounts + [other, local] { try tx.insertAccount(account) }
            for account in accounts.prefix(3) {
                let id = account.source.externalID!
                try tx.recordDirectoryEntry(accountID: account.id, dn: "uid=\(id),ou=people", dnKey: "uid=\(id),ou=people",
                                            disabledBySync: id == "uuid-e5")
            }
        }
        var seen: [String] = []
        var after: String?
        while true {
            let page = try await store.read { [after] in try $0.directoryAccounts(directory: "ha-noi", after: after, limit: 2) }
            try check(page.count <= 2, "pages hold at most the limit")
            if page.isEmpty { break }
            seen += page.compactMap(\.account.source.externalID)
            after = page.last?.account.source.externalID
        }
        try checkEqual(seen, ids.sorted().map { "uuid-\($0)" }, "every account of the directory once, by external id; none of another directory or local")

        let found = try await store.read { try $0.directoryAccounts(directory: "ha-noi", externalIDs: ["uuid-c3", "uuid-e5", "uuid-zz"]) }
        try checkEqual(Set(found.map(\.account.id)), Set([accounts[0].id, accounts[2].id]), "found by external id")
        let e5 = found.first { $0.account.id == accounts[0].id }
        try checkEqual(e5?.dn, "uid=uuid-e5,ou=people", "the DN recorded")
        try checkEqual(e5?.disabledBySync, true, "the disabled flag recorded")
        try checkEqual(found.first { $0.account.id == accounts[2].id }?.disabledBySync, false, "flag off")
        let b2 = try await store.read { try $0.directoryAccounts(directory: "ha-noi", externalIDs: ["uuid-b2"]) }
        try checkEqual(b2.first?.dnKey, nil, "no entry recorded yet")

        let byKey = try await store.read { try $0.directoryAccounts(directory: "ha-noi", dnKeys: ["uid=uuid-a1,ou=people", "uid=nobody"]) }
        try checkEqual(byKey.map(\.account.id), [accounts[1].id], "found by DN key")
        try checkEqual(try await store.read { try $0.directoryAccounts(directory: "hue", dnKeys: ["uid=uuid-a1,ou=people"]) }.count, 0,
                       "DN keys are per directory")

        // A recorded entry is replaced, not added to.
        try await store.write { tx in
            try tx.recordDirectoryEntry(accountID: accounts[1].id, dn: "uid=moved,ou=hue", dnKey: "uid=moved,ou=hue", disabledBySync: false)
        }
        let moved = try await store.read { try $0.directoryAccounts(directory: "ha-noi", externalIDs: ["uuid-a1"]) }
        try checkEqual(moved.map(\.dnKey), ["uid=moved,ou=hue"], "the entry replaced")
        let many = (0..<1_200).map { "uuid-missing-\($0)" } + ["uuid-d4"]
        try checkEqual(try await store.read { try $0.directoryAccounts(directory: "ha-noi", externalIDs: many) }.map(\.account.id), [accounts[4].id],
                       "a long list of ids is looked up in parts")
    }

    static func onlyManagedGrants(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        let hanoi = Fixture.unit("/ha-noi", "Hà Nội", parent: root, clock: clock)
        let account = directoryAccount("can.bo", externalID: "uuid-1", unit: root, clock: clock)
        let managed = RoleGrant(id: UUID(), accountID: account.id, role: "clerk", unitID: hanoi.id, createdAt: clock.now())
        let byHand = RoleGrant(id: UUID(), accountID: account.id, role: "official", unitID: hanoi.id, createdAt: clock.now() + 1)
        try await store.write { tx in
            try tx.insertUnit(hanoi)
            try tx.insertAccount(account)
            try tx.insertDirectoryGrant(managed, directory: "ha-noi")
            try tx.insertGrant(byHand)
        }
        try checkEqual(try await store.read { try $0.directoryGrants(directory: "ha-noi") }, [managed], "only the grant the sync made")
        try checkEqual(try await store.read { try $0.directoryGrants(directory: "hue") }, [], "none for another directory")
        try checkEqual(try await store.read { try $0.grants(accountID: account.id) }, [managed, byHand], "both are ordinary grants")
        let listed = try await store.read { try $0.directoryAccounts(directory: "ha-noi", externalIDs: ["uuid-1"]) }
        try checkEqual(listed.first?.managedGrants, [managed], "the account marks only its managed grant")
        try checkEqual(listed.first?.grants, [managed, byHand], "and lists every grant it holds")

        let duplicate = RoleGrant(id: UUID(), accountID: account.id, role: "official", unitID: hanoi.id, createdAt: clock.now())
        try await expectError(.alreadyExists, "a managed grant duplicating a grant by hand") {
            try await store.write { try $0.insertDirectoryGrant(duplicate, directory: "ha-noi") }
        }
        try checkEqual(try await store.read { try $0.directoryGrants(directory: "ha-noi") }, [managed], "the refused insert left nothing")

        try await store.write { try $0.deleteGrant(id: managed.id) }
        try checkEqual(try await store.read { try $0.directoryGrants(directory: "ha-noi") }, [], "deleting the grant forgets it")
        try await store.write { try $0.insertDirectoryGrant(managed, directory: "ha-noi") }
        try await store.write { try $0.deleteAccount(id: account.id) }
        try checkEqual(try await store.read { try $0.directoryGrants(directory: "ha-noi") }, [], "deleting the account forgets its grants")
    }

    static func entryRefusedForLocal(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        let local = Fixture.account("local-user", unit: root, clock: clock)
        try await store.write { try $0.insertAccount(local) }
        let error = try await expectError(.invalid, "an entry for a local account") {
            try await store.write { try $0.recordDirectoryEntry(accountID: local.id, dn: "uid=x", dnKey: "uid=x", disabledBySync: false) }
        }
        try checkMentions(error, "local account")
        try await expectError(.notFound, "an entry for no account") {
            try await store.write { try $0.recordDirectoryEntry(accountID: UUID(), dn: "uid=x", dnKey: "uid=x", disabledBySync: false) }
        }
    }

    static func passwordVerifiers(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        let first = directoryAccount("first", externalID: "uuid-1", unit: root, clock: clock)
        let second = directoryAccount("second", externalID: "uuid-2", unit: root, clock: clock)
        let elsewhere = directoryAccount("elsewhere", directory: "hue", externalID: "uuid-1", unit: root, clock: clock)
        let local = Fixture.account("local-user", unit: root, clock: clock)
        try await store.write { tx in for a in [first, second, elsewhere, local] { try tx.insertAccount(a) } }
        let verifier = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"
        try checkEqual(try await store.read { try $0.directoryPasswordVerifier(accountID: first.id) }, nil, "none at first")
        try await store.write { tx in
            for a in [first, second, elsewhere] { try tx.storeDirectoryPasswordVerifier(accountID: a.id, verifier: verifier, at: clock.now()) }
        }
        try await store.write { try $0.storeDirectoryPasswordVerifier(accountID: first.id, verifier: verifier + "2", at: clock.now()) }
        try checkEqual(try await store.read { try $0.directoryPasswordVerifier(accountID: first.id) }, verifier + "2", "replaced")
        try await expectError(.invalid, "a verifier for a local account") {
            try await store.write { try $0.storeDirectoryPasswordVerifier(accountID: local.id, verifier: verifier, at: clock.now()) }
        }
        try await expectError(.invalid, "a clear password instead of a verifier") {
            try await store.write { try $0.storeDirectoryPasswordVerifier(accountID: first.id, verifier: "Mật khẩu", at: clock.now()) }
        }
        try check(try await store.write { try $0.deleteDirectoryPasswordVerifier(accountID: first.id) }, "deleted")
        try check(!(try await store.write { try $0.deleteDirectoryPasswordVerifier(accountID: first.id) }), "nothing left to delete")
        try checkEqual(try await store.write { try $0.deleteDirectoryPasswordVerifiers(directory: "ha-noi") }, 1, "the rest of the directory")
        try checkEqual(try await store.read { try $0.directoryPasswordVerifier(accountID: elsewhere.id) }, Optional(verifier), "another directory's kept")
    }

    /// Many nodes try to take one free lease at once: exactly one gets it, and every other
    /// transaction ends normally.
    static func leaseContenders(store: any Store, clock: ManualClock) async throws {
        let now = clock.now()
        let contenders = 20
        let winners = try await withThrowingTaskGroup(of: String?.self) { group in
            for i in 0..<contenders {
                group.addTask {
                    let holder = "node-\(i)"
                    let won = try await store.write { try $0.acquireDirectoryLease(directory: "ha-noi", holder: holder, until: now + 60, at: now) }
                    return won ? holder : nil
                }
            }
            return try await group.reduce(into: [String]()) { if let w = $1 { $0.append(w) } }
        }
        try checkEqual(winners.count, 1, "exactly one contender holds the lease")
        try checkEqual(try await store.read { try $0.directoryLease(directory: "ha-noi") }?.holder, winners.first, "the store names the winner")
    }
}

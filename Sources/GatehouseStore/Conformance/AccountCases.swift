import Foundation
import GatehouseCore
import GatehouseSCIM

/// Accounts: CRUD, uniqueness, queries and optimistic concurrency.
enum AccountCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("accounts.crud", crud),
        ConformanceCase("accounts.username-case-folding-unique", usernameFolding),
        ConformanceCase("accounts.directory-external-id-unique", directoryUnique),
        ConformanceCase("accounts.unknown-unit-invalid", unknownUnit),
        ConformanceCase("accounts.query", query),
        ConformanceCase("accounts.stale-version-conflict", staleVersion),
        ConformanceCase("accounts.delete-removes-dependents", deleteRemovesDependents),
        ConformanceCase("accounts.provisioning-id", provisioningID),
    ]

    static func crud(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let account = Fixture.account("nguyen.van.a", unit: tree.baDinh, clock: clock)
        let directory = Fixture.account("le.thi.d", unit: tree.hue, clock: clock, source: .directory(name: "ldap-hue", externalID: "6f1c2a"), status: .locked)
        let bare = Account(id: UUID(), username: Fixture.username("bare"), displayName: "Trần Văn E", unitID: tree.root.id, createdAt: clock.now())
        try await store.write { tx in
            try tx.insertAccount(account)
            try tx.insertAccount(directory)
            try tx.insertAccount(bare)
        }
        try checkEqual(try await store.read { try $0.account(id: account.id) }, account, "account by id")
        try checkEqual(try await store.read { try $0.account(username: account.username) }, account, "account by username")
        try checkEqual(try await store.read { try $0.account(directory: "ldap-hue", externalID: "6f1c2a") }, directory, "account by directory id")
        try checkEqual(try await store.read { try $0.account(id: bare.id) }, bare, "account with every optional field empty")

        clock.advance(by: 30)
        var changed = account
        changed.displayName = "Nguyễn Văn Á"
        changed.email = nil
        changed.status = .disabled
        changed.passwordHash = nil
        changed.mfaSecret = nil
        changed.mfaRecoveryCodes = [Fixture.hash("recovery-2")]
        changed.mfaLastStep = 60_000_001
        changed.mfaFailures = 0
        changed.mustChangePassword = true
        changed.unitID = tree.hoanKiem.id
        changed.username = Fixture.username("nguyen.van.a2")
        let updated = try await store.write { [changed] in try $0.updateAccount(changed) }
        var expected = changed
        expected.version = account.version + 1
        expected.updatedAt = clock.now()
        try checkEqual(updated, expected, "updateAccount's result")
        try checkEqual(try await store.read { try $0.account(id: account.id) }, expected, "account after update")
        let e = try await expectError(.notFound, "old username after rename") { try await store.read { try $0.account(username: account.username) } }
        try checkMentions(e, "account 'nguyen.van.a'")

        let missing = try await expectError(.notFound, "unknown id") { try await store.read { try $0.account(id: UUID()) } }
        try checkMentions(missing, "account")
        try await expectError(.notFound, "unknown directory id") { try await store.read { try $0.account(directory: "ldap-hue", externalID: "nope") } }
        var ghost = account
        ghost.id = UUID()
        try await expectError(.notFound, "update of a missing account") { try await store.write { [ghost] in try $0.updateAccount(ghost) } }

        try await store.write { try $0.deleteAccount(id: account.id) }
        try await expectError(.notFound, "deleted account") { try await store.read { try $0.account(id: account.id) } }
        try await expectError(.notFound, "delete twice") { try await store.write { try $0.deleteAccount(id: account.id) } }
    }

    static func usernameFolding(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let first = Fixture.account("Nguyen.Van.A", unit: tree.haNoi, clock: clock)
        try checkEqual(first.username.value, "nguyen.van.a", "usernames fold")
        try await store.write { try $0.insertAccount(first) }
        let upper = Fixture.account("NGUYEN.VAN.A", unit: tree.hue, clock: clock)
        let e = try await expectError(.alreadyExists, "same username in other case") { try await store.write { try $0.insertAccount(upper) } }
        try checkMentions(e, "account 'nguyen.van.a'")
        try checkEqual(try await store.read { try $0.account(username: Fixture.username("nGuYeN.vAn.A")) }.id, first.id, "lookup in any case")

        // Vietnamese usernames: decomposed and composed spellings are the same account.
        let composed = Fixture.account("Đặng.Thị.Ế", unit: tree.haNoi, clock: clock)
        try await store.write { try $0.insertAccount(composed) }
        let decomposed = Fixture.account("Đa\u{0323}\u{0306}ng.Thi\u{0323}.E\u{0302}\u{0301}", unit: tree.hue, clock: clock)
        try await expectError(.alreadyExists, "same username decomposed") { try await store.write { try $0.insertAccount(decomposed) } }

        var renamed = Fixture.account("other", unit: tree.hue, clock: clock)
        try await store.write { [renamed] in try $0.insertAccount(renamed) }
        renamed.username = Fixture.username("Nguyen.VAN.a")
        try await expectError(.alreadyExists, "rename onto a taken username") { try await store.write { [renamed] in try $0.updateAccount(renamed) } }
        var sameID = Fixture.account("unique.name", unit: tree.hue, clock: clock)
        sameID.id = first.id
        try await expectError(.alreadyExists, "same id") { try await store.write { [sameID] in try $0.insertAccount(sameID) } }
        try checkEqual(try await store.read { try $0.countAccounts(AccountQuery()) }, 3, "refused inserts left nothing")
    }

    static func directoryUnique(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let a = Fixture.account("a.one", unit: tree.haNoi, clock: clock, source: .directory(name: "ldap", externalID: "uuid-1"))
        let b = Fixture.account("b.two", unit: tree.haNoi, clock: clock, source: .directory(name: "ldap", externalID: "uuid-1"))
        let c = Fixture.account("c.three", unit: tree.haNoi, clock: clock, source: .directory(name: "ldap-2", externalID: "uuid-1"))
        let locals = (0..<3).map { Fixture.account("local.\($0)", unit: tree.haNoi, clock: clock) }
        try await store.write { tx in
            try tx.insertAccount(a)
            try tx.insertAccount(c)
            for account in locals { try tx.insertAccount(account) }
        }
        let e = try await expectError(.alreadyExists, "same external id in the same directory") { try await store.write { try $0.insertAccount(b) } }
        try checkMentions(e, "uuid-1")
        try checkEqual(try await store.read { try $0.account(directory: "ldap-2", externalID: "uuid-1") }.id, c.id, "same external id elsewhere is fine")
        try checkEqual(try await store.read { try $0.countAccounts(AccountQuery(directory: "ldap")) }, 1, "directory filter")
    }

    static func unknownUnit(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        var account = Fixture.account("orphan", unit: root, clock: clock)
        account.unitID = UUID()
        let e = try await expectError(.invalid, "account in a unit that does not exist") { try await store.write { [account] in try $0.insertAccount(account) } }
        try checkMentions(e, "unit")
        try checkEqual(try await store.read { try $0.countAccounts(AccountQuery()) }, 0, "nothing inserted")
    }

    static func query(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let specs: [(String, OrgUnit, AccountStatus)] = [
            ("an.nguyen", tree.baDinh, .active), ("binh.tran", tree.haNoi, .active), ("chi.le", tree.hoanKiem, .disabled),
            ("dung.pham", tree.haNoi2, .active), ("em.vo", tree.haNoi2Commune, .locked), ("giang.do", tree.haNoiA, .active),
            ("ha.ngo", tree.hue, .active), ("khoa.bui", tree.thuanHoa, .active), ("root.admin", tree.root, .active),
            ("a_b", tree.hue, .active), ("axb", tree.hue, .active), ("a%c", tree.hue, .active), ("abc", tree.hue, .active),
            ("đức.hoàng", tree.hue, .active), ("dương.lý", tree.hue, .active),
        ]
        let accounts = specs.map { Fixture.account($0.0, unit: $0.1, clock: clock, status: $0.2) }
        try await store.write { tx in for account in accounts.shuffled() { try tx.insertAccount(account) } }

        func names(_ q: AccountQuery, _ page: Page = Page()) async throws -> [String] {
            try await store.read { try $0.accounts(q, page: page) }.map(\.username.value)
        }
        let all = accounts.map(\.username.value).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        try checkEqual(try await names(AccountQuery()), all, "every account, ordered by username bytes")
        try checkEqual(try await names(AccountQuery(subtree: .root)), all, "root subtree is everything")
        try checkEqual(try await names(AccountQuery(subtree: tree.haNoi.path)), ["an.nguyen", "binh.tran", "chi.le"], "/ha-noi subtree, not /ha-noi-2 or /ha-noia")
        try checkEqual(try await names(AccountQuery(subtree: tree.haNoi2.path)), ["dung.pham", "em.vo"], "/ha-noi-2 subtree")
        try checkEqual(try await names(AccountQuery(subtree: tree.baDinh.path)), ["an.nguyen"], "commune")
        try checkEqual(try await names(AccountQuery(subtree: tree.haNoi.path, status: .active)), ["an.nguyen", "binh.tran"], "subtree and status")
        try checkEqual(try await names(AccountQuery(status: .locked)), ["em.vo"], "status")
        try checkEqual(try await names(AccountQuery(usernamePrefix: "a_")), ["a_b"], "'_' in a prefix is literal")
        try checkEqual(try await names(AccountQuery(usernamePrefix: "a%")), ["a%c"], "'%' in a prefix is literal")
        try checkEqual(try await names(AccountQuery(usernamePrefix: "A")), ["a%c", "a_b", "abc", "an.nguyen", "axb"], "prefix folds case")
        try checkEqual(try await names(AccountQuery(usernamePrefix: "Đ")), ["đức.hoàng"], "non-ASCII prefix")
        try checkEqual(try await names(AccountQuery(usernamePrefix: "d")), ["dung.pham", "dương.lý"], "prefix d")
        try checkEqual(try await names(AccountQuery(usernamePrefix: "")), all, "empty prefix")
        try checkEqual(try await names(AccountQuery(subtree: tree.hue.path, usernamePrefix: "kh")), ["khoa.bui"], "subtree and prefix")
        try checkEqual(try await names(AccountQuery(usernamePrefix: "zz")), [], "prefix matching nothing")
        try checkEqual(try await names(AccountQuery(), Page(limit: 3, offset: 2)), Array(all[2..<5]), "paging")
        try checkEqual(try await store.read { try $0.countAccounts(AccountQuery(subtree: tree.hue.path)) }, 8, "count in /hue")
        try checkEqual(try await store.read { try $0.countAccounts(AccountQuery(subtree: tree.haNoi.path, usernamePrefix: "b")) }, 1, "count with prefix")
    }

    static func staleVersion(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        let account = Fixture.account("optimistic", unit: root, clock: clock)
        try await store.write { try $0.insertAccount(account) }
        var first = account
        first.displayName = "first writer"
        let v2 = try await store.write { [first] in try $0.updateAccount(first) }
        try checkEqual(v2.version, 2, "version after one update")
        var second = account
        second.displayName = "second writer"
        let e = try await expectError(.conflict, "update from a stale version") { try await store.write { [second] in try $0.updateAccount(second) } }
        try checkMentions(e, "account 'optimistic'")
        try checkEqual(try await store.read { try $0.account(id: account.id) }, v2, "the first write stands")
        var third = v2
        third.displayName = "third writer"
        try checkEqual(try await store.write { [third] in try $0.updateAccount(third) }.version, 3, "update from the current version")
    }

    static func deleteRemovesDependents(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let account = Fixture.account("to.delete", unit: tree.haNoi, clock: clock)
        let keep = Fixture.account("to.keep", unit: tree.haNoi, clock: clock)
        let client = Fixture.client("portal", clock: clock)
        let session = Fixture.session("s1", account: account, clock: clock)
        let kept = Fixture.session("s2", account: keep, clock: clock)
        try await store.write { tx in
            try tx.insertAccount(account)
            try tx.insertAccount(keep)
            try tx.insertClient(client)
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: account.id, role: "clerk", unitID: tree.haNoi.id, createdAt: clock.now()))
            try tx.insertSession(session)
            try tx.insertSession(kept)
            try tx.insertAuthorizationCode(Fixture.code("c1", client: client, account: account, session: session, clock: clock))
            try tx.insertRefreshFamily(Fixture.family(client: client, account: account, session: session, clock: clock))
            try tx.upsertConsent(Consent(accountID: account.id, clientID: client.id, scopes: ["openid"], grantedAt: clock.now()))
        }
        try await store.write { try $0.deleteAccount(id: account.id) }
        try checkEqual(try await store.read { try $0.grants(unitID: tree.haNoi.id) }, [], "grants deleted")
        try checkEqual(try await store.read { try $0.sessions(accountID: account.id) }, [], "sessions deleted")
        try await expectError(.notFound, "code deleted") { try await store.read { try $0.authorizationCode(hash: Fixture.hash("c1")) } }
        try await expectError(.notFound, "consent deleted") { try await store.read { try $0.consent(accountID: account.id, clientID: client.id) } }
        try checkEqual(try await store.read { try $0.sessions(accountID: keep.id) }, [kept], "other account untouched")
    }

    /// `provisioningID` round-trips through insert, update and the bulk insert, and the
    /// `externalID` search field finds a local account by it and a directory account by its
    /// directory's id.
    static func provisioningID(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        func provisioned(_ username: String, _ unit: OrgUnit, _ id: String) -> Account {
            var account = Fixture.account(username, unit: unit, clock: clock)
            account.provisioningID = id
            return account
        }
        let local = provisioned("hr.local", tree.baDinh, "hr-123")
        let twin = provisioned("hr.twin", tree.hue, "hr-123")  // another client's id may repeat it
        let bulk = provisioned("hr.bulk", tree.hue, "Entra-7f3a")
        let directory = Fixture.account("ldap.user", unit: tree.haNoi, clock: clock, source: .directory(name: "ldap", externalID: "hr-456"))
        let plain = Fixture.account("no.id", unit: tree.haNoi, clock: clock)
        try await store.write { tx in
            try tx.insertAccount(local)
            try tx.insertAccount(twin)
            try tx.insertAccount(directory)
            try tx.insertAccount(plain)
            try tx.insertAccounts([bulk])
        }
        try checkEqual(try await store.read { try $0.account(id: local.id) }, local, "provisioning id after insert")
        try checkEqual(try await store.read { try $0.account(id: bulk.id) }, bulk, "provisioning id after bulk insert")
        try checkEqual(try await store.read { try $0.account(id: plain.id) }.provisioningID, nil, "no provisioning id")

        func names(_ filter: SCIMStoreQuery) async throws -> [String] {
            let query = AccountQuery(filter: filter)
            return try await store.read { try $0.accounts(query, page: Page()) }.map(\.username.value)
        }
        try checkEqual(try await names(.equals(.externalID, .text("hr-123"))), ["hr.local", "hr.twin"], "externalID eq a provisioning id")
        try checkEqual(try await names(.equals(.externalID, .text("HR-123"))), [], "externalID is case-exact")
        try checkEqual(try await names(.equals(.externalID, .text("hr-456"))), ["ldap.user"], "externalID eq a directory id")
        try checkEqual(try await names(.startsWith(.externalID, "hr-")), ["hr.local", "hr.twin", "ldap.user"], "externalID sw")
        try checkEqual(try await names(.present(.externalID)), ["hr.bulk", "hr.local", "hr.twin", "ldap.user"], "externalID pr")
        try checkEqual(try await names(.not(.equals(.externalID, .text("hr-123")))), ["hr.bulk", "ldap.user", "no.id"], "not externalID eq")
        try checkEqual(try await store.read { try $0.countAccounts(AccountQuery(within: [tree.baDinh.path], filter: .equals(.externalID, .text("hr-123")))) },
                       1, "externalID eq within a subtree")

        clock.advance(by: 10)
        var changed = try await store.read { try $0.account(id: local.id) }
        changed.provisioningID = "hr-124"
        let updated = try await store.write { [changed] in try $0.updateAccount(changed) }
        try checkEqual(try await store.read { try $0.account(id: local.id) }, updated, "provisioning id after update")
        try checkEqual(updated.provisioningID, "hr-124", "updated provisioning id")
        try checkEqual(try await names(.equals(.externalID, .text("hr-124"))), ["hr.local"], "externalID eq the new id")
        try checkEqual(try await names(.equals(.externalID, .text("hr-123"))), ["hr.twin"], "the old id finds only the other account")

        var cleared = updated
        cleared.provisioningID = nil
        try await store.write { [cleared] in _ = try $0.updateAccount(cleared) }
        try checkEqual(try await store.read { try $0.account(id: local.id) }.provisioningID, nil, "provisioning id removed")
        try checkEqual(try await names(.equals(.externalID, .text("hr-124"))), [], "a removed id finds nothing")
    }
}

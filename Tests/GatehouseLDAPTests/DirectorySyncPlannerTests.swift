import Foundation
import GatehouseCore
@testable import GatehouseLDAP
import GatehouseStore
import Testing

/// The diff of a synchronisation, without a directory or a store.
@Suite struct DirectorySyncPlannerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let root = OrgUnit(id: UUID(), path: .root, name: "Trung ương", parentID: nil, createdAt: now)
    static let hanoi = OrgUnit(id: UUID(), path: try! UnitPath("/ha-noi"), name: "Hà Nội", parentID: root.id, createdAt: now)
    static let baDinh = OrgUnit(id: UUID(), path: try! UnitPath("/ha-noi/phuong-ba-dinh"), name: "Phường Ba Đình", parentID: hanoi.id, createdAt: now)
    static let hue = OrgUnit(id: UUID(), path: try! UnitPath("/hue"), name: "Huế", parentID: root.id, createdAt: now)
    static let units = [root, hanoi, baDinh, hue]

    static let configuration = DirectorySyncConfiguration(
        name: "ha-noi", userBase: "dc=test",
        unitRules: [
            .init(match: .organizationalUnit("Phường Ba Đình"), unit: baDinh.path),
            .init(match: .dnSuffix(try! DistinguishedName("ou=ha-noi,dc=test")), unit: hanoi.path),
            .init(match: .dnSuffix(try! DistinguishedName("ou=hue,dc=test")), unit: hue.path),
        ],
        groupRules: [
            .init(group: try! DistinguishedName("cn=clerks,dc=test"), role: "clerk", unit: hanoi.path),
            .init(group: try! DistinguishedName("cn=officials,dc=test"), role: "official", unit: hue.path),
        ])

    static func user(_ dn: String, uid: String? = "an", cn: String = "Nguyễn Văn An", mail: String? = "an@test", uuid: String = "uuid-an",
                     locked: Bool = false) -> DirectoryUser {
        var attributes = [LDAPAttribute("entryUUID", [uuid]), LDAPAttribute("cn", [cn])]
        if let uid { attributes.append(LDAPAttribute("uid", [uid])) }
        if let mail { attributes.append(LDAPAttribute("mail", [mail])) }
        if locked { attributes.append(LDAPAttribute("pwdAccountLockedTime", ["000001010000Z"])) }
        guard case .success(let user) = DirectoryUserMapper(attributes: .init()).user(LDAPEntry(dn: dn, attributes: attributes)) else {
            preconditionFailure("fixture entry \(dn)")
        }
        return user
    }

    static func planner(clerks: [String] = [], officials: [String] = []) -> DirectorySyncPlanner {
        let key = { (dn: String) in try! DistinguishedName(dn).canonicalKey }
        return DirectorySyncPlanner(
            configuration: configuration, units: units,
            membership: GroupMembership(members: [Set(clerks.map(key)), Set(officials.map(key))]))
    }

    static func existing(_ user: DirectoryUser, unit: OrgUnit = hanoi, status: AccountStatus = .active, disabledBySync: Bool = false,
                         grants: [RoleGrant] = [], managed: Set<UUID> = []) -> DirectoryAccount {
        let account = Account(
            id: UUID(), username: try! Username(user.username!), displayName: user.displayName!, email: user.email, unitID: unit.id,
            status: status, source: .directory(name: "ha-noi", externalID: user.externalID), createdAt: now)
        return DirectoryAccount(account: account, dn: user.dn, dnKey: user.dnKey, disabledBySync: disabledBySync,
                                grants: grants.map { var g = $0; g.accountID = account.id; return g }, managedGrantIDs: managed)
    }

    static func plan(_ outcome: DirectorySyncPlanner.Outcome) -> AccountSyncPlan? {
        if case .plan(let plan) = outcome { return plan }
        return nil
    }

    @Test func newEntryIsCreatedInItsUnitWithTheGrantsOfItsGroups() throws {
        let dn = "uid=an,ou=Phường Ba Đình,ou=ha-noi,dc=test"
        let plan = try #require(Self.plan(Self.planner(clerks: [dn]).plan(Self.user(dn), existing: nil)))
        #expect(plan.accountID == nil)
        #expect(plan.changes == [.create(displayName: "Nguyễn Văn An", email: "an@test", unit: Self.baDinh.path), .grantAdded(role: "clerk", unit: Self.hanoi.path)])
        #expect(plan.target?.unitID == Self.baDinh.id)
        #expect(plan.lines == [
            "create   an  \"Nguyễn Văn An\" <an@test> at /ha-noi/phuong-ba-dinh",
            "grant+   an  clerk@/ha-noi",
        ])
    }

    /// Members are matched by parsed DN: another spelling of the same DN (hex escapes, case,
    /// NFD) is the same member.
    @Test func groupMembersMatchWhateverTheSpelling() throws {
        let plan = try #require(Self.plan(Self.planner(officials: [#"UID=Ngo\2C B,OU=Hue,DC=Test"#])
            .plan(Self.user(#"uid=ngo\, b,ou=hue,dc=test"#, uid: "ngo.b"), existing: nil)))
        #expect(plan.changes.contains(.grantAdded(role: "official", unit: Self.hue.path)))
        let nfd = "ou=Phường Ba Đình".decomposedStringWithCanonicalMapping + ",ou=ha-noi,dc=test"
        let mapped = try #require(Self.plan(Self.planner().plan(Self.user("uid=an," + nfd), existing: nil)))
        #expect(mapped.target?.unitID == Self.baDinh.id, "an NFD OU value matches the NFC rule")
    }

    @Test func unchangedEntryNeedsNothing() {
        let user = Self.user("uid=an,ou=ha-noi,dc=test")
        guard case .unchanged = Self.planner().plan(user, existing: Self.existing(user)) else {
            Issue.record("expected no change")
            return
        }
    }

    @Test func changedFieldsRenameAndMove() throws {
        let before = Self.user("uid=an,ou=ha-noi,dc=test")
        let after = Self.user("uid=an.nguyen,ou=hue,dc=test", uid: "An.Nguyen", cn: "Nguyễn Văn Ân", mail: nil)
        let plan = try #require(Self.plan(Self.planner().plan(after, existing: Self.existing(before))))
        #expect(plan.changes == [
            .rename(from: "an", to: "an.nguyen"), .displayName(from: "Nguyễn Văn An", to: "Nguyễn Văn Ân"), .email(from: "an@test", to: nil),
            .move(from: Self.hanoi.path, to: Self.hue.path),
        ])
        #expect(plan.entry?.dnKey == after.dnKey, "the new DN is recorded")
        var counts = DirectorySyncCounts()
        counts.count(plan)
        #expect(counts.updated == 1 && counts.moved == 1 && counts.unchanged == 0)
    }

    @Test func goneEntryDisablesAndTakesOnlyManagedGrants() throws {
        let user = Self.user("uid=an,ou=ha-noi,dc=test")
        let managed = RoleGrant(id: UUID(), accountID: UUID(), role: "clerk", unitID: Self.hanoi.id, createdAt: Self.now)
        let byHand = RoleGrant(id: UUID(), accountID: UUID(), role: "official", unitID: Self.hue.id, createdAt: Self.now)
        let existing = Self.existing(user, grants: [managed, byHand], managed: [managed.id])
        let plan = try #require(Self.planner().planGone(existing, reason: .gone))
        #expect(plan.changes == [.disable(.gone), .grantRemoved(role: "clerk", unit: Self.hanoi.path)])
        #expect(plan.grantsToRemove.map(\.id) == [managed.id], "the grant given by hand stays")
        #expect(plan.entry?.disabledBySync == true)
        #expect(Self.planner().planGone(Self.existing(user, status: .disabled, disabledBySync: true), reason: .gone) == nil,
                "already disabled: nothing to do")
    }

    @Test func lockedInTheDirectoryDisables() throws {
        let user = Self.user("uid=an,ou=ha-noi,dc=test", locked: true)
        let plan = try #require(Self.plan(Self.planner().plan(user, existing: Self.existing(Self.user("uid=an,ou=ha-noi,dc=test")))))
        #expect(plan.changes == [.disable(.disabledInDirectory)])
        guard case .skipped = Self.planner().plan(user, existing: nil) else {
            Issue.record("a locked entry without an account is not created")
            return
        }
    }

    @Test func onlyTheSyncsOwnDisablingIsUndone() throws {
        let user = Self.user("uid=an,ou=ha-noi,dc=test")
        let back = try #require(Self.plan(Self.planner().plan(user, existing: Self.existing(user, status: .disabled, disabledBySync: true))))
        #expect(back.changes == [.enable])
        #expect(back.entry?.disabledBySync == false)
        guard case .unchanged = Self.planner().plan(user, existing: Self.existing(user, status: .disabled, disabledBySync: false)) else {
            Issue.record("an account an administrator disabled stays disabled")
            return
        }
        guard case .unchanged = Self.planner().plan(user, existing: Self.existing(user, status: .locked)) else {
            Issue.record("a locked account stays locked")
            return
        }
    }

    @Test func grantsFollowMembershipWithoutDuplicatingGrantsByHand() throws {
        let dn = "uid=an,ou=ha-noi,dc=test"
        let user = Self.user(dn)
        let byHand = RoleGrant(id: UUID(), accountID: UUID(), role: "clerk", unitID: Self.hanoi.id, createdAt: Self.now)
        guard case .unchanged = Self.planner(clerks: [dn]).plan(user, existing: Self.existing(user, grants: [byHand])) else {
            Issue.record("a grant given by hand that a rule gives is not given twice")
            return
        }
        guard case .unchanged = Self.planner(clerks: []).plan(user, existing: Self.existing(user, grants: [byHand])) else {
            Issue.record("a grant given by hand is not removed when the membership ends")
            return
        }
        let managed = RoleGrant(id: UUID(), accountID: UUID(), role: "clerk", unitID: Self.hanoi.id, createdAt: Self.now)
        let removed = try #require(Self.plan(Self.planner(officials: [dn]).plan(user, existing: Self.existing(user, grants: [managed], managed: [managed.id]))))
        #expect(removed.changes == [.grantAdded(role: "official", unit: Self.hue.path), .grantRemoved(role: "clerk", unit: Self.hanoi.path)])
    }

    @Test func entriesThatCannotBeMappedAreSkippedNotDisabled() {
        for (user, reason) in [
            (Self.user("uid=an,ou=da-nang,dc=test"), "no unit rule matches the DN"),
            (Self.user("uid=x,ou=ha-noi,dc=test", uid: "*)(uid=*"), "must not contain"),
            (Self.user("uid=x,ou=ha-noi,dc=test", uid: nil), "no username"),
        ] {
            guard case .skipped(let skip) = Self.planner().plan(user, existing: Self.existing(Self.user(user.dn))) else {
                Issue.record("\(user.dn) should be skipped")
                continue
            }
            #expect(skip.reason.contains(reason), "\(skip.reason)")
        }
    }

    @Test func ruleRecomputeAddsAndRemovesForMembersOnly() throws {
        let staying = Self.user("uid=a,ou=ha-noi,dc=test", uid: "a", uuid: "uuid-a")
        let leaving = Self.user("uid=b,ou=ha-noi,dc=test", uid: "b", uuid: "uuid-b")
        let gone = Self.user("uid=c,ou=ha-noi,dc=test", uid: "c", uuid: "uuid-c")
        let planner = Self.planner(clerks: [staying.dn, gone.dn])
        let managed = RoleGrant(id: UUID(), accountID: UUID(), role: "clerk", unitID: Self.hanoi.id, createdAt: Self.now)
        let plans = planner.planRuleChanges(
            changedRules: [0],
            holders: [Self.existing(staying), Self.existing(gone, status: .disabled, disabledBySync: true)],
            currentHolders: [Self.existing(leaving, grants: [managed], managed: [managed.id])])
        #expect(plans.map(\.username) == ["a", "b"])
        #expect(plans[0].changes == [.grantAdded(role: "clerk", unit: Self.hanoi.path)])
        #expect(plans[1].changes == [.grantRemoved(role: "clerk", unit: Self.hanoi.path)])
    }

    @Test func countsTable() {
        var counts = DirectorySyncCounts()
        counts.created = 149_988
        counts.unchanged = 12
        let table = counts.table(extra: [("time", "18.4 s")])
        #expect(table.split(separator: "\n").first == "created         149,988")
        #expect(table.hasSuffix("time             18.4 s"))
        #expect(counts.auditDetail["grants_added"] == "0")
    }
}

import Foundation
import GatehouseCore

/// Units: the root from the first migration, CRUD, subtree listing, moves, deletion rules and
/// merges.
enum UnitCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("units.root-created-by-migration", rootCreated),
        ConformanceCase("units.crud", crud),
        ConformanceCase("units.insert-refused", insertRefused),
        ConformanceCase("units.subtree-listing", subtreeListing),
        ConformanceCase("units.move-rewrites-descendants", moveRewritesDescendants),
        ConformanceCase("units.move-under-own-subtree-refused", moveUnderSelfRefused),
        ConformanceCase("units.move-below-commune-level-refused", moveTooDeepRefused),
        ConformanceCase("units.move-path-collision-refused", moveCollisionRefused),
        ConformanceCase("units.delete-rules", deleteRules),
        ConformanceCase("units.merge-moves-clients", mergeMovesClients),
    ]

    static func rootCreated(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        try checkEqual(root.path, .root, "root path")
        try checkEqual(root.name, "Trung ương", "root name")
        try checkEqual(root.parentID, nil, "root parent")
        try checkEqual(root.level, .central, "root level")
        let byID = try await store.read { try $0.unit(id: root.id) }
        try checkEqual(byID, root, "root by id")
        let count = try await store.read { try $0.countUnits(in: .root) }
        try checkEqual(count, 1, "units in a new store")
    }

    static func crud(store: any Store, clock: ManualClock) async throws {
        let root = try await store.read { try $0.unit(path: .root) }
        // Decomposed (NFD) input is stored composed (NFC).
        let nfd = "Tha\u{300}nh pho\u{302}\u{301} Ha\u{300} No\u{0323}\u{0302}i"
        let haNoi = Fixture.unit("/ha-noi", nfd, parent: root, code: "01", clock: clock)
        try await store.write { try $0.insertUnit(haNoi) }
        let read = try await store.read { try $0.unit(id: haNoi.id) }
        try checkEqual(read, haNoi, "unit read by id")
        try checkEqual(read.name, "Thành phố Hà Nội", "name stored NFC")
        try checkEqual(read.name.unicodeScalars.count, "Thành phố Hà Nội".precomposedStringWithCanonicalMapping.unicodeScalars.count, "NFC scalars")
        try checkEqual(try await store.read { try $0.unit(path: Fixture.path("/ha-noi")) }, haNoi, "unit read by path")

        clock.advance(by: 60)
        var renamed = haNoi
        renamed.name = "Hà Nội"
        renamed.code = nil
        let stored = try await store.write { [renamed] in try $0.updateUnit(renamed) }
        try checkEqual(stored.name, "Hà Nội", "updated name")
        try checkEqual(stored.code, nil, "updated code")
        try checkEqual(stored.updatedAt, clock.now(), "updatedAt stamped by the store")
        try checkEqual(stored.createdAt, haNoi.createdAt, "createdAt kept")
        try checkEqual(try await store.read { try $0.unit(id: haNoi.id) }, stored, "re-read after update")

        var moved = stored
        moved.path = Fixture.path("/hue")
        try await expectError(.invalid, "updateUnit changing the path") { try await store.write { [moved] in try $0.updateUnit(moved) } }

        let missing = Fixture.unit("/hai-phong", "Hải Phòng", parent: root, clock: clock)
        let e1 = try await expectError(.notFound, "updateUnit of a missing unit") { try await store.write { try $0.updateUnit(missing) } }
        try checkMentions(e1, "unit")
        let e2 = try await expectError(.notFound, "unit by missing path") { try await store.read { try $0.unit(path: Fixture.path("/hai-phong")) } }
        try checkMentions(e2, "unit /hai-phong")
        try await expectError(.notFound, "unit by missing id") { try await store.read { try $0.unit(id: UUID()) } }

        try await store.write { try $0.deleteUnit(id: haNoi.id) }
        try await expectError(.notFound, "deleted unit") { try await store.read { try $0.unit(id: haNoi.id) } }
        try await expectError(.notFound, "delete twice") { try await store.write { try $0.deleteUnit(id: haNoi.id) } }
    }

    static func insertRefused(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let again = Fixture.unit("/ha-noi", "Hà Nội", parent: tree.root, clock: clock)
        let e = try await expectError(.alreadyExists, "duplicate path") { try await store.write { try $0.insertUnit(again) } }
        try checkMentions(e, "/ha-noi")
        var sameID = Fixture.unit("/hai-phong", "Hải Phòng", parent: tree.root, clock: clock)
        sameID.id = tree.hue.id
        try await expectError(.alreadyExists, "duplicate id") { try await store.write { [sameID] in try $0.insertUnit(sameID) } }
        let orphan = OrgUnit(id: UUID(), path: Fixture.path("/can-tho"), name: "Cần Thơ", parentID: UUID(), createdAt: clock.now())
        try await expectError(.invalid, "unknown parent") { try await store.write { try $0.insertUnit(orphan) } }
        let misplaced = Fixture.unit("/hue/phuong-ba-dinh", "Phường Ba Đình", parent: tree.haNoi, clock: clock)
        try await expectError(.invalid, "path not under the parent's path") { try await store.write { try $0.insertUnit(misplaced) } }
        let secondRoot = OrgUnit(id: UUID(), path: .root, name: "Trung ương", parentID: nil, createdAt: clock.now())
        try await expectError(.alreadyExists, "a second root") { try await store.write { try $0.insertUnit(secondRoot) } }
        try checkEqual(try await store.read { try $0.countUnits(in: .root) }, tree.all.count, "nothing inserted by refused inserts")
    }

    static func subtreeListing(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let everything = try await store.read { try $0.units(in: .root, page: Page()) }
        try checkEqual(everything.map(\.path.description), tree.all.map(\.path.description), "root subtree is every unit, in path order")
        try checkEqual(everything, tree.all, "units round-trip")

        let haNoi = try await store.read { try $0.units(in: tree.haNoi.path, page: Page()) }
        try checkEqual(haNoi.map(\.path.description), ["/ha-noi", "/ha-noi/phuong-ba-dinh", "/ha-noi/phuong-hoan-kiem"], "/ha-noi subtree excludes /ha-noi-2 and /ha-noia")
        try checkEqual(try await store.read { try $0.countUnits(in: tree.haNoi.path) }, 3, "count /ha-noi")
        try checkEqual(try await store.read { try $0.countUnits(in: tree.haNoi2.path) }, 2, "count /ha-noi-2")
        try checkEqual(try await store.read { try $0.countUnits(in: tree.baDinh.path) }, 1, "a commune's subtree is itself")
        try checkEqual(try await store.read { try $0.countUnits(in: .root) }, tree.all.count, "count everything")
        try checkEqual(try await store.read { try $0.countUnits(in: Fixture.path("/ha")) }, 0, "a path prefix that is no unit")

        let page1 = try await store.read { try $0.units(in: .root, page: Page(limit: 4, offset: 0)) }
        let page2 = try await store.read { try $0.units(in: .root, page: Page(limit: 4, offset: 4)) }
        let page3 = try await store.read { try $0.units(in: .root, page: Page(limit: 4, offset: 8)) }
        try checkEqual((page1 + page2 + page3).map(\.path), tree.all.map(\.path), "paging covers everything once")
        try checkEqual(page3.count, tree.all.count - 8, "last page")
        try checkEqual(try await store.read { try $0.units(in: .root, page: Page(limit: 0)) }, [], "limit 0")
    }

    static func moveRewritesDescendants(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let account = Fixture.account("tran.thi.b", unit: tree.baDinh, clock: clock)
        let grant = RoleGrant(id: UUID(), accountID: account.id, role: "clerk", unitID: tree.baDinh.id, createdAt: clock.now())
        try await store.write { tx in
            try tx.insertAccount(account)
            try tx.insertGrant(grant)
        }
        clock.advance(by: 5)
        // Merge-style reorganisation: /ha-noi becomes /thu-do under the root, then a commune
        // moves to another province under a new slug.
        let moved = try await store.write { try $0.moveUnit(id: tree.haNoi.id, toParent: tree.root.id, slug: "thu-do") }
        try checkEqual(moved.path.description, "/thu-do", "moved unit's path")
        try checkEqual(moved.id, tree.haNoi.id, "moved unit keeps its id")
        try checkEqual(moved.name, tree.haNoi.name, "moved unit keeps its name")
        try checkEqual(moved.updatedAt, clock.now(), "moved unit's updatedAt")
        try checkEqual(try await store.read { try $0.unit(id: tree.haNoi.id) }, moved, "moved unit as stored")
        let paths = try await store.read { try $0.units(in: moved.path, page: Page()) }.map(\.path.description)
        try checkEqual(paths, ["/thu-do", "/thu-do/phuong-ba-dinh", "/thu-do/phuong-hoan-kiem"], "descendants rewritten")
        try checkEqual(try await store.read { try $0.countUnits(in: tree.haNoi.path) }, 0, "old subtree empty")
        let baDinh = try await store.read { try $0.unit(id: tree.baDinh.id) }
        try checkEqual(baDinh.path.description, "/thu-do/phuong-ba-dinh", "descendant by id")
        try checkEqual(baDinh.parentID, tree.haNoi.id, "descendant keeps its parent")
        try checkEqual(try await store.read { try $0.unit(path: Fixture.path("/ha-noi-2")) }, tree.haNoi2, "sibling /ha-noi-2 untouched")
        try checkEqual(try await store.read { try $0.unit(path: Fixture.path("/ha-noia")) }, tree.haNoiA, "sibling /ha-noia untouched")

        let inNew = try await store.read { try $0.accounts(AccountQuery(subtree: Fixture.path("/thu-do")), page: Page()) }
        try checkEqual(inNew.map(\.id), [account.id], "account follows its unit")
        try checkEqual(try await store.read { try $0.countAccounts(AccountQuery(subtree: tree.haNoi.path)) }, 0, "no account left under the old path")
        let effective = try await store.read { try $0.effectiveGrants(accountID: account.id) }
        try checkEqual(effective.map(\.description), ["clerk@/thu-do/phuong-ba-dinh"], "grant follows its unit")

        let commune = try await store.write { try $0.moveUnit(id: tree.baDinh.id, toParent: tree.hue.id, slug: "phuong-ba-dinh-moi") }
        try checkEqual(commune.path.description, "/hue/phuong-ba-dinh-moi", "commune moved to another province")
        try checkEqual(commune.parentID, tree.hue.id, "commune's new parent")
        try checkEqual(try await store.read { try $0.countUnits(in: tree.hue.path) }, 3, "new province's subtree")
        try checkEqual(try await store.read { try $0.countAccounts(AccountQuery(subtree: tree.hue.path)) }, 1, "account followed again")
        let kept = try await store.write { try $0.moveUnit(id: tree.hue.id, toParent: tree.root.id, slug: nil) }
        try checkEqual(kept.path, tree.hue.path, "moving to the same place changes nothing")
        try await expectError(.invalid, "moving the root") { try await store.write { try $0.moveUnit(id: tree.root.id, toParent: tree.hue.id, slug: nil) } }
        try await expectError(.invalid, "invalid slug") { try await store.write { try $0.moveUnit(id: tree.hue.id, toParent: tree.root.id, slug: "Huế") } }
        try await expectError(.notFound, "moving a missing unit") { try await store.write { try $0.moveUnit(id: UUID(), toParent: tree.root.id, slug: nil) } }
        try await expectError(.notFound, "moving under a missing parent") { try await store.write { try $0.moveUnit(id: tree.hue.id, toParent: UUID(), slug: nil) } }
    }

    static func moveUnderSelfRefused(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let e = try await expectError(.invalid, "move under own child") {
            try await store.write { try $0.moveUnit(id: tree.haNoi.id, toParent: tree.baDinh.id, slug: nil) }
        }
        try checkMentions(e, "/ha-noi")
        try await expectError(.invalid, "move under itself") {
            try await store.write { try $0.moveUnit(id: tree.haNoi.id, toParent: tree.haNoi.id, slug: "x") }
        }
        try checkEqual(try await store.read { try $0.units(in: .root, page: Page()) }, tree.all, "tree unchanged")
    }

    static func moveTooDeepRefused(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        // A province with communes cannot become a commune; a commune cannot get children.
        try await expectError(.invalid, "province with communes under another province") {
            try await store.write { try $0.moveUnit(id: tree.hue.id, toParent: tree.haNoi.id, slug: nil) }
        }
        try await expectError(.invalid, "anything under a commune") {
            try await store.write { try $0.moveUnit(id: tree.haNoiA.id, toParent: tree.baDinh.id, slug: nil) }
        }
        // A province without communes may become a commune, and a commune a province.
        let demoted = try await store.write { try $0.moveUnit(id: tree.haNoiA.id, toParent: tree.haNoi.id, slug: "phuong-a") }
        try checkEqual(demoted.path.description, "/ha-noi/phuong-a", "childless province becomes a commune")
        try checkEqual(demoted.level, .commune, "its level follows its depth")
        let promoted = try await store.write { try $0.moveUnit(id: tree.thuanHoa.id, toParent: tree.root.id, slug: nil) }
        try checkEqual(promoted.path.description, "/phuong-thuan-hoa", "commune becomes a province")
        try checkEqual(try await store.read { try $0.countUnits(in: .root) }, tree.all.count, "no unit lost")
    }

    static func moveCollisionRefused(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let e = try await expectError(.alreadyExists, "rename onto a sibling") {
            try await store.write { try $0.moveUnit(id: tree.haNoi2.id, toParent: tree.root.id, slug: "ha-noi") }
        }
        try checkMentions(e, "/ha-noi")
        try await expectError(.alreadyExists, "commune onto an existing commune") {
            try await store.write { try $0.moveUnit(id: tree.hoanKiem.id, toParent: tree.haNoi.id, slug: "phuong-ba-dinh") }
        }
        try checkEqual(try await store.read { try $0.units(in: .root, page: Page()) }, tree.all, "tree unchanged")
    }

    static func deleteRules(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let withChildren = try await expectError(.invalid, "unit with children") { try await store.write { try $0.deleteUnit(id: tree.haNoi.id) } }
        try checkMentions(withChildren, "child")
        try await expectError(.invalid, "the root") { try await store.write { try $0.deleteUnit(id: tree.root.id) } }

        let account = Fixture.account("le.van.c", unit: tree.baDinh, clock: clock)
        try await store.write { try $0.insertAccount(account) }
        let withAccounts = try await expectError(.invalid, "unit with accounts") { try await store.write { try $0.deleteUnit(id: tree.baDinh.id) } }
        try checkMentions(withAccounts, "account")

        let elsewhere = Fixture.account("pham.d", unit: tree.hue, clock: clock)
        let grant = RoleGrant(id: UUID(), accountID: elsewhere.id, role: "auditor", unitID: tree.hoanKiem.id, createdAt: clock.now())
        try await store.write { tx in
            try tx.insertAccount(elsewhere)
            try tx.insertGrant(grant)
        }
        let withGrants = try await expectError(.invalid, "unit with grants") { try await store.write { try $0.deleteUnit(id: tree.hoanKiem.id) } }
        try checkMentions(withGrants, "grant")

        try await store.write { try $0.deleteGrant(id: grant.id) }
        try await store.write { try $0.deleteUnit(id: tree.hoanKiem.id) }
        try await store.write { try $0.deleteUnit(id: tree.haNoi2Commune.id) }
        try await store.write { try $0.deleteUnit(id: tree.haNoi2.id) }
        try checkEqual(try await store.read { try $0.countUnits(in: .root) }, tree.all.count - 3, "three units deleted")
    }

    static func mergeMovesClients(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        var first = Fixture.client("mot-cua", clock: clock)
        first.unitID = tree.hoanKiem.id
        var second = Fixture.client("van-ban", clock: clock)
        second.unitID = tree.hoanKiem.id
        var stays = Fixture.client("cong-van", clock: clock)
        stays.unitID = tree.baDinh.id
        let platform = Fixture.client("portal", clock: clock)
        try await store.write { [first, second, stays] tx in
            for client in [first, second, stays, platform] { try tx.insertClient(client) }
        }
        clock.advance(by: 30)
        let counts = try await store.write { try $0.mergeUnit(id: tree.hoanKiem.id, into: tree.baDinh.id) }
        try checkEqual(counts, UnitMergeCounts(clientsMoved: 2), "merge counts")
        try await expectError(.notFound, "merged unit deleted") { try await store.read { try $0.unit(id: tree.hoanKiem.id) } }

        let clients = try await store.read { try $0.clients() }
        try checkEqual(clients.map(\.id), ["cong-van", "mot-cua", "portal", "van-ban"], "every client kept")
        try checkEqual(clients.map(\.unitID), [tree.baDinh.id, tree.baDinh.id, nil, tree.baDinh.id], "owned clients now at the target")
        var expected = first
        expected.unitID = tree.baDinh.id
        expected.updatedAt = clock.now()
        try checkEqual(clients[1], expected, "moved client as stored")
        try checkEqual(clients[0], stays, "a client already at the target is untouched")
        try checkEqual(clients[2], platform, "a platform-wide client is untouched")
    }
}

import Foundation
import GatehouseCore

/// Role grants: CRUD, effective grants resolved to paths, uniqueness and dangling references.
enum GrantCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("grants.crud-and-effective", crud),
        ConformanceCase("grants.duplicate-and-dangling-refused", refused),
    ]

    static func crud(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let admin = Fixture.account("admin", unit: tree.root, clock: clock)
        let official = Fixture.account("official", unit: tree.baDinh, clock: clock)
        let g1 = RoleGrant(id: UUID(), accountID: official.id, role: "province-admin", unitID: tree.haNoi.id, grantedBy: admin.id, createdAt: clock.now())
        clock.advance(by: 1)
        let g2 = RoleGrant(id: UUID(), accountID: official.id, role: "clerk", unitID: tree.baDinh.id, createdAt: clock.now())
        clock.advance(by: 1)
        let g3 = RoleGrant(id: UUID(), accountID: admin.id, role: "clerk", unitID: tree.haNoi.id, createdAt: clock.now())
        try await store.write { tx in
            try tx.insertAccount(admin)
            try tx.insertAccount(official)
            try tx.insertGrant(g1)
            try tx.insertGrant(g2)
            try tx.insertGrant(g3)
        }
        try checkEqual(try await store.read { try $0.grant(id: g1.id) }, g1, "grant by id")
        try checkEqual(try await store.read { try $0.grants(accountID: official.id) }, [g1, g2], "grants of an account, oldest first")
        try checkEqual(try await store.read { try $0.grants(unitID: tree.haNoi.id) }, [g1, g3], "grants at a unit")
        try checkEqual(try await store.read { try $0.grants(unitID: tree.hue.id) }, [], "no grants at /hue")
        let effective = try await store.read { try $0.effectiveGrants(accountID: official.id) }
        try checkEqual(effective.map(\.description), ["province-admin@/ha-noi", "clerk@/ha-noi/phuong-ba-dinh"], "effective grants by path")

        try await store.write { try $0.deleteGrant(id: g1.id) }
        try checkEqual(try await store.read { try $0.grants(accountID: official.id) }, [g2], "after delete")
        let e = try await expectError(.notFound, "grant deleted twice") { try await store.write { try $0.deleteGrant(id: g1.id) } }
        try checkMentions(e, "grant")
        try await expectError(.notFound, "missing grant") { try await store.read { try $0.grant(id: g1.id) } }
    }

    static func refused(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        let official = Fixture.account("official", unit: tree.baDinh, clock: clock)
        let grant = RoleGrant(id: UUID(), accountID: official.id, role: "clerk", unitID: tree.haNoi.id, createdAt: clock.now())
        try await store.write { tx in
            try tx.insertAccount(official)
            try tx.insertGrant(grant)
        }
        var again = grant
        again.id = UUID()
        let e = try await expectError(.alreadyExists, "same role at the same unit twice") { try await store.write { [again] in try $0.insertGrant(again) } }
        try checkMentions(e, "clerk")
        var unknownAccount = grant
        unknownAccount.id = UUID()
        unknownAccount.accountID = UUID()
        try await expectError(.invalid, "grant to a missing account") { try await store.write { [unknownAccount] in try $0.insertGrant(unknownAccount) } }
        var unknownUnit = grant
        unknownUnit.id = UUID()
        unknownUnit.unitID = UUID()
        try await expectError(.invalid, "grant at a missing unit") { try await store.write { [unknownUnit] in try $0.insertGrant(unknownUnit) } }
        try checkEqual(try await store.read { try $0.grants(accountID: official.id) }, [grant], "only the first grant stored")
    }
}

/// Clients: CRUD with every field round-tripping, and the owning unit.
enum ClientCases {
    static let all: [ConformanceCase] = [
        ConformanceCase("clients.crud", crud),
        ConformanceCase("clients.owning-unit", owningUnit),
        ConformanceCase("clients.dangling-unit-refused", danglingUnitRefused),
    ]

    static func crud(store: any Store, clock: ManualClock) async throws {
        let portal = Fixture.client("portal", clock: clock)
        let spa = Client(id: "spa:hue", isPublic: true, redirectURIs: ["http://127.0.0.1:9000/cb"], grantTypes: [.authorizationCode], scopes: [], createdAt: clock.now())
        let service = Client(
            id: "svc.reports", jwks: #"{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#,
            authMethod: .privateKeyJWT, grantTypes: [.clientCredentials], scopes: ["reports.read"], fromPolicy: true, createdAt: clock.now())
        try await store.write { tx in
            try tx.insertClient(service)
            try tx.insertClient(portal)
            try tx.insertClient(spa)
        }
        try checkEqual(try await store.read { try $0.client(id: "portal") }, portal, "client by id")
        try checkEqual(try await store.read { try $0.clients() }, [portal, spa, service], "clients ordered by id")
        let e = try await expectError(.alreadyExists, "same client id") { try await store.write { try $0.insertClient(portal) } }
        try checkMentions(e, "client 'portal'")

        clock.advance(by: 10)
        var changed = portal
        changed.redirectURIs = ["https://portal.example.gov.vn/new"]
        changed.scopes.insert("offline_access")
        changed.grantTypes = [.authorizationCode]
        changed.backchannelLogoutURI = nil
        changed.secretHash = "hmac-sha256:rotated"
        let stored = try await store.write { [changed] in try $0.updateClient(changed) }
        var expected = changed
        expected.updatedAt = clock.now()
        try checkEqual(stored, expected, "updateClient's result")
        try checkEqual(try await store.read { try $0.client(id: "portal") }, expected, "client after update")

        try await store.write { try $0.deleteClient(id: "spa:hue") }
        let missing = try await expectError(.notFound, "deleted client") { try await store.read { try $0.client(id: "spa:hue") } }
        try checkMentions(missing, "client 'spa:hue'")
        try await expectError(.notFound, "delete twice") { try await store.write { try $0.deleteClient(id: "spa:hue") } }
        try await expectError(.notFound, "update missing") { try await store.write { try $0.updateClient(spa) } }
    }

    static func owningUnit(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        var owned = Fixture.client("van-ban", clock: clock)
        owned.unitID = tree.haNoi.id
        let platform = Fixture.client("portal", clock: clock)
        try await store.write { [owned] tx in
            try tx.insertClient(owned)
            try tx.insertClient(platform)
        }
        try checkEqual(try await store.read { try $0.client(id: "van-ban") }, owned, "client with a unit by id")
        try checkEqual(try await store.read { try $0.clients() }, [platform, owned], "clients with and without a unit")
        try checkEqual(try await store.read { try $0.client(id: "portal") }.unitID, nil, "a platform-wide client has no unit")

        clock.advance(by: 10)
        var moved = platform
        moved.unitID = tree.baDinh.id
        let stored = try await store.write { [moved] in try $0.updateClient(moved) }
        try checkEqual(stored.unitID, tree.baDinh.id, "updateClient's result carries the new unit")
        var expected = moved
        expected.updatedAt = clock.now()
        try checkEqual(try await store.read { try $0.client(id: "portal") }, expected, "client after gaining a unit")

        clock.advance(by: 10)
        var released = expected
        released.unitID = nil
        _ = try await store.write { [released] in try $0.updateClient(released) }
        expected.unitID = nil
        expected.updatedAt = clock.now()
        try checkEqual(try await store.read { try $0.client(id: "portal") }, expected, "client after losing its unit")

        // A unit that owns a client is not deleted from under it.
        var commune = Fixture.client("mot-cua", clock: clock)
        commune.unitID = tree.hoanKiem.id
        try await store.write { [commune] in try $0.insertClient(commune) }
        let e = try await expectError(.invalid, "deleting a unit that owns a client") {
            try await store.write { try $0.deleteUnit(id: tree.hoanKiem.id) }
        }
        try checkMentions(e, "client 'mot-cua'")
        try checkEqual(try await store.read { try $0.client(id: "mot-cua") }.unitID, tree.hoanKiem.id, "client kept its unit")
        try await store.write { try $0.deleteClient(id: "mot-cua") }
        try await store.write { try $0.deleteUnit(id: tree.hoanKiem.id) }
    }

    static func danglingUnitRefused(store: any Store, clock: ManualClock) async throws {
        let tree = try await SampleTree.create(in: store, clock: clock)
        var dangling = Fixture.client("van-ban", clock: clock)
        dangling.unitID = UUID()
        let e = try await expectError(.invalid, "client at a missing unit") { try await store.write { [dangling] in try $0.insertClient(dangling) } }
        try checkMentions(e, "client 'van-ban'")
        try await expectError(.notFound, "refused client not stored") { try await store.read { try $0.client(id: "van-ban") } }

        var client = Fixture.client("van-ban", clock: clock)
        client.unitID = tree.hue.id
        try await store.write { [client] in try $0.insertClient(client) }
        var moved = client
        moved.unitID = UUID()
        try await expectError(.invalid, "update to a missing unit") { try await store.write { [moved] in try $0.updateClient(moved) } }
        try checkEqual(try await store.read { try $0.client(id: "van-ban") }, client, "client unchanged by the refused update")
    }
}

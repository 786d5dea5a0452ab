import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehouseStore
import Testing

@Suite("Unit moves and merges: atomic, audited, with a dry run")
struct ReorganisationTests {
    private func path(_ raw: String) -> UnitPath { AdminHarness.path(raw) }

    @Test("moving a commune to another province keeps its accounts and grants, and a dry run changes nothing", arguments: Backend.available)
    func move(_ backend: Backend) async throws {
        try await AdminHarness.with(backend) { h in
            let chief = try await h.actor("chief")
            let before = try await h.store.read { try $0.auditEvents(after: 0, limit: 1_000).count }
            let preview = try await h.service.moveUnit(path("/ha-noi/phuong-ba-dinh"), under: path("/hue"), dryRun: true, by: chief)
            #expect(preview.dryRun && preview.to == path("/hue/phuong-ba-dinh"))
            #expect(preview.unitsRepathed == 1 && preview.accounts == 3 && preview.grants == 2)
            #expect(try await h.store.read { try $0.unit(id: h.units["/ha-noi/phuong-ba-dinh"]!.id).path } == path("/ha-noi/phuong-ba-dinh"))
            #expect(try await h.store.read { try $0.auditEvents(after: 0, limit: 1_000).count } == before)

            let done = try await h.service.moveUnit(path("/ha-noi/phuong-ba-dinh"), under: path("/hue"), dryRun: false, by: chief)
            #expect(!done.dryRun && done.accounts == 3)
            let lan = try await h.service.account(id: h.id("lan"), by: chief)
            #expect(lan.unit == path("/hue/phuong-ba-dinh") && lan.grants.map(\.unit) == [path("/hue/phuong-ba-dinh")])
            // Reach follows the move: Huế's admin now administers the commune, Hà Nội's no longer does.
            let hue = try await h.actor("hue.admin")
            #expect(try await h.service.account(id: h.id("lan"), by: hue).account.username.value == "lan")
            let hn = try await h.actor("hn.admin")
            await #expect(throws: AdminError.self) { try await h.service.account(id: h.id("lan"), by: hn) }
            let event = try #require(try await h.store.read { try $0.lastAuditEvent() })
            #expect(event.record.action == "unit.move" && event.record.detail["from"] == "/ha-noi/phuong-ba-dinh" && event.record.detail["accounts"] == "3")
        }
    }

    @Test("a move needs units.manage on both sides and keeps the unit's level", arguments: Backend.available)
    func moveRules(_ backend: Backend) async throws {
        try await AdminHarness.with(backend) { h in
            let hn = try await h.actor("hn.admin")
            await #expect(throws: AdminError.self) { try await h.service.moveUnit(path("/ha-noi/phuong-ba-dinh"), under: path("/hue"), dryRun: false, by: hn) }
            let chief = try await h.actor("chief")
            for (unit, parent) in [("/ha-noi/phuong-ba-dinh", "/"), ("/ha-noi", "/hue"), ("/", "/hue")] {
                do {
                    _ = try await h.service.moveUnit(path(unit), under: path(parent), dryRun: true, by: chief)
                    Issue.record("moving \(unit) under \(parent) was allowed")
                } catch let error as AdminError {
                    guard case .invalid = error else { Issue.record("\(error)"); continue }
                }
            }
            // Within its own province, the province admin may move a commune (here: rename its slug).
            let renamed = try await h.service.moveUnit(path("/ha-noi/phuong-ba-dinh"), under: path("/ha-noi"), slug: "ba-dinh", dryRun: false, by: hn)
            #expect(renamed.to == path("/ha-noi/ba-dinh"))
        }
    }

    @Test("merging a commune into another moves its accounts and grants, drops duplicates, and deletes it", arguments: Backend.available)
    func merge(_ backend: Backend) async throws {
        try await AdminHarness.with(backend) { h in
            let hn = try await h.actor("hn.admin")
            // hk.clerk also holds clerk at Ba Đình: after the merge one of the two would duplicate the other.
            _ = try await h.service.grantRole("clerk", at: path("/ha-noi/phuong-ba-dinh"), to: h.id("hk.clerk"), by: hn)
            let preview = try await h.service.mergeUnit(path("/ha-noi/phuong-hoan-kiem"), into: path("/ha-noi/phuong-ba-dinh"), dryRun: true, by: hn)
            #expect(preview.dryRun && preview.accounts == 1 && preview.grants == 1 && preview.grantsDropped == 1)
            #expect(try await h.store.read { try $0.unit(path: AdminHarness.path("/ha-noi/phuong-hoan-kiem")).name } == "Phường Hoàn Kiếm")

            let done = try await h.service.mergeUnit(path("/ha-noi/phuong-hoan-kiem"), into: path("/ha-noi/phuong-ba-dinh"), dryRun: false, by: hn)
            #expect(!done.dryRun && done.grantsDropped == 1)
            let moved = try await h.service.account(id: h.id("hk.clerk"), by: hn)
            #expect(moved.unit == path("/ha-noi/phuong-ba-dinh") && moved.grants.map(\.description) == ["clerk@/ha-noi/phuong-ba-dinh"])
            await #expect(throws: StoreError.self) { try await h.store.read { try $0.unit(path: AdminHarness.path("/ha-noi/phuong-hoan-kiem")) } }
            // Across levels, and outside the admin's province, merging is refused.
            await #expect(throws: AdminError.self) { try await h.service.mergeUnit(path("/ha-noi/phuong-ba-dinh"), into: path("/ha-noi"), dryRun: true, by: hn) }
            await #expect(throws: AdminError.self) { try await h.service.mergeUnit(path("/ha-noi/phuong-ba-dinh"), into: path("/hue/phuong-thuan-hoa"), dryRun: true, by: hn) }
        }
    }
}

extension ManagedGrant {
    var description: String { "\(role)@\(unit)" }
}

import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehouseStore
import Testing

private func path(_ raw: String) -> UnitPath { AdminHarness.path(raw) }

/// `#expect(throws:)` for an ``AdminError`` case whatever its message.
private func refusal(_ error: any Error) -> String {
    switch error as? AdminError {
    case .forbidden: "forbidden"
    case .notFound: "notFound"
    case .invalid: "invalid"
    case .conflict: "conflict"
    case .preconditionFailed: "preconditionFailed"
    case .unavailable: "unavailable"
    case nil: "other: \(error)"
    }
}

private func refused(_ expected: String, _ body: () async throws -> some Any, sourceLocation: SourceLocation = #_sourceLocation) async {
    do {
        _ = try await body()
        Issue.record("expected \(expected), but it was allowed", sourceLocation: sourceLocation)
    } catch {
        #expect(refusal(error) == expected, "\(error)", sourceLocation: sourceLocation)
    }
}

@Suite("Delegated administration: every admin acts only inside their subtree")
struct DelegationTests {
    @Test("a provincial admin of Hà Nội cannot see or touch Huế", arguments: Backend.available)
    func provinceCannotTouchAnother(_ backend: Backend) async throws {
        try await AdminHarness.with(backend) { h in
            let hn = try await h.actor("hn.admin")
            let hueClerk = h.id("hue.clerk")
            await refused("notFound") { try await h.service.account(id: hueClerk, by: hn) }
            await refused("notFound") { try await h.service.updateAccount(id: hueClerk, AccountPatch(displayName: "Bị sửa"), by: hn) }
            await refused("notFound") { try await h.service.setActive(false, id: hueClerk, by: hn) }
            await refused("notFound") { try await h.service.resetPassword(id: hueClerk, by: hn) }
            await refused("notFound") { try await h.service.grantRole("clerk", at: path("/hue/phuong-thuan-hoa"), to: hueClerk, by: hn) }
            await refused("forbidden") {
                try await h.service.createAccount(AccountDraft(username: "spy", displayName: "Spy", unit: path("/hue/phuong-thuan-hoa")), by: hn)
            }
            // Nor by moving one of its own officials there, or granting one of its own a role in Huế.
            await refused("forbidden") { try await h.service.updateAccount(id: h.id("lan"), AccountPatch(unit: path("/hue")), by: hn) }
            await refused("forbidden") { try await h.service.grantRole("clerk", at: path("/hue"), to: h.id("lan"), by: hn) }
            // A search reaches Hà Nội only, whatever it asks for.
            let all = try await h.service.searchAccounts(AccountSearch(), by: hn)
            #expect(Set(all.accounts.map(\.account.username.value)) == ["hn.admin", "hn.auditor", "bd.admin", "lan", "dang", "hk.clerk"])
            #expect(all.total == 6)
            #expect(try await h.service.searchAccounts(AccountSearch(unit: path("/hue")), by: hn).total == 0)
            #expect(try await h.service.searchAccounts(AccountSearch(text: "hue"), by: hn).total == 0)
            // Nothing in Huế changed.
            let untouched = try await h.store.read { try $0.account(id: hueClerk) }
            #expect(untouched.displayName == "Hồ Thuận" && untouched.status == .active && untouched.version == 1)
        }
    }

    @Test("a commune admin cannot grant a provincial role, nor act above the commune", arguments: Backend.available)
    func communeCannotGrantProvincialRole(_ backend: Backend) async throws {
        try await AdminHarness.with(backend) { h in
            let bd = try await h.actor("bd.admin")
            // roles.grant is held at the commune only.
            await refused("forbidden") { try await h.service.grantRole("clerk", at: path("/ha-noi"), to: h.id("lan"), by: bd) }
            // A provincial role at the commune: its level does not allow it, and it carries more than the granter holds.
            await refused("forbidden") { try await h.service.grantRole("province-admin", at: path("/ha-noi/phuong-ba-dinh"), to: h.id("lan"), by: bd) }
            await refused("forbidden") { try await h.service.grantRole("auditor", at: path("/ha-noi/phuong-ba-dinh"), to: h.id("lan"), by: bd) }
            // The neighbouring commune is out of reach.
            await refused("notFound") { try await h.service.account(id: h.id("hk.clerk"), by: bd) }
            // What it may do: a commune role to an official of the commune.
            let granted = try await h.service.grantRole("official", at: path("/ha-noi/phuong-ba-dinh"), to: h.id("dang"), by: bd)
            #expect(granted.role == "official" && granted.grantedBy == h.id("bd.admin"))
        }
    }

    @Test("no one grants themselves a role, or anyone a role above their own", arguments: Backend.available)
    func noEscalation(_ backend: Backend) async throws {
        try await AdminHarness.with(backend) { h in
            let hn = try await h.actor("hn.admin")
            await refused("forbidden") { try await h.service.grantRole("central-admin", at: .root, to: h.id("hn.admin"), by: hn) }
            await refused("forbidden") { try await h.service.grantRole("auditor", at: path("/ha-noi"), to: h.id("hn.admin"), by: hn) }
            await refused("forbidden") { try await h.service.grantRole("central-admin", at: .root, to: h.id("lan"), by: hn) }
            await refused("forbidden") { try await h.service.grantRole("central-admin", at: path("/ha-noi"), to: h.id("lan"), by: hn) }
            // An auditor holds no account permission: it reads the trail, but accounts are out of its sight.
            let auditor = try await h.actor("hn.auditor")
            await refused("notFound") { try await h.service.grantRole("official", at: path("/ha-noi"), to: h.id("lan"), by: auditor) }
            // Revoking one's own grant is refused too; and a commune admin cannot revoke a provincial grant.
            let own = try await h.store.read { try $0.grants(accountID: h.id("hn.admin")) }
            await refused("forbidden") { try await h.service.revokeGrant(id: own[0].id, by: hn) }
            let bd = try await h.actor("bd.admin")
            await refused("notFound") { try await h.service.revokeGrant(id: own[0].id, by: bd) }
            #expect(try await h.store.read { try $0.effectiveGrants(accountID: h.id("hn.admin")) } == [EffectiveGrant(role: "province-admin", unit: path("/ha-noi"))])
            // The allowed case, to show the rule is not "refuse everything".
            let grant = try await h.service.grantRole("auditor", at: path("/ha-noi"), to: h.id("lan"), by: hn)
            try await h.service.revokeGrant(id: grant.id, by: hn)
            #expect(try await h.store.read { try $0.effectiveGrants(accountID: h.id("lan")) }.map(\.role) == ["clerk"])
        }
    }

    @Test("a grant revoked in the store stops working at the next request", arguments: Backend.available)
    func grantsAreReadAfresh(_ backend: Backend) async throws {
        try await AdminHarness.with(backend) { h in
            _ = try await h.actor("bd.admin")
            let grants = try await h.store.read { try $0.grants(accountID: h.id("bd.admin")) }
            let chief = try await h.actor("chief")
            try await h.service.revokeGrant(id: grants[0].id, by: chief)
            await refused("forbidden") { try await h.actor("bd.admin") }
            await refused("forbidden") { try await h.actor("lan") }  // holds only an application role
        }
    }

    @Test("searching by name folds case and Vietnamese letters; LIKE wildcards are plain characters", arguments: Backend.available)
    func searchByName(_ backend: Backend) async throws {
        try await AdminHarness.with(backend) { h in
            let hn = try await h.actor("hn.admin")
            for text in ["đặng", "ĐẶNG", "Thu Hà", "dang"] {
                let found = try await h.service.searchAccounts(AccountSearch(text: text), by: hn)
                #expect(found.accounts.map(\.account.username.value) == ["dang"], "\(text)")
            }
            #expect(try await h.service.searchAccounts(AccountSearch(text: "%"), by: hn).total == 0)
            #expect(try await h.service.searchAccounts(AccountSearch(text: "_"), by: hn).total == 0)
            let page = try await h.service.searchAccounts(AccountSearch(unit: path("/ha-noi/phuong-ba-dinh"), page: Page(limit: 2)), by: hn)
            #expect(page.total == 3 && page.accounts.map(\.account.username.value) == ["bd.admin", "dang"])
            let sorted = try await h.service.searchAccounts(
                AccountSearch(unit: path("/ha-noi/phuong-ba-dinh"), sortBy: .displayName, descending: true), by: hn)
            #expect(sorted.accounts.map(\.account.displayName) == ["Vũ Bình", "Nguyễn Thị Lan", "Đặng Thu Hà"].sorted { $0.lowercased() > $1.lowercased() })
        }
    }

    @Test("create, edit with If-Match, disable and enable: each audited with actor, client and address", arguments: Backend.available)
    func accountLifecycle(_ backend: Backend) async throws {
        try await AdminHarness.with(backend) { h in
            let hn = try await h.actor("hn.admin")
            let created = try await h.service.createAccount(
                AccountDraft(username: "Mai.Pham", displayName: "Phạm Thị Mai", email: "mai@example.gov.vn", unit: path("/ha-noi/phuong-hoan-kiem")), by: hn)
            let temporary = try #require(created.temporaryPassword)
            #expect(temporary.count == 23 && created.account.account.mustChangePassword)
            #expect(created.account.account.username.value == "mai.pham")
            let id = created.account.account.id
            let edited = try await h.service.updateAccount(id: id, AccountPatch(displayName: "Phạm Thị Mai Anh"), ifVersion: 1, by: hn)
            #expect(edited.account.version == 2)
            await refused("preconditionFailed") { try await h.service.updateAccount(id: id, AccountPatch(email: .some(nil)), ifVersion: 1, by: hn) }
            let disabled = try await h.service.setActive(false, id: id, by: hn)
            #expect(disabled.account.status == .disabled)
            let enabled = try await h.service.setActive(true, id: id, by: hn)
            #expect(enabled.account.status == .active)
            let events = try await h.store.read { try $0.auditEvents(after: 0, limit: 100) }.filter { $0.record.target == id.uuidString }
            #expect(events.map(\.record.action) == ["account.create", "account.edit", "account.disable", "account.enable"])
            for event in events {
                #expect(event.record.actor == h.id("hn.admin").uuidString && event.record.clientID == "admin-tool" && event.record.sourceIP == "10.1.2.3")
                #expect(event.record.unit == path("/ha-noi/phuong-hoan-kiem"))
                #expect(!event.record.detail.values.contains(temporary))
            }
            #expect(events[2].record.detail["sessions_ended"] == "0")
            // Administrators cannot lock themselves out by mistake.
            await refused("forbidden") { try await h.service.setActive(false, id: h.id("hn.admin"), by: hn) }
        }
    }

    @Test("bad input is refused with a reason and writes nothing", arguments: Backend.available)
    func badInput(_ backend: Backend) async throws {
        try await AdminHarness.with(backend) { h in
            let hn = try await h.actor("hn.admin")
            let before = try await h.store.read { (try $0.countAccounts(AccountQuery()), try $0.lastAuditEvent()?.sequence) }
            let unit = path("/ha-noi")
            await refused("conflict") { try await h.service.createAccount(AccountDraft(username: "LAN", displayName: "Another Lan", unit: unit), by: hn) }
            await refused("invalid") { try await h.service.createAccount(AccountDraft(username: "x y", displayName: "Name", unit: unit), by: hn) }
            await refused("invalid") { try await h.service.createAccount(AccountDraft(username: "ok", displayName: "Name", email: "not-an-address", unit: unit), by: hn) }
            await refused("invalid") { try await h.service.createAccount(AccountDraft(username: "ok", displayName: "Name", unit: unit, password: "short"), by: hn) }
            await refused("invalid") {
                try await h.service.createAccount(AccountDraft(username: "thanh", displayName: "Name", unit: unit, password: "thanh-2026-long-enough"), by: hn)
            }
            await refused("notFound") { try await h.service.createAccount(AccountDraft(username: "ok", displayName: "Name", unit: path("/ha-noi/nowhere")), by: hn) }
            await refused("invalid") { try await h.service.grantRole("no-such-role", at: unit, to: h.id("lan"), by: hn) }
            await refused("conflict") { try await h.service.grantRole("clerk", at: path("/ha-noi/phuong-ba-dinh"), to: h.id("lan"), by: hn) }
            let after = try await h.store.read { (try $0.countAccounts(AccountQuery()), try $0.lastAuditEvent()?.sequence) }
            #expect(before.0 == after.0)
            #expect(before.1 == after.1)
        }
    }

    @Test("audit reads are scoped to the reader's subtree", arguments: Backend.available)
    func auditScope(_ backend: Backend) async throws {
        try await AdminHarness.with(backend) { h in
            let chief = try await h.actor("chief")
            _ = try await h.service.updateAccount(id: h.id("hue.clerk"), AccountPatch(displayName: "Hồ Văn Thuận"), by: chief)
            _ = try await h.service.updateAccount(id: h.id("lan"), AccountPatch(displayName: "Nguyễn Thị Lan Anh"), by: chief)
            let auditor = try await h.actor("hn.auditor")
            let seen = try await h.service.auditEvents(in: nil, after: 0, limit: 100, by: auditor)
            #expect(seen.count == 1 && seen[0].record.target == h.id("lan").uuidString)
            #expect(seen.allSatisfy { $0.record.unit.map(path("/ha-noi").contains) ?? false })
            await refused("forbidden") { try await h.service.auditEvents(in: path("/hue"), after: 0, limit: 100, by: auditor) }
            // The commune admin holds no audit.read.
            let bd = try await h.actor("bd.admin")
            await refused("forbidden") { try await h.service.auditEvents(in: nil, after: 0, limit: 100, by: bd) }
            #expect(try await h.service.auditEvents(in: nil, after: 0, limit: 100, by: chief).count == 2)
        }
    }
}

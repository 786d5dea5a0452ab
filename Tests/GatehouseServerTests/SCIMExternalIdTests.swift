import Foundation
import GatehouseCore
import GatehouseServer
import HTTPTypes
import Hummingbird
import Testing

/// What provisioning clients write besides the profile: `externalId` (RFC 7643 §3.1, the
/// client's id for a local account; a directory account's is its directory's) and
/// `password` (RFC 7643 §4.1.1, writeOnly) on existing users.
@Suite("SCIM externalId and password")
struct SCIMExternalIdTests {
    typealias T = SCIMUserTests

    static let directoryName = "ldap-hn"
    static let directoryID = "6f1c2a90-dir"

    /// A directory account at /ha-noi/phuong-ba-dinh, inserted straight into the store.
    static func insertDirectoryAccount(_ h: SCIMHarness) async throws -> Account {
        let template = try #require(h.accounts[SCIMHarness.User.badinh])
        let account = Account(id: UUID(), username: try Username("dir.official"), displayName: "Cán bộ thư mục", unitID: template.unitID,
                              source: .directory(name: directoryName, externalID: directoryID), createdAt: h.clock.now())
        try await h.store.write { try $0.insertAccount(account) }
        return account
    }

    static func patch(_ operations: [[String: Any]]) -> [String: Any] {
        ["schemas": [T.patchOp], "Operations": operations]
    }

    static func filtered(_ h: SCIMHarness, _ externalID: String, token: String) async throws -> [String] {
        let reply = try await h.scim(.get, "/Users?" + T.filter("externalId eq \"\(externalID)\""), token: token)
        #expect(reply.status == .ok, "\(reply.reply.body)")
        return reply.userNames
    }

    @Test("externalId: set on create, returned, filtered, changed by PATCH and PUT, removed; a PUT without it keeps it")
    func localAccount() async throws {
        try await SCIMHarness.withServer { h in
            let token = try await h.token(SCIMHarness.User.hanoiAdmin)
            var body = T.user("hr.official", "Cán bộ nhân sự", unit: "/ha-noi/phuong-ba-dinh")
            body["externalId"] = "hr-123"
            let created = try await h.scim(.post, "/Users", token: token, body: body)
            #expect(created.status == .created, "\(created.reply.body)")
            #expect(created.json["externalId"] as? String == "hr-123")
            let id = try #require(created.id)
            #expect(try await h.scim(.get, "/Users/\(id)", token: token).json["externalId"] as? String == "hr-123")
            #expect(try await h.store.read { try $0.account(id: try #require(UUID(uuidString: id))) }.provisioningID == "hr-123")
            #expect(try await Self.filtered(h, "hr-123", token: token) == ["hr.official"])
            #expect(try await Self.filtered(h, "HR-123", token: token) == [], "externalId is case-exact")
            let searched = try await h.scim(.post, "/Users/.search", token: token, body: [
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": "externalId eq \"hr-123\"",
            ])
            #expect(searched.userNames == ["hr.official"], "\(searched.reply.body)")

            // Another province's account with the same id (each client issues its own) stays out of reach.
            let hueToken = try await h.token(SCIMHarness.User.hueAdmin)
            var hueBody = T.user("hr.hue", "Cán bộ Huế", unit: "/hue")
            hueBody["externalId"] = "hr-123"
            #expect(try await h.scim(.post, "/Users", token: hueToken, body: hueBody).status == .created)
            #expect(try await Self.filtered(h, "hr-123", token: token) == ["hr.official"])
            #expect(try await Self.filtered(h, "hr-123", token: hueToken) == ["hr.hue"])

            let replaced = try await h.scim(.patch, "/Users/\(id)", token: token, body: Self.patch([
                ["op": "replace", "path": "externalId", "value": "hr-124"],
            ]))
            #expect(replaced.status == .ok, "\(replaced.reply.body)")
            #expect(replaced.json["externalId"] as? String == "hr-124")
            #expect(try await Self.filtered(h, "hr-123", token: token) == [])
            #expect(try await Self.filtered(h, "hr-124", token: token) == ["hr.official"])

            // PUT: a missing externalId leaves it; a new one replaces it.
            var put = T.user("hr.official", "Cán bộ nhân sự", unit: "/ha-noi/phuong-ba-dinh")
            let kept = try await h.scim(.put, "/Users/\(id)", token: token, body: put)
            #expect(kept.status == .ok, "\(kept.reply.body)")
            #expect(kept.json["externalId"] as? String == "hr-124")
            put["externalId"] = "hr-125"
            let changed = try await h.scim(.put, "/Users/\(id)", token: token, body: put)
            #expect(changed.json["externalId"] as? String == "hr-125")

            let removed = try await h.scim(.patch, "/Users/\(id)", token: token, body: Self.patch([["op": "remove", "path": "externalId"]]))
            #expect(removed.status == .ok, "\(removed.reply.body)")
            #expect(removed.json["externalId"] == nil)
            #expect(try await Self.filtered(h, "hr-125", token: token) == [])

            let added = try await h.scim(.patch, "/Users/\(id)", token: token, body: Self.patch([["op": "add", "value": ["externalId": "hr-126"]]]))
            #expect(added.json["externalId"] as? String == "hr-126")
            put["externalId"] = NSNull()
            let nulled = try await h.scim(.put, "/Users/\(id)", token: token, body: put)
            #expect(nulled.status == .ok, "\(nulled.reply.body)")
            #expect(nulled.json["externalId"] == nil, "an explicit null removes it")
            #expect(try await h.store.read { try $0.account(id: try #require(UUID(uuidString: id))) }.provisioningID == nil)

            put["externalId"] = String(repeating: "x", count: 256)
            let long = try await h.scim(.put, "/Users/\(id)", token: token, body: put)
            #expect(long.status == .badRequest)
            #expect(long.scimType == "invalidValue")

            let events = try await h.store.read { try $0.auditEvents(after: 0, limit: 1_000) }.map(\.record)
            let create = try #require(events.first { $0.action == "account.create" && $0.target?.lowercased() == id })
            #expect(create.detail["provisioning_id"] == "hr-123")
            #expect(events.contains { $0.action == "account.edit" && $0.target?.lowercased() == id && $0.detail["provisioning_id"] == "hr-124" })
        }
    }

    @Test("a directory account's externalId is its directory's: returned and filtered, and changing it is 400 mutability")
    func directoryAccount() async throws {
        try await SCIMHarness.withServer { h in
            let token = try await h.token(SCIMHarness.User.hanoiAdmin)
            let account = try await Self.insertDirectoryAccount(h)
            let id = account.id.uuidString.lowercased()
            let read = try await h.scim(.get, "/Users/\(id)", token: token)
            #expect(read.json["externalId"] as? String == Self.directoryID)
            #expect(try await Self.filtered(h, Self.directoryID, token: token) == ["dir.official"])

            for operation: [String: Any] in [
                ["op": "replace", "path": "externalId", "value": "hr-999"], ["op": "remove", "path": "externalId"],
                ["op": "add", "value": ["externalId": "hr-999"]],
            ] {
                let refused = try await h.scim(.patch, "/Users/\(id)", token: token, body: Self.patch([operation]))
                #expect(refused.status == .badRequest, "\(operation)")
                #expect(refused.scimType == "mutability")
                #expect((refused.json["detail"] as? String)?.contains("directory '\(Self.directoryName)'") == true, "\(refused.json)")
                #expect((refused.json["detail"] as? String)?.contains("owns it") == true)
            }
            var put = T.user("dir.official", "Cán bộ thư mục", unit: "/ha-noi/phuong-ba-dinh")
            put["externalId"] = "hr-999"
            let refusedPut = try await h.scim(.put, "/Users/\(id)", token: token, body: put)
            #expect(refusedPut.status == .badRequest)
            #expect(refusedPut.scimType == "mutability")
            #expect(try await h.store.read { try $0.account(id: account.id) } == account, "nothing changed")

            put["externalId"] = Self.directoryID
            let same = try await h.scim(.put, "/Users/\(id)", token: token, body: put)
            #expect(same.status == .ok, "a PUT repeating the directory's id: \(same.reply.body)")
            #expect(same.json["externalId"] as? String == Self.directoryID)
            let stored = try await h.store.read { try $0.account(id: account.id) }
            #expect(stored.provisioningID == nil)
            #expect(stored.source == account.source)
        }
    }

    /// Provisions editing without `accounts.reset_credentials`.
    static let editor = Role(name: "account-editor", permissions: [.accountsCreate, .accountsEdit, .accountsDisable], grantableAt: [.commune])

    @Test("password: PATCH and PUT set it (new one logs in, old one not, sessions end, must-change cleared, audited without it)")
    func passwordSet() async throws {
        try await SCIMHarness.withServer { h in
            let token = try await h.token(SCIMHarness.User.hanoiAdmin)
            let official = try #require(h.accounts[SCIMHarness.User.badinh])
            let id = official.id.uuidString.lowercased()
            #expect(try await h.logsIn(SCIMHarness.User.badinh, password: OIDCHarness.password))
            #expect(try await h.store.read { try $0.sessions(accountID: official.id) }.contains { $0.revokedAt == nil })

            let first = "Mật khẩu mới của anh A 2026"
            let patched = try await h.scim(.patch, "/Users/\(id)", token: token, body: Self.patch([
                ["op": "replace", "path": "password", "value": first],
            ]))
            #expect(patched.status == .ok, "\(patched.reply.body)")
            #expect(patched.json["password"] == nil)
            #expect(!patched.reply.body.contains(first))
            #expect(try await h.store.read { try $0.sessions(accountID: official.id) }.allSatisfy { $0.revokedAt != nil }, "sessions ended")
            #expect(try await h.logsIn(SCIMHarness.User.badinh, password: first))
            #expect(try await !h.logsIn(SCIMHarness.User.badinh, password: OIDCHarness.password))

            // PUT: the password with a profile change, in one write; must-change is cleared.
            var stored = try await h.store.read { try $0.account(id: official.id) }
            stored.mustChangePassword = true
            let before = try await h.store.write { [stored] in try $0.updateAccount(stored) }
            let second = "Hồ Gươm mùa thu lá vàng 2026"
            var put = T.user(SCIMHarness.User.badinh, "Nguyễn Văn Anh", unit: "/ha-noi/phuong-ba-dinh", email: official.email)
            put["password"] = second
            let replaced = try await h.scim(.put, "/Users/\(id)", token: token, body: put)
            #expect(replaced.status == .ok, "\(replaced.reply.body)")
            #expect(replaced.json["displayName"] as? String == "Nguyễn Văn Anh")
            #expect((replaced.json[T.gatehouse] as? [String: Any])?["mustChangePassword"] as? Bool == false)
            let after = try await h.store.read { try $0.account(id: official.id) }
            #expect(after.version == before.version + 1)
            #expect(after.passwordHash?.hasPrefix("$argon2id$") == true)
            #expect(!after.mustChangePassword)
            #expect(try await h.logsIn(SCIMHarness.User.badinh, password: second))
            #expect(try await !h.logsIn(SCIMHarness.User.badinh, password: first))

            let events = try await h.store.read { try $0.auditEvents(after: 0, limit: 1_000) }.map(\.record)
            let sets = events.filter { $0.action == "account.password.set" && $0.target == official.id.uuidString }
            #expect(sets.count == 2)
            #expect(sets.last?.detail["display_name"] == "Nguyễn Văn Anh")
            #expect(sets.first?.detail["sessions_ended"] != nil)
            for event in events {
                #expect(!event.detail.values.contains { $0.contains(first) || $0.contains(second) }, "\(event.action)")
            }
        }
    }

    @Test("password: 403 without accounts.reset_credentials, 400 invalidValue when weak, 400 mutability for a directory account; nothing changes")
    func passwordRefused() async throws {
        try await SCIMHarness.withServer(roles: [Self.editor]) { h in
            let official = try #require(h.accounts[SCIMHarness.User.badinh])
            let id = official.id.uuidString.lowercased()
            let editorAccount = Account(id: UUID(), username: try Username("editor.badinh"), displayName: "Biên tập Ba Đình",
                                        unitID: official.unitID, passwordHash: official.passwordHash, passwordChangedAt: h.clock.now(),
                                        createdAt: h.clock.now())
            try await h.store.write { tx in
                try tx.insertAccount(editorAccount)
                try tx.insertGrant(RoleGrant(id: UUID(), accountID: editorAccount.id, role: Self.editor.name, unitID: official.unitID,
                                             createdAt: h.clock.now()))
            }
            let directory = try await Self.insertDirectoryAccount(h)
            let editor = try await h.token("editor.badinh")
            let admin = try await h.token(SCIMHarness.User.hanoiAdmin)
            let strong = "Một mật khẩu đủ dài và lạ 2026"

            // The editor may edit the profile, but not the password.
            let renamed = try await h.scim(.patch, "/Users/\(id)", token: editor, body: Self.patch([
                ["op": "replace", "path": "displayName", "value": "Nguyễn Văn Ánh"],
            ]))
            #expect(renamed.status == .ok, "\(renamed.reply.body)")
            let unchanged = try await h.store.read { try $0.account(id: official.id) }

            let forbidden = try await h.scim(.patch, "/Users/\(id)", token: editor, body: Self.patch([
                ["op": "replace", "path": "password", "value": strong], ["op": "replace", "path": "displayName", "value": "X"],
            ]))
            #expect(forbidden.status == .forbidden, "\(forbidden.reply.body)")
            #expect(forbidden.errorStatus == "403")
            #expect((forbidden.json["schemas"] as? [String]) == [T.errorSchema])
            var put = T.user(SCIMHarness.User.badinh, "Nguyễn Văn Ánh", unit: "/ha-noi/phuong-ba-dinh", email: official.email)
            put["password"] = strong
            #expect(try await h.scim(.put, "/Users/\(id)", token: editor, body: put).status == .forbidden)

            for weak in ["123", SCIMHarness.User.badinh + "2026!", "matkhau123456"] {
                let refused = try await h.scim(.patch, "/Users/\(id)", token: admin, body: Self.patch([
                    ["op": "replace", "path": "displayName", "value": "Y"], ["op": "replace", "path": "password", "value": weak],
                ]))
                #expect(refused.status == .badRequest, "\(weak): \(refused.reply.body)")
                #expect(refused.scimType == "invalidValue")
                #expect((refused.json["detail"] as? String)?.contains("the password is not acceptable") == true)
                if weak.count > 5 { #expect(!refused.reply.body.contains(weak)) }
            }
            put["password"] = "123"
            #expect(try await h.scim(.put, "/Users/\(id)", token: admin, body: put).scimType == "invalidValue")
            #expect(try await h.store.read { try $0.account(id: official.id) } == unchanged, "refusals change nothing")
            #expect(try await h.logsIn(SCIMHarness.User.badinh, password: OIDCHarness.password))

            let directoryID = directory.id.uuidString.lowercased()
            let fromDirectory = try await h.scim(.patch, "/Users/\(directoryID)", token: admin, body: Self.patch([
                ["op": "replace", "path": "password", "value": strong],
            ]))
            #expect(fromDirectory.status == .badRequest)
            #expect(fromDirectory.scimType == "mutability")
            #expect((fromDirectory.json["detail"] as? String)?.contains("the directory owns this password") == true)
            var directoryPut = T.user("dir.official", "Cán bộ thư mục", unit: "/ha-noi/phuong-ba-dinh")
            directoryPut["password"] = strong
            #expect(try await h.scim(.put, "/Users/\(directoryID)", token: admin, body: directoryPut).scimType == "mutability")
            #expect(try await h.store.read { try $0.account(id: directory.id) } == directory)
            #expect(try await !h.store.read { try $0.auditEvents(after: 0, limit: 1_000) }.contains { $0.record.action == "account.password.set" })
        }
    }
}

import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehouseStore
import HTTPTypes
import Testing
@testable import GatehouseServer

/// Client management through the admin API: clients belong to a unit, and `clients.manage`
/// held at a unit reaches the clients of its subtree, nothing else.
@Suite("Admin API: clients")
struct AdminClientsAPITests {
    /// `clients.manage` for a province's own applications.
    static let appAdmin = Role(name: "app-admin", permissions: ["clients.manage"], grantableAt: [.province])
    /// The whole tree's clients and units.
    static let platformAdmin = Role(name: "platform-admin", permissions: ["clients.manage", "units.manage"], grantableAt: [.central])

    /// The EC P-256 public key of RFC 7515 §A.3, and its private part.
    static let publicJWK = #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#
    static let privateJWK = #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#

    /// The Huế harness plus /ha-noi with a client of its own; `nguyen.van.a` holds
    /// `app-admin@/hue`, and `pham.thi.d` holds `platform-admin@/`.
    static func withClients(_ body: @Sendable (OIDCHarness, Browser) async throws -> Void) async throws {
        try await OIDCHarness.withServer(secondFactor: false, extraRoles: [appAdmin, platformAdmin]) { h, browser in
            let now = h.clock.now()
            try await h.store.write { tx in
                let root = try tx.unit(path: .root), hue = try tx.unit(path: try UnitPath("/hue"))
                let haNoi = OrgUnit(id: UUID(), path: try UnitPath("/ha-noi"), name: "Thành phố Hà Nội", parentID: root.id, createdAt: now)
                try tx.insertUnit(haNoi)
                try tx.insertClient(Client(id: "ha-noi-app", name: "Ứng dụng Hà Nội", secretHash: "x", redirectURIs: ["https://app.hanoi.example.gov.vn/cb"],
                                           unitID: haNoi.id, createdAt: now))
                let official = try tx.account(username: try Username(OIDCHarness.User.official))
                let legacy = try tx.account(username: try Username(OIDCHarness.User.legacy))
                try tx.insertGrant(RoleGrant(id: UUID(), accountID: official.id, role: "app-admin", unitID: hue.id, createdAt: now))
                try tx.insertGrant(RoleGrant(id: UUID(), accountID: legacy.id, role: "platform-admin", unitID: root.id, createdAt: now))
            }
            try await body(h, browser)
        }
    }

    static func call(_ browser: Browser, _ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil) async throws -> Browser.Reply {
        try await AdminAPITests.call(browser, method, uri, token: token, body: body)
    }

    static func clientCredentials(_ browser: Browser, client: String, secret: String) async throws -> Browser.Reply {
        func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
        return try await browser.post("/token", form: [("grant_type", "client_credentials"), ("scope", "documents.read")],
                                      headers: [.authorization: "Basic " + Data("\(encode(client)):\(encode(secret))".utf8).base64EncodedString()])
    }

    static func description(_ reply: Browser.Reply) throws -> String {
        try AdminAPITests.json(reply)["error_description"] as? String ?? ""
    }

    @Test("an application administrator of Huế registers a client whose one-time secret works, changes it, rotates the secret and deletes it")
    func lifecycle() async throws {
        try await Self.withClients { h, browser in
            let token = try await AdminAPITests.token(h, browser, username: OIDCHarness.User.official)
            let created = try await Self.call(browser, .post, "/admin/clients", token: token, body: #"""
                {"client_id": "hue-van-ban", "client_name": "Văn bản Huế", "unit": "/hue",
                 "redirect_uris": ["https://vanban.hue.example.gov.vn/cb"],
                 "grant_types": ["authorization_code", "refresh_token", "client_credentials"],
                 "scope": "openid profile documents.read"}
                """#)
            #expect(created.status == .created, "\(created.body)")
            #expect(created.headers[.location] == "/admin/clients/hue-van-ban")
            let body = try AdminAPITests.json(created)
            let secret = try #require(body["client_secret"] as? String)
            let client = try #require(body["client"] as? [String: Any])
            #expect(client["unit"] as? String == "/hue" && client["token_endpoint_auth_method"] as? String == "client_secret_basic")
            let stored = try await h.store.read { try $0.client(id: "hue-van-ban") }
            #expect(ClientSecrets.verify(secret, hash: stored.secretHash, pepper: h.services.engine.configuration.clientSecretPepper))
            #expect(!created.body.contains(try #require(stored.secretHash)), "the hash never leaves the server")
            #expect(try await Self.clientCredentials(browser, client: "hue-van-ban", secret: secret).status == .ok)

            // The listing holds Huế's client, not Hà Nội's or the platform's; those are "not found".
            let list = try AdminAPITests.json(try await Self.call(browser, .get, "/admin/clients", token: token))
            #expect((list["clients"] as? [[String: Any]])?.compactMap { $0["client_id"] as? String } == ["hue-van-ban"])
            for other in ["ha-noi-app", "portal"] {
                #expect(try await Self.call(browser, .get, "/admin/clients/\(other)", token: token).status == .notFound)
                #expect(try await Self.call(browser, .delete, "/admin/clients/\(other)", token: token).status == .notFound)
            }

            // A narrowed redirect URI list holds at the next authorization request.
            let patched = try await Self.call(browser, .patch, "/admin/clients/hue-van-ban", token: token,
                                              body: #"{"redirect_uris": ["https://vanban2.hue.example.gov.vn/cb"], "backchannel_logout_uri": "https://vanban2.hue.example.gov.vn/bc"}"#)
            #expect(patched.status == .ok, "\(patched.body)")
            #expect(try AdminAPITests.json(patched)["backchannel_logout_uri"] as? String == "https://vanban2.hue.example.gov.vn/bc")
            let (_, challenge) = OIDCHarness.pkce()
            let oldRedirect = try await browser.get("/authorize?" + FormParameters.encode([
                ("response_type", "code"), ("client_id", "hue-van-ban"), ("redirect_uri", "https://vanban.hue.example.gov.vn/cb"),
                ("scope", "openid"), ("state", "s"), ("nonce", "n"), ("code_challenge", challenge), ("code_challenge_method", "S256"),
            ]))
            #expect(oldRedirect.status == .badRequest, "the old redirect URI is refused, not redirected to: \(oldRedirect.status)")

            // A new secret: the old one stops working at once.
            let rotated = try AdminAPITests.json(try await Self.call(browser, .post, "/admin/clients/hue-van-ban/secret", token: token))
            let newSecret = try #require(rotated["client_secret"] as? String)
            #expect(newSecret != secret)
            #expect(try await Self.clientCredentials(browser, client: "hue-van-ban", secret: secret).status == .unauthorized)
            #expect(try await Self.clientCredentials(browser, client: "hue-van-ban", secret: newSecret).status == .ok)

            #expect(try await Self.call(browser, .delete, "/admin/clients/hue-van-ban", token: token).status == .noContent)
            #expect(try await Self.call(browser, .get, "/admin/clients/hue-van-ban", token: token).status == .notFound)
            #expect(try await Self.clientCredentials(browser, client: "hue-van-ban", secret: newSecret).status == .unauthorized)

            let events = try await h.auditEvents().filter { $0.record.target == "hue-van-ban" && $0.record.action.hasPrefix("client.") }
            #expect(events.map(\.record.action) == ["client.create", "client.edit", "client.secret.rotate", "client.delete"])
            #expect(events.allSatisfy { $0.record.unit?.description == "/hue" && $0.record.detail["actor_username"] == OIDCHarness.User.official })
            #expect(!events.contains { $0.record.detail.values.contains(secret) || $0.record.detail.values.contains(newSecret) })
        }
    }

    @Test("refusals: another province, a platform scope, a bad URI, a public client with client_credentials, a private key, a taken or reserved id; nothing is written")
    func refusals() async throws {
        try await Self.withClients { h, browser in
            let token = try await AdminAPITests.token(h, browser, username: OIDCHarness.User.official)
            try await h.store.write { tx in
                try tx.insertClient(Client(id: "hue-declared", secretHash: "x", redirectURIs: ["https://d.hue.example.gov.vn/cb"], fromPolicy: true,
                                           unitID: try tx.unit(path: try UnitPath("/hue")).id, createdAt: h.clock.now()))
                try tx.insertClient(Client(id: "hue-own", secretHash: "x", redirectURIs: ["https://o.hue.example.gov.vn/cb"],
                                           unitID: try tx.unit(path: try UnitPath("/hue")).id, createdAt: h.clock.now()))
            }
            let before = try await h.store.read { try $0.clients() }
            let auditBefore = try await h.auditEvents().count

            let cases: [(String, HTTPRequest.Method, String, HTTPResponse.Status, String)] = [
                ("/admin/clients", .post, #"{"client_id": "spy", "unit": "/ha-noi", "redirect_uris": ["https://spy.example/cb"]}"#, .forbidden, "/ha-noi"),
                ("/admin/clients/hue-own", .patch, #"{"unit": "/ha-noi"}"#, .forbidden, "/ha-noi"),
                ("/admin/clients", .post, #"{"client_id": "phish", "unit": "/hue", "redirect_uris": ["https://p.hue.example.gov.vn/cb"], "scope": "openid gatehouse:admin"}"#,
                 .forbidden, "whole tree"),
                ("/admin/clients/hue-own", .patch, #"{"scope": "openid gatehouse:admin"}"#, .forbidden, "whole tree"),
                ("/admin/clients", .post, #"{"client_id": "plain", "unit": "/hue", "redirect_uris": ["http://evil.example/cb"]}"#, .badRequest, "http is allowed only on localhost"),
                ("/admin/clients", .post, #"{"client_id": "frag", "unit": "/hue", "redirect_uris": ["https://a.hue.example.gov.vn/cb#x"]}"#, .badRequest, "fragment"),
                ("/admin/clients", .post, #"{"client_id": "spa", "unit": "/hue", "token_endpoint_auth_method": "none", "grant_types": ["client_credentials"]}"#,
                 .badRequest, "public client cannot use client_credentials"),
                ("/admin/clients", .post, #"{"client_id": "keys", "unit": "/hue", "grant_types": ["client_credentials"], "jwks": {"keys": [\#(Self.privateJWK)]}}"#,
                 .badRequest, "private key"),
                ("/admin/clients", .post, #"{"client_id": "old", "unit": "/hue", "grant_types": ["implicit"]}"#, .badRequest, "implicit"),
                ("/admin/clients", .post, #"{"client_id": "nuri", "unit": "/hue"}"#, .badRequest, "redirect URI"),
                ("/admin/clients", .post, #"{"client_id": "bad id!", "unit": "/hue", "grant_types": ["client_credentials"]}"#, .badRequest, "ASCII"),
                ("/admin/clients", .post, #"{"client_id": "portal", "unit": "/hue", "grant_types": ["client_credentials"]}"#, .conflict, "portal"),
                ("/admin/clients", .post, #"{"client_id": "gatehouse-console", "unit": "/hue", "grant_types": ["client_credentials"]}"#, .conflict, "Gatehouse itself"),
                ("/admin/clients/hue-declared", .patch, #"{"client_name": "X"}"#, .conflict, "Policies/clients.yaml"),
                ("/admin/clients/hue-declared", .delete, "", .conflict, "Policies/clients.yaml"),
                ("/admin/clients/hue-own", .patch, "{}", .badRequest, "nothing to change"),
            ]
            for (uri, method, payload, status, words) in cases {
                let reply = try await Self.call(browser, method, uri, token: token, body: payload.isEmpty ? nil : payload)
                #expect(reply.status == status, "\(method) \(uri) \(payload): \(reply.status) \(reply.body)")
                #expect(try Self.description(reply).contains(words), "\(payload): \(reply.body)")
            }
            #expect(try await h.store.read { try $0.clients() } == before, "no refused request changed a client")
            #expect(try await h.auditEvents().count == auditBefore)

            // An administrator without clients.manage anywhere gets nothing.
            let accountsOnly = try await AdminAPITests.token(h, browser, username: OIDCHarness.User.admin)
            let denied = try await Self.call(browser, .get, "/admin/clients", token: accountsOnly)
            let deniedReason = try Self.description(denied)
            #expect(denied.status == .forbidden && deniedReason.contains("may not manage clients"), "\(denied.body)")
        }
    }

    @Test("a platform administrator sees every client, gives a platform scope, registers public and key-based clients, and clients follow unit moves and merges")
    func platformAndReorganisation() async throws {
        try await Self.withClients { h, browser in
            let token = try await AdminAPITests.token(h, browser, username: OIDCHarness.User.legacy)
            let all = try AdminAPITests.json(try await Self.call(browser, .get, "/admin/clients", token: token))
            let listed = (all["clients"] as? [[String: Any]]) ?? []
            #expect(Set(listed.compactMap { $0["client_id"] as? String }).isSuperset(of: ["portal", "mail", "ha-noi-app"]))
            #expect(listed.first { $0["client_id"] as? String == "portal" }?["unit"] as? String == "/")

            let console = try await Self.call(browser, .post, "/admin/clients", token: token, body: #"""
                {"client_id": "hue-tools", "unit": "/hue/phuong-phu-xuan", "token_endpoint_auth_method": "none",
                 "redirect_uris": ["http://127.0.0.1:8400/cb"], "scope": "openid gatehouse:admin"}
                """#)
            #expect(console.status == .created, "\(console.body)")
            let registered = try AdminAPITests.json(console)
            #expect(registered["client_secret"] == nil, "a public client has no secret")
            let keyed = try await Self.call(browser, .post, "/admin/clients", token: token, body: #"""
                {"client_id": "hue-batch", "unit": "/hue", "grant_types": ["client_credentials"], "scope": "documents.read",
                 "jwks": {"keys": [\#(Self.publicJWK)]}}
                """#)
            #expect(keyed.status == .created, "\(keyed.body)")
            let keyedClient = try #require(try AdminAPITests.json(keyed)["client"] as? [String: Any])
            #expect(keyedClient["token_endpoint_auth_method"] as? String == "private_key_jwt")
            #expect(((keyedClient["jwks"] as? [String: Any])?["keys"] as? [Any])?.count == 1)
            let rotate = try await Self.call(browser, .post, "/admin/clients/hue-batch/secret", token: token)
            let rotateReason = try Self.description(rotate)
            #expect(rotate.status == .badRequest && rotateReason.contains("no secret"), "\(rotate.body)")

            // The commune is merged away: its client now belongs to the commune it went into.
            let preview = try AdminAPITests.json(try await Self.call(browser, .post, "/admin/unit-merges", token: token,
                                                                     body: #"{"path": "/hue/phuong-phu-xuan", "into": "/hue/phuong-thuan-hoa", "dry_run": true}"#))
            #expect(preview["clients"] as? Int == 1 && preview["dry_run"] as? Bool == true, "\(preview)")
            let merge = try await Self.call(browser, .post, "/admin/unit-merges", token: token,
                                            body: #"{"path": "/hue/phuong-phu-xuan", "into": "/hue/phuong-thuan-hoa"}"#)
            #expect(merge.status == .ok, "\(merge.body)")
            let merged = try AdminAPITests.json(try await Self.call(browser, .get, "/admin/clients/hue-tools", token: token))
            #expect(merged["unit"] as? String == "/hue/phuong-thuan-hoa")
            // And moved under Hà Nội: the client follows the unit.
            let move = try await Self.call(browser, .post, "/admin/unit-moves", token: token,
                                           body: #"{"path": "/hue/phuong-thuan-hoa", "parent": "/ha-noi"}"#)
            let moveOutcome = try AdminAPITests.json(move)
            #expect(move.status == .ok && moveOutcome["clients"] as? Int == 1, "\(move.body)")
            let moved = try AdminAPITests.json(try await Self.call(browser, .get, "/admin/clients/hue-tools", token: token))
            #expect(moved["unit"] as? String == "/ha-noi/phuong-thuan-hoa")
        }
    }
}

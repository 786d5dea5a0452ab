import Foundation
import GatehouseCore
import GatehouseOAuth
import HTTPTypes
import Hummingbird
import Testing
@testable import GatehouseServer

/// The admin REST API over HTTP: OAuth bearer tokens with the `gatehouse:admin` scope, the
/// grants of the token's user deciding, JSON errors a person can read, and the OpenAPI
/// document that describes it.
@Suite("Admin REST API")
struct AdminAPITests {
    /// A token for `username` through the real code flow, with `scope`.
    static func token(_ h: OIDCHarness, _ browser: Browser, username: String, scope: String = "openid gatehouse:admin") async throws -> String {
        try await h.store.write { tx in
            var client = try tx.client(id: "portal")
            client.scopes.insert(AdminRoutes.scope)
            try tx.updateClient(client)
        }
        let (verifier, challenge) = OIDCHarness.pkce()
        let uri = "/authorize?" + FormParameters.encode([
            ("response_type", "code"), ("client_id", "portal"), ("redirect_uri", OIDCHarness.redirect("portal")), ("scope", scope),
            ("state", "st"), ("nonce", "n"), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ])
        let callback = try await browser.login(uri, username: username)
        let code = try #require(callback.redirectParameters["code"], "login: \(callback.status) \(callback.body.prefix(300))")
        let tokens = try await browser.redeem(code, verifier: verifier)
        browser.setCookie("__Host-gh_session", nil)
        return try #require(tokens["access_token"] as? String)
    }

    static func json(_ reply: Browser.Reply) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any], "\(reply.body)")
    }

    static func call(_ browser: Browser, _ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil,
                     headers extra: HTTPFields = [:]) async throws -> Browser.Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await browser.send(uri, method: method, headers: headers, body: body)
    }

    @Test("a province admin creates, reads, edits with If-Match and searches accounts of its province")
    func accountsRoundTrip() async throws {
        try await OIDCHarness.withServer(secondFactor: false) { h, browser in
            let token = try await Self.token(h, browser, username: OIDCHarness.User.admin)
            let me = try Self.json(try await Self.call(browser, .get, "/admin/me", token: token))
            #expect(me["reach"] as? [String] == ["/hue"])

            let created = try await Self.call(browser, .post, "/admin/accounts", token: token, body: #"""
                {"username": "Mai.Pham", "display_name": "Phạm Thị Mai", "email": "mai@hue.example.gov.vn", "unit": "/hue/phuong-phu-xuan"}
                """#)
            #expect(created.status == .created, "\(created.body)")
            let body = try Self.json(created)
            let account = try #require(body["account"] as? [String: Any])
            let id = try #require(account["id"] as? String)
            #expect(account["username"] as? String == "mai.pham" && account["must_change_password"] as? Bool == true)
            #expect((body["temporary_password"] as? String)?.count == 23)
            #expect(!created.body.contains("argon2"), "no hash leaves the server")
            #expect(created.headers[.eTag] == #"W/"1""#)

            let read = try await Self.call(browser, .get, "/admin/accounts/\(id)", token: token)
            #expect(read.status == .ok && read.headers[.eTag] == #"W/"1""#)

            let stale = try await Self.call(browser, .patch, "/admin/accounts/\(id)", token: token, body: #"{"display_name": "Phạm Mai"}"#,
                                            headers: [.ifMatch: #"W/"7""#])
            #expect(stale.status == .preconditionFailed)
            #expect(try Self.json(stale)["error"] as? String == "precondition_failed")
            let patched = try await Self.call(browser, .patch, "/admin/accounts/\(id)", token: token, body: #"{"display_name": "Phạm Mai", "email": null}"#,
                                              headers: [.ifMatch: #"W/"1""#])
            #expect(patched.status == .ok && patched.headers[.eTag] == #"W/"2""#, "\(patched.body)")
            let after = try Self.json(patched)
            #expect(after["display_name"] as? String == "Phạm Mai" && after["email"] == nil, "no address: no email member")

            // This admin's role carries no accounts.disable: the reason says which grant fell short.
            let disable = try await Self.call(browser, .patch, "/admin/accounts/\(id)", token: token, body: #"{"active": false}"#)
            #expect(disable.status == .forbidden)
            #expect((try Self.json(disable)["error_description"] as? String)?.contains("accounts.disable") == true, "\(disable.body)")

            let search = try Self.json(try await Self.call(browser, .get, "/admin/accounts?q=ph%E1%BA%A1m&limit=10", token: token))
            #expect((search["accounts"] as? [[String: Any]])?.compactMap { $0["username"] as? String }.contains("mai.pham") == true)

            // The create, the edit and the read's refusals are in the trail with the client and the address.
            let events = try await h.auditEvents().filter { $0.record.target == id.uppercased() || $0.record.target == UUID(uuidString: id)?.uuidString }
            #expect(events.map(\.record.action) == ["account.create", "account.edit"])
            #expect(events.allSatisfy { $0.record.clientID == "portal" })
        }
    }

    @Test("refusals: no token 401, wrong scope 403, outside the subtree 403/404, bad JSON 400, all as JSON with a reason")
    func refusals() async throws {
        try await OIDCHarness.withServer(secondFactor: false) { h, browser in
            let none = try await Self.call(browser, .get, "/admin/accounts", token: nil)
            #expect(none.status == .unauthorized && none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let forged = try await Self.call(browser, .get, "/admin/accounts", token: "eyJhbGciOiJub25lIn0.e30.")
            #expect(forged.status == .unauthorized)

            let narrow = try await Self.token(h, browser, username: OIDCHarness.User.admin, scope: "openid profile")
            let wrongScope = try await Self.call(browser, .get, "/admin/accounts", token: narrow)
            #expect(wrongScope.status == .forbidden && wrongScope.headers[.wwwAuthenticate]?.contains("insufficient_scope") == true)

            // An official without administrative roles gets nothing, even with the scope.
            let official = try await Self.token(h, browser, username: OIDCHarness.User.official)
            let notAdmin = try await Self.call(browser, .get, "/admin/accounts", token: official)
            #expect(notAdmin.status == .forbidden)
            #expect((try Self.json(notAdmin)["error_description"] as? String)?.contains("no administrative role") == true)

            let admin = try await Self.token(h, browser, username: OIDCHarness.User.admin)
            let elsewhere = try await Self.call(browser, .post, "/admin/accounts", token: admin,
                                                body: #"{"username": "spy", "display_name": "Spy", "unit": "/ha-noi"}"#)
            #expect(elsewhere.status == .forbidden, "\(elsewhere.body)")
            #expect((try Self.json(elsewhere)["error_description"] as? String)?.contains("/ha-noi") == true)
            let missing = try await Self.call(browser, .get, "/admin/accounts/\(UUID().uuidString)", token: admin)
            #expect(missing.status == .notFound)
            for (payload, words) in [("{", "not the JSON object"), (#"{"display_name": "X"}"#, "lacks"), (#"{"username": 5, "display_name": "X", "unit": "/hue"}"#, "wrong type")] {
                let bad = try await Self.call(browser, .post, "/admin/accounts", token: admin, body: payload)
                #expect(bad.status == .badRequest, "\(payload)")
                #expect((try Self.json(bad)["error_description"] as? String)?.contains(words) == true, "\(bad.body)")
            }
            let huge = try await Self.call(browser, .post, "/admin/accounts", token: admin, body: String(repeating: " ", count: 70_000) + "{}")
            #expect(huge.status == .contentTooLarge)
            let escaped = try await Self.call(browser, .post, "/admin/accounts", token: admin,
                                              body: #"{"username": "a", "display_name": "X", "unit": "/<script>"}"#)
            #expect(escaped.status == .badRequest && escaped.headers[.contentType] == "application/json")
        }
    }

    @Test("the OpenAPI document lists exactly the routes served, each answering 401 without a token")
    func documentMatchesRoutes() async throws {
        try await OIDCHarness.withServer(secondFactor: false) { _, browser in
            let reply = try await browser.get("/admin/openapi.json")
            #expect(reply.status == .ok && reply.headers[.contentType] == "application/json")
            let document = try Self.json(reply)
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var operations = 0
            for (path, item) in paths {
                let concrete = path.replacingOccurrences(of: "{id}", with: UUID().uuidString).replacingOccurrences(of: "{path}", with: "hue")
                for method in ["get", "post", "patch", "delete"] where item[method] != nil {
                    let response = try await Self.call(browser, HTTPRequest.Method(method.uppercased())!, concrete, token: nil, body: method == "get" ? nil : "{}")
                    #expect(response.status == .unauthorized, "\(method.uppercased()) \(concrete): \(response.status)")
                    operations += 1
                }
            }
            #expect(operations == 24)
        }
    }

    @Test("the OpenAPI document passes openapi-spec-validator")
    func documentValidates() async throws {
        guard let python = ProcessInfo.processInfo.environment["GATEHOUSE_PYTHON"], !python.isEmpty else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "GATEHOUSE_PYTHON must be set under CI (make test sets it)")
            return
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gh-openapi-\(UUID().uuidString).json")
        try Data(AdminOpenAPI.document.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import json, sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1]))); print('valid')", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0 && text.contains("valid"), "\(text)")
    }
}

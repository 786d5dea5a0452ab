import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehouseServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The login form and the pages around it under attack: CSRF, account enumeration, tampering,
/// clickjacking, open redirects, injection, forced password changes, oversized posts.
@Suite("Login security over HTTP")
struct LoginSecurityTests {
    @Test("a login post without the CSRF token, or with a wrong one, is refused with 403 and does nothing")
    func csrf() async throws {
        try await OIDCHarness.withServer { h, browser in
            let page = try await browser.openLogin(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            let before = try await h.auditEvents().count
            let missing = try await browser.post("/login", form: [
                ("flow", page.field("flow") ?? ""), ("username", OIDCHarness.User.official), ("password", OIDCHarness.password),
            ])
            #expect(missing.status == .forbidden)
            let wrong = try await browser.submitLogin(page, username: OIDCHarness.User.official, password: OIDCHarness.password,
                                                      csrf: String(repeating: "A", count: 43))
            #expect(wrong.status == .forbidden)
            // The right field but no cookie (a cross-site post cannot send it): refused too.
            let cookie = browser.cookies["__Host-gh_csrf"]
            browser.setCookie("__Host-gh_csrf", nil)
            let noCookie = try await browser.submitLogin(page, username: OIDCHarness.User.official, password: OIDCHarness.password)
            #expect(noCookie.status == .forbidden)
            browser.setCookie("__Host-gh_csrf", cookie)
            for refused in [missing, wrong, noCookie] {
                #expect(refused.setCookies.isEmpty, "no session")
                #expect(refused.location == nil)
            }
            #expect(browser.cookies["__Host-gh_session"] == nil)
            #expect(try await h.auditEvents().count == before, "nothing was attempted, nothing audited")
            // The same page still works with its token.
            let ok = try await browser.submitLogin(page, username: OIDCHarness.User.official, password: OIDCHarness.password)
            #expect(ok.status == .seeOther && ok.redirectParameters["code"] != nil)
        }
    }

    @Test("unknown user, wrong password and a disabled account get the same page; failures are audited")
    func noEnumeration() async throws {
        try await OIDCHarness.withServer { h, browser in
            let page = try await browser.openLogin(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            let typed = "someone.typed"
            let unknown = try await browser.submitLogin(page, username: "khong.ton.tai", password: OIDCHarness.password)
            let wrong = try await browser.submitLogin(page, username: OIDCHarness.User.official, password: "sai mật khẩu rồi")
            let disabled = try await browser.submitLogin(page, username: OIDCHarness.User.disabled, password: OIDCHarness.password)
            func normalised(_ reply: Browser.Reply, _ username: String) -> String {
                reply.body.replacingOccurrences(of: "value=\"\(username)\"", with: "value=\"\(typed)\"")
            }
            #expect(unknown.status == .ok && wrong.status == .ok && disabled.status == .ok)
            #expect(unknown.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
            #expect(normalised(unknown, "khong.ton.tai") == normalised(wrong, OIDCHarness.User.official))
            #expect(normalised(disabled, OIDCHarness.User.disabled) == normalised(wrong, OIDCHarness.User.official))
            #expect(browser.cookies["__Host-gh_session"] == nil)
            let failures = try await h.auditEvents().filter { $0.record.action == "login.failure" }.map(\.record)
            #expect(failures.map { $0.detail["reason"] } == ["unknown_account", "invalid_password", "account_disabled"])
            #expect(failures[0].actor == "anonymous" && failures.allSatisfy { $0.result == .failure })
            #expect(failures.allSatisfy { $0.sourceIP != nil }, "the client address is recorded")
        }
    }

    @Test("an altered, foreign or expired flow state is refused")
    func tamperedFlow() async throws {
        try await OIDCHarness.withServer { h, browser in
            let page = try await browser.openLogin(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            let flow = try #require(page.field("flow"))
            let parts = flow.split(separator: ".").map(String.init)
            // Swap the redirect URI inside the payload, keep the MAC.
            var json = String(decoding: Base64URLTest.decode(parts[0]), as: UTF8.self)
            json = json.replacingOccurrences(of: "portal.example.gov.vn", with: "evil.example.com")
            let forged = Base64URLTest.encode(Array(json.utf8)) + "." + parts[1]
            let altered = try await browser.submitLogin(page, username: OIDCHarness.User.official, password: OIDCHarness.password, flow: forged)
            #expect(altered.status == .badRequest)
            #expect(altered.location == nil && !altered.body.contains("evil.example.com"))
            let garbage = try await browser.get("/login?flow=abc.def")
            #expect(garbage.status == .badRequest)

            // The token works only with the CSRF cookie it was bound to.
            let original = try #require(browser.cookies["__Host-gh_csrf"])
            let other = String(repeating: "B", count: 43)
            browser.setCookie("__Host-gh_csrf", other)
            let foreign = try await browser.submitLogin(page, username: OIDCHarness.User.official, password: OIDCHarness.password, csrf: other)
            #expect(foreign.status == .badRequest)
            browser.setCookie("__Host-gh_csrf", original)

            // After its lifetime it is refused.
            h.clock.advance(by: 31 * 60)
            let late = try await browser.submitLogin(page, username: OIDCHarness.User.official, password: OIDCHarness.password)
            #expect(late.status == .badRequest)
            #expect(browser.cookies["__Host-gh_session"] == nil)
        }
    }

    @Test("every page carries the clickjacking and other security headers")
    func securityHeaders() async throws {
        try await OIDCHarness.withServer { _, browser in
            let page = try await browser.openLogin(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            let error = try await browser.get("/authorize?client_id=nobody&redirect_uri=https://x.example/cb")
            let refused = try await browser.post("/login", form: [("flow", "x")])
            for reply in [page, error, refused] {
                let csp = try #require(reply.headers[.contentSecurityPolicy])
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(csp.contains("default-src 'none'"))
                #expect(csp.contains("base-uri 'none'"))
                #expect(!csp.contains("script-src") && !csp.contains("unsafe-inline"))
                #expect(reply.header("X-Frame-Options") == "DENY")
                #expect(reply.headers[.xContentTypeOptions] == "nosniff")
                #expect(reply.header("Referrer-Policy") == "no-referrer")
                #expect(reply.headers[.cacheControl] == "no-store")
                #expect(reply.headers[.strictTransportSecurity]?.hasPrefix("max-age=") == true)
                #expect(!reply.body.contains("<script"))
            }
            // The login form may be followed by a redirect to the client: its origin is a form target.
            #expect(page.headers[.contentSecurityPolicy]?.contains("form-action 'self' https://portal.example.gov.vn;") == true)
            // Every visible input has a label.
            for id in ["username", "password"] {
                #expect(page.body.contains("<label for=\"\(id)\">") && page.body.contains("id=\"\(id)\""))
            }
            #expect(page.body.contains("autocomplete=\"username\"") && page.body.contains("autocomplete=\"current-password\""))
        }
    }

    @Test("an unregistered redirect_uri or unknown client gets an error page, never a redirect")
    func unregisteredRedirect() async throws {
        try await OIDCHarness.withServer { _, browser in
            let challenge = OIDCHarness.pkce().challenge
            for uri in [
                "/authorize?" + FormParameters.encode([("response_type", "code"), ("client_id", "portal"),
                    ("redirect_uri", "https://evil.example.com/callback"), ("scope", "openid"), ("state", "s"),
                    ("code_challenge", challenge), ("code_challenge_method", "S256")]),
                "/authorize?" + FormParameters.encode([("response_type", "code"), ("client_id", "portal"),
                    ("redirect_uri", OIDCHarness.redirect("portal") + "/extra"), ("scope", "openid"), ("code_challenge", challenge),
                    ("code_challenge_method", "S256")]),
                "/authorize?" + FormParameters.encode([("client_id", "nobody"), ("redirect_uri", OIDCHarness.redirect("portal"))]),
            ] {
                let reply = try await browser.get(uri)
                #expect(reply.status == .badRequest)
                #expect(reply.location == nil)
                #expect(reply.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(!reply.body.contains("evil.example.com"))
            }
        }
    }

    @Test("iss is in every authorization response, success and error (RFC 9207)")
    func issuerInEveryResponse() async throws {
        try await OIDCHarness.withServer { _, browser in
            let challenge = OIDCHarness.pkce().challenge
            let errors: [[(String, String)]] = [
                [("prompt", "none")],                                   // login_required
                [("response_type", "token")],                           // unsupported_response_type
                [("code_challenge_method", "plain")],                   // PKCE S256 only
                [("scope", "openid admin")],                            // invalid_scope
            ]
            for extra in errors {
                var parameters = Dictionary(uniqueKeysWithValues: try FormParameters.parse(
                    String(OIDCHarness.authorizeURI(challenge: challenge).dropFirst("/authorize?".count))).map { ($0.key, $0.value) })
                for (k, v) in extra { parameters[k] = v }
                let reply = try await browser.get("/authorize?" + FormParameters.encode(parameters.sorted { $0.key < $1.key }))
                #expect(reply.status == .found, "\(extra)")
                let response = reply.redirectParameters
                #expect(response["error"] != nil && response["iss"] == OIDCHarness.issuer && response["state"] == "st-123", "\(extra): \(response)")
            }
            let success = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge))
            #expect(success.redirectParameters["code"] != nil && success.redirectParameters["iss"] == OIDCHarness.issuer)
        }
    }

    @Test("a forced password change cannot be skipped, checks the policy, and then continues the flow")
    func forcedPasswordChange() async throws {
        try await OIDCHarness.withServer { h, browser in
            let authorize = OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge)
            let change = try await browser.login(authorize, username: OIDCHarness.User.mustChange)
            #expect(change.status == .ok)
            #expect(change.body.contains("action=\"/login/password\""))
            #expect(change.body.contains("Bạn cần đặt mật khẩu mới trước khi tiếp tục."))
            #expect(browser.cookies["__Host-gh_session"] == nil, "no session before the change")
            #expect(change.setCookies.isEmpty)

            // Going back to /authorize leads to the login form again, not past the change.
            let skipped = try await browser.get(authorize)
            #expect(skipped.location?.hasPrefix("/login?") == true)
            let silent = try await browser.get(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge, extra: [("prompt", "none")]))
            #expect(silent.redirectParameters["error"] == "login_required")
            // The change flow token is not a login token either.
            let misuse = try await browser.post("/login", form: [
                ("flow", change.field("flow") ?? ""), ("csrf", change.field("csrf") ?? ""),
                ("username", OIDCHarness.User.mustChange), ("password", OIDCHarness.password),
            ])
            #expect(misuse.status == .badRequest)

            // Policy problems, each shown.
            func submit(_ new: String, _ confirm: String) async throws -> Browser.Reply {
                try await browser.post("/login/password", form: [
                    ("flow", change.field("flow") ?? ""), ("csrf", change.field("csrf") ?? ""), ("lang", "vi"),
                    ("new_password", new), ("confirm_password", confirm),
                ])
            }
            let short = try await submit("ngắn", "ngắn")
            #expect(short.status == .ok && short.body.contains("Mật khẩu phải có ít nhất 12 ký tự."))
            let named = try await submit("le.van.c mật khẩu mới", "le.van.c mật khẩu mới")
            #expect(named.body.contains("Mật khẩu không được chứa tên đăng nhập."))
            let common = try await submit("matkhau123456", "matkhau123456")
            #expect(common.body.contains("Mật khẩu này quá phổ biến"))
            let mismatch = try await submit("một câu mật khẩu rất dài", "một câu khác hẳn luôn")
            #expect(mismatch.body.contains("Hai mật khẩu mới không khớp nhau."))
            let same = try await submit(OIDCHarness.password, OIDCHarness.password)
            #expect(same.body.contains("Mật khẩu mới phải khác mật khẩu hiện tại."))
            #expect(browser.cookies["__Host-gh_session"] == nil)

            // A good one: stored as Argon2id, flag cleared, and the flow goes on to the client.
            let newPassword = "Sông Hương chảy qua Phú Xuân"
            let done = try await submit(newPassword, newPassword)
            #expect(done.status == .seeOther)
            #expect(done.redirectParameters["code"] != nil && done.redirectParameters["iss"] == OIDCHarness.issuer)
            #expect(browser.cookies["__Host-gh_session"] != nil)
            let account = try await h.account(OIDCHarness.User.mustChange)
            #expect(account.mustChangePassword == false)
            #expect(account.passwordHash?.hasPrefix("$argon2id$") == true)
            #expect(try await h.passwords.verify(newPassword, against: account.passwordHash ?? "").isValid)
            #expect(account.passwordChangedAt == h.clock.now())
            // The change token is spent.
            let replay = try await submit("một mật khẩu khác nữa thôi", "một mật khẩu khác nữa thôi")
            #expect(replay.status == .badRequest)
            let actions = try await h.auditEvents().map(\.record.action)
            #expect(actions.contains("account.password.change") && actions.contains("login.success"))
        }
    }

    @Test("an expired password must be changed too; a legacy hash is migrated to Argon2id at login")
    func expiryAndRehash() async throws {
        try await OIDCHarness.withServer { h, browser in
            let authorize = OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge)
            let expired = try await browser.login(authorize, username: OIDCHarness.User.expired)
            #expect(expired.body.contains("Mật khẩu của bạn đã hết hạn."))
            #expect(browser.cookies["__Host-gh_session"] == nil)

            let legacy = try await h.account(OIDCHarness.User.legacy)
            #expect(legacy.passwordHash?.hasPrefix("{SSHA}") == true)
            let other = Browser(client: browser.client)
            let done = try await other.login(authorize, username: OIDCHarness.User.legacy)
            #expect(done.redirectParameters["code"] != nil)
            let migrated = try await h.account(OIDCHarness.User.legacy)
            #expect(migrated.passwordHash?.hasPrefix("$argon2id$") == true)
            #expect(try await h.passwords.verify(OIDCHarness.password, against: migrated.passwordHash ?? "") == .valid(needsRehash: false))
            #expect(try await h.auditEvents().contains { $0.record.action == "account.password.rehash" })
        }
    }

    @Test("a <script> in state or login_hint is escaped everywhere")
    func escaping() async throws {
        try await OIDCHarness.withServer { _, browser in
            let payload = "\"><script>alert(1)</script>"
            let authorize = OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge, state: payload,
                                                     extra: [("login_hint", payload)])
            let page = try await browser.openLogin(authorize)
            #expect(page.status == .ok)
            #expect(!page.body.contains("<script>"))
            #expect(page.body.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""))
            let failed = try await browser.submitLogin(page, username: payload, password: "sai")
            #expect(!failed.body.contains("<script>") && failed.body.contains("&lt;script&gt;"))
            // An error page that echoes nothing unescaped either.
            let error = try await browser.get("/authorize?" + FormParameters.encode([("client_id", payload), ("redirect_uri", payload)]))
            #expect(error.status == .badRequest && !error.body.contains("<script>"))
            // The state comes back to the client intact.
            let done = try await browser.submitLogin(page, username: OIDCHarness.User.official, password: OIDCHarness.password)
            #expect(done.redirectParameters["state"] == payload)
        }
    }

    @Test("password hashing out of service answers 503 with Retry-After, and no session")
    func hashingUnavailable() async throws {
        try await OIDCHarness.withServer { h, browser in
            let page = try await browser.openLogin(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            h.passwords.shutdown()
            let reply = try await browser.submitLogin(page, username: OIDCHarness.User.official, password: OIDCHarness.password)
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.headers[.retryAfter] == "5")
            #expect(reply.body.contains("Hệ thống đang bận."))
            #expect(browser.cookies["__Host-gh_session"] == nil)
        }
    }

    @Test("an oversized form post is answered 413")
    func oversized() async throws {
        try await OIDCHarness.withServer { _, browser in
            let big = String(repeating: "a", count: 70 * 1024)
            let login = try await browser.post("/login", form: [("username", big)])
            #expect(login.status == .contentTooLarge)
            #expect(login.body.contains("Dữ liệu gửi lên quá lớn."))
            let token = try await browser.post("/token", form: [("grant_type", "authorization_code"), ("code", big)])
            #expect(token.status == .contentTooLarge)
            #expect(token.body.contains("invalid_request"))
        }
    }
}

/// base64url without the engine, for forging tokens in tests.
enum Base64URLTest {
    static func decode(_ s: String) -> [UInt8] {
        var b = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b.count % 4 != 0 { b += "=" }
        return Array(Data(base64Encoded: b) ?? Data())
    }

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

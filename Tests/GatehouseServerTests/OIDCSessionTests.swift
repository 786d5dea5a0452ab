import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehouseServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The SSO session across logins and logouts.
@Suite("OIDC sessions and logout over HTTP")
struct OIDCSessionTests {
    @Test("logout without a hint asks first; the confirmation ends the session; a forged confirmation is refused")
    func logoutConfirmation() async throws {
        try await OIDCHarness.withServer { h, browser in
            let callback = try await browser.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            #expect(callback.redirectParameters["code"] != nil)
            let cookie = try #require(browser.cookies["__Host-gh_session"])

            let ask = try await browser.get("/logout?" + FormParameters.encode([
                ("client_id", "portal"), ("post_logout_redirect_uri", OIDCHarness.postLogout("portal")), ("state", "s1"),
            ]))
            #expect(ask.status == .ok)
            #expect(ask.body.contains("action=\"/logout/confirm\""))
            #expect(ask.headers[.contentSecurityPolicy]?.contains("form-action 'self' https://portal.example.gov.vn;") == true)
            #expect(try await h.store.read { try $0.session(idHash: SessionCookie.idHash(of: cookie)) }.revokedAt == nil, "nothing ended yet")

            let forged = try await browser.post("/logout/confirm", form: [("flow", ask.field("flow") ?? ""), ("csrf", "x")])
            #expect(forged.status == .forbidden)
            let confirmed = try await browser.post("/logout/confirm", form: [
                ("flow", ask.field("flow") ?? ""), ("csrf", ask.field("csrf") ?? ""), ("lang", "vi"),
            ])
            #expect(confirmed.status == .seeOther)
            #expect(confirmed.location == OIDCHarness.postLogout("portal") + "?state=s1")
            #expect(browser.cookies["__Host-gh_session"] == nil)
            #expect(try await h.store.read { try $0.session(idHash: SessionCookie.idHash(of: cookie)) }.revokedAt != nil)
            #expect(h.notifier.logouts.map(\.clientID) == ["portal"])
        }
    }

    @Test("a cross-site POST logout (no Lax cookie) is confirmed on a page of our own; no session, no hint: signed out")
    func postLogoutWithoutCookie() async throws {
        try await OIDCHarness.withServer { _, browser in
            let page = try await browser.post("/logout", form: [])
            #expect(page.status == .ok && page.body.contains("action=\"/logout/confirm\""))
            let done = try await browser.post("/logout/confirm", form: [("flow", page.field("flow") ?? ""), ("csrf", page.field("csrf") ?? "")])
            #expect(done.status == .ok && done.body.contains("Bạn đã đăng xuất."))
            let get = try await browser.get("/logout")
            #expect(get.status == .ok && get.body.contains("Bạn đã đăng xuất."))
        }
    }

    @Test("an unregistered post_logout_redirect_uri or a forged hint gets an error page, never a redirect")
    func logoutErrors() async throws {
        try await OIDCHarness.withServer { _, browser in
            for query in [
                [("client_id", "portal"), ("post_logout_redirect_uri", "https://evil.example.com/bye")],
                [("client_id", "portal"), ("post_logout_redirect_uri", OIDCHarness.postLogout("portal") + "/")],
                [("post_logout_redirect_uri", OIDCHarness.postLogout("portal"))],
                [("id_token_hint", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")],
            ] {
                let reply = try await browser.get("/logout?" + FormParameters.encode(query))
                #expect(reply.status == .badRequest, "\(query)")
                #expect(reply.location == nil)
            }
        }
    }

    @Test("prompt=login re-authenticates in the same session; another user's login ends the first user's session")
    func reauthenticationAndSwitchingUser() async throws {
        try await OIDCHarness.withServer { h, browser in
            let first = try await browser.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            #expect(first.redirectParameters["code"] != nil)
            let cookie = try #require(browser.cookies["__Host-gh_session"])
            let before = try await h.store.read { try $0.session(idHash: SessionCookie.idHash(of: cookie)) }

            h.clock.advance(by: 600)
            let again = try await browser.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge, extra: [("prompt", "login")]))
            #expect(again.redirectParameters["code"] != nil)
            #expect(browser.cookies["__Host-gh_session"] == cookie, "the same session, renewed")
            let renewed = try await h.store.read { try $0.session(idHash: SessionCookie.idHash(of: cookie)) }
            #expect(renewed.authTime == before.authTime + 600 && renewed.revokedAt == nil)

            // Another official signs in on the same browser: the first session ends, with its back-channel logouts.
            let other = try await browser.login(OIDCHarness.authorizeURI(client: "mail", challenge: OIDCHarness.pkce().challenge, extra: [("prompt", "login")]),
                                                username: OIDCHarness.User.legacy)
            #expect(other.redirectParameters["code"] != nil)
            #expect(browser.cookies["__Host-gh_session"] != cookie)
            let ended = try await h.store.read { try $0.session(idHash: SessionCookie.idHash(of: cookie)) }
            #expect(ended.revokedAt != nil)
            #expect(h.notifier.logouts.map(\.clientID) == ["portal"])
        }
    }

    @Test("an id_token_hint for another user asks for that user's login")
    func hintForAnotherUser() async throws {
        try await OIDCHarness.withServer { _, browser in
            let (verifier, challenge) = OIDCHarness.pkce()
            let first = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge), username: OIDCHarness.User.legacy)
            let tokens = try await browser.redeem(try #require(first.redirectParameters["code"]), verifier: verifier)
            let hint = try #require(tokens["id_token"] as? String)

            // A fresh browser signs in as someone else, then the application hints at the first user.
            let second = Browser(client: browser.client)
            _ = try await second.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            let hinted = try await second.get(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge, extra: [("id_token_hint", hint)]))
            #expect(hinted.location?.hasPrefix("/login?") == true)
            let page = try await second.get(try #require(hinted.location))
            let wrongUser = try await second.submitLogin(page, username: OIDCHarness.User.official, password: OIDCHarness.password)
            #expect(wrongUser.status == .ok)
            #expect(wrongUser.body.contains("Ứng dụng yêu cầu đăng nhập bằng một tài khoản khác."))
            let right = try await second.submitLogin(wrongUser, username: OIDCHarness.User.legacy, password: OIDCHarness.password)
            #expect(right.redirectParameters["code"] != nil)
        }
    }
}

import Foundation
import GatehouseCore
import GatehouseJOSE
import GatehouseOAuth
import GatehouseServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The browser-style code flow over a real socket, end to end.
@Suite("OIDC flow over HTTP")
struct OIDCFlowTests {
    @Test("login, code with iss, PKCE token, ID token from /jwks, userinfo, refresh, SSO for a second client, logout with back-channel")
    func fullFlow() async throws {
        try await OIDCHarness.withServer { h, browser in
            // Discovery advertises the routes this server answers.
            let discovery = try await browser.get("/.well-known/openid-configuration")
            #expect(discovery.status == .ok)
            let metadata = try #require(try JSONSerialization.jsonObject(with: Data(discovery.body.utf8)) as? [String: Any])
            #expect(metadata["issuer"] as? String == OIDCHarness.issuer)
            for key in ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint",
                        "introspection_endpoint", "revocation_endpoint"] {
                let url = try #require(metadata[key] as? String)
                #expect(url.hasPrefix(OIDCHarness.issuer + "/"), "\(key) \(url)")
            }

            // 1. /authorize → login page → credentials → redirect with code, state, iss.
            let (verifier, challenge) = OIDCHarness.pkce()
            let page = try await browser.openLogin(OIDCHarness.authorizeURI(challenge: challenge))
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.body.contains("Ứng dụng portal"))
            #expect(browser.cookies["__Host-gh_csrf"] != nil, "the CSRF cookie is set before the form")
            let callback = try await browser.submitLogin(page, username: "Nguyen.Van.A", password: OIDCHarness.password)
            #expect(callback.status == .seeOther)
            let location = try #require(callback.location)
            #expect(location.hasPrefix(OIDCHarness.redirect("portal") + "?"))
            let response = callback.redirectParameters
            #expect(response["state"] == "st-123")
            #expect(response["iss"] == OIDCHarness.issuer, "RFC 9207")
            let code = try #require(response["code"])

            // The session cookie: __Host-, Secure, HttpOnly, SameSite=Lax, Path=/.
            let setCookie = try #require(callback.setCookies.first { $0.hasPrefix("__Host-gh_session=") })
            for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"] { #expect(setCookie.contains(attribute), "\(setCookie)") }
            #expect(!setCookie.contains("Domain"))
            let sessionCookie = try #require(browser.cookies["__Host-gh_session"])

            // 2. /token with the PKCE verifier; the ID token verifies against /jwks.
            let tokens = try await browser.redeem(code, verifier: verifier)
            let idToken = try #require(tokens["id_token"] as? String)
            let accessToken = try #require(tokens["access_token"] as? String)
            let refreshToken = try #require(tokens["refresh_token"] as? String)
            let keys = try await h.publishedKeys(browser)
            let verifiedID = try JWTVerifier(keys: keys, allowedAlgorithms: [.rs256, .es256],
                                             validator: JWTValidator(issuer: OIDCHarness.issuer, audience: "portal"))
                .verify(idToken, now: h.clock.now())
            let subject = try #require(h.accounts[OIDCHarness.User.official]?.id.uuidString.lowercased())
            #expect(verifiedID.claims.subject == subject)
            #expect(verifiedID.claims["nonce"] == .string("n-0S6_WzA2Mj"))
            #expect(verifiedID.claims["sid"] == .string(SessionCookie.idHash(of: sessionCookie)))
            #expect(verifiedID.claims["auth_time"] != nil)

            // 3. /userinfo with the access token.
            let info = try await browser.get("/userinfo", headers: [.authorization: "Bearer \(accessToken)"])
            #expect(info.status == .ok)
            let claims = try #require(try JSONSerialization.jsonObject(with: Data(info.body.utf8)) as? [String: Any])
            #expect(claims["sub"] as? String == subject)
            #expect(claims["preferred_username"] as? String == OIDCHarness.User.official)
            #expect(claims["roles"] as? [String] == ["clerk@/hue/phuong-phu-xuan"])

            // 4. Refresh rotates.
            let refreshed = try await browser.post("/token", form: [("grant_type", "refresh_token"), ("refresh_token", refreshToken)],
                                                   headers: [.authorization: OIDCHarness.basic("portal")])
            #expect(refreshed.status == .ok, "\(refreshed.body)")
            #expect(!refreshed.body.contains(refreshToken))

            // 5. A second client in the same browser: no login form.
            let (verifier2, challenge2) = OIDCHarness.pkce()
            let sso = try await browser.get(OIDCHarness.authorizeURI(client: "mail", challenge: challenge2, state: "mail-state"))
            #expect(sso.status == .found)
            #expect(sso.location?.hasPrefix(OIDCHarness.redirect("mail") + "?") == true, "\(sso.location ?? "")")
            #expect(sso.redirectParameters["iss"] == OIDCHarness.issuer && sso.redirectParameters["state"] == "mail-state")
            let mailTokens = try await browser.redeem(try #require(sso.redirectParameters["code"]), verifier: verifier2, client: "mail")
            #expect(mailTokens["id_token"] is String)

            // 6. RP-initiated logout with id_token_hint: ends at once, back-channel for both clients.
            let logout = try await browser.get("/logout?" + FormParameters.encode([
                ("id_token_hint", idToken), ("post_logout_redirect_uri", OIDCHarness.postLogout("portal")), ("state", "bye-1"),
            ]))
            #expect(logout.status == .found, "\(logout.body)")
            #expect(logout.location == OIDCHarness.postLogout("portal") + "?state=bye-1")
            #expect(logout.setCookies.contains { $0.hasPrefix("__Host-gh_session=;") && $0.contains("Max-Age=0") })
            #expect(browser.cookies["__Host-gh_session"] == nil)
            let delivered = h.notifier.logouts
            #expect(Set(delivered.map(\.clientID)) == ["portal", "mail"])
            #expect(delivered.allSatisfy { $0.uri.hasSuffix("/backchannel") })
            for logoutToken in delivered {
                let verified = try JWTVerifier(keys: keys, allowedAlgorithms: [.rs256, .es256],
                                               validator: JWTValidator(issuer: OIDCHarness.issuer, audience: logoutToken.clientID, type: "logout+jwt"))
                    .verify(logoutToken.logoutToken, now: h.clock.now())
                #expect(verified.claims["sid"] == .string(SessionCookie.idHash(of: sessionCookie)))
            }

            // 7. The old session no longer works: prompt=none with the old cookie → login_required.
            browser.setCookie("__Host-gh_session", sessionCookie)
            let silent = try await browser.get(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge, extra: [("prompt", "none")]))
            #expect(silent.status == .found)
            #expect(silent.redirectParameters["error"] == "login_required")
            #expect(silent.redirectParameters["iss"] == OIDCHarness.issuer, "iss on errors too (RFC 9207)")
            let stale = try await browser.get("/userinfo", headers: [.authorization: "Bearer \(accessToken)"])
            #expect(stale.status == .unauthorized)

            // The audit trail has the login.
            let actions = try await h.auditEvents().map(\.record.action)
            #expect(actions.contains("login.success") && actions.contains("oauth.session.end"))
        }
    }

    @Test("userinfo errors carry a Bearer challenge (RFC 6750 §3)")
    func userInfoChallenge() async throws {
        try await OIDCHarness.withServer { _, browser in
            let none = try await browser.get("/userinfo")
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer realm=") == true)
            #expect(none.headers[.wwwAuthenticate]?.contains("error=") == false, "no token, no error code (§3.1)")
            let bad = try await browser.post("/userinfo", form: [], headers: [.authorization: "Bearer not-a-token"])
            #expect(bad.status == .unauthorized)
            #expect(bad.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true)
        }
    }

    @Test("introspection and revocation answer over HTTP; the JWKS carries its max-age")
    func introspectRevokeJWKS() async throws {
        try await OIDCHarness.withServer { h, browser in
            let jwks = try await browser.get("/jwks")
            #expect(jwks.headers[.cacheControl] == "public, max-age=\(Int(h.services.tokenPolicy.jwksMaxAge))")
            let (verifier, challenge) = OIDCHarness.pkce()
            let callback = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge))
            let tokens = try await browser.redeem(try #require(callback.redirectParameters["code"]), verifier: verifier)
            let access = try #require(tokens["access_token"] as? String)
            let active = try await browser.post("/introspect", form: [("token", access)], headers: [.authorization: OIDCHarness.basic("portal")])
            #expect(active.status == .ok && active.body.contains("\"active\":true"))
            let revoked = try await browser.post("/revoke", form: [("token", access)], headers: [.authorization: OIDCHarness.basic("portal")])
            #expect(revoked.status == .ok)
            let after = try await browser.post("/introspect", form: [("token", access)], headers: [.authorization: OIDCHarness.basic("portal")])
            #expect(after.body.contains("\"active\":false"))
            let unauthenticated = try await browser.post("/token", form: [("grant_type", "client_credentials")],
                                                          headers: [.authorization: "Basic cG9ydGFsOndyb25n"])
            #expect(unauthenticated.status == .unauthorized && unauthenticated.body.contains("invalid_client"))
        }
    }

    @Test("prompt=consent shows the consent page; allow completes, deny answers access_denied")
    func consent() async throws {
        try await OIDCHarness.withServer { _, browser in
            let first = try await browser.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            #expect(first.redirectParameters["code"] != nil)

            for (decision, expectCode) in [("allow", true), ("deny", false)] {
                let start = try await browser.get(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge, extra: [("prompt", "consent")]))
                let consentURI = try #require(start.location)
                #expect(consentURI.hasPrefix("/consent?"))
                let page = try await browser.get(consentURI)
                #expect(page.status == .ok && page.body.contains("name=\"decision\""))
                let answer = try await browser.post("/consent", form: [
                    ("flow", page.field("flow") ?? ""), ("csrf", page.field("csrf") ?? ""), ("decision", decision),
                ])
                #expect(answer.status == .seeOther)
                let parameters = answer.redirectParameters
                #expect((parameters["code"] != nil) == expectCode)
                #expect(parameters["iss"] == OIDCHarness.issuer)
                if !expectCode { #expect(parameters["error"] == "access_denied") }
            }
        }
    }

    @Test("a POST authorization request without the session cookie becomes the same GET (OIDC Core §3.1.2.1)")
    func postAuthorize() async throws {
        try await OIDCHarness.withServer { _, browser in
            let uri = OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge)
            let form = try FormParameters.parse(String(uri.dropFirst("/authorize?".count)))
            let post = try await browser.post("/authorize", form: form.sorted { $0.key < $1.key })
            #expect(post.status == .seeOther)
            let location = try #require(post.location)
            #expect(location.hasPrefix("/authorize?"))
            let redirected = try await browser.get(location)
            #expect(redirected.location?.hasPrefix("/login?") == true)
        }
    }

    @Test("a login over plain http uses cookies without the __Host- prefix or Secure, and no HSTS")
    func plainHTTP() async throws {
        try await OIDCHarness.withServer(issuer: "http://127.0.0.1:8080") { _, browser in
            let callback = try await browser.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            #expect(callback.redirectParameters["iss"] == "http://127.0.0.1:8080")
            let cookie = try #require(callback.setCookies.first { $0.hasPrefix("gh_session=") })
            #expect(!cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            #expect(callback.headers[.strictTransportSecurity] == nil)
        }
    }
}

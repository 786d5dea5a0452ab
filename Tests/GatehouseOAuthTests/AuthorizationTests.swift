import Foundation
import GatehouseCore
import GatehouseJOSE
import GatehouseOAuth
import Testing

/// The authorization endpoint: request validation and the session decision (OIDC Core §3.1.2).
@Suite("Authorization endpoint")
struct AuthorizationTests {
    func valid(_ h: Harness, _ extra: [String: String] = [:], client: String = Harness.Clients.portal,
               sourceLocation: SourceLocation = #_sourceLocation) async throws -> AuthorizationRequest {
        let validation = await h.engine.validateAuthorization(Harness.authorizeParameters(client: client, challenge: Harness.pkce().challenge, extra: extra))
        guard case .valid(let request) = validation else {
            Issue.record("expected a valid request, got \(validation)", sourceLocation: sourceLocation)
            throw HarnessError.unexpected
        }
        return request
    }

    func errorRedirect(_ h: Harness, _ extra: [String: String], client: String = Harness.Clients.portal) async -> AuthorizationRedirect? {
        let validation = await h.engine.validateAuthorization(Harness.authorizeParameters(client: client, challenge: Harness.pkce().challenge, extra: extra))
        if case .redirect(let redirect) = validation { return redirect }
        return nil
    }

    @Test("prompt=none without a session redirects login_required with state and iss")
    func promptNoneWithoutSession() async throws {
        try await Harness.with { h in
            let request = try await valid(h, ["prompt": "none"])
            guard case .redirect(let redirect) = await h.engine.authorize(request, sessionCookie: nil) else { Issue.record("no redirect"); return }
            #expect(redirect.error == "login_required" && redirect["state"] == "af0ifjsldkj" && redirect["iss"] == Harness.issuer)
            #expect(redirect["code"] == nil)
            guard case .redirect(let unknown) = await h.engine.authorize(request, sessionCookie: "not-a-session") else { Issue.record("no redirect"); return }
            #expect(unknown.error == "login_required")
            // Without prompt=none the user is sent to log in.
            #expect(await h.engine.authorize(try await valid(h), sessionCookie: nil) == .login(.noSession))
        }
    }

    @Test("prompt=none with a live session issues a code silently")
    func promptNoneWithSession() async throws {
        try await Harness.with { h in
            let cookie = try await h.login()
            let redirect = try await h.authorizeRedirect(Harness.authorizeParameters(challenge: Harness.pkce().challenge, extra: ["prompt": "none"]), cookie: cookie)
            #expect(redirect["code"] != nil)
        }
    }

    @Test("an idle or expired session no longer counts")
    func sessionLifetimes() async throws {
        try await Harness.with { h in
            let cookie = try await h.login()
            let request = try await valid(h)
            h.clock.advance(by: 2 * 3600)
            #expect(await h.engine.authorize(request, sessionCookie: cookie) == .login(.noSession), "idle for 2 hours")
        }
    }

    @Test("prompt=login, select_account and max_age force a new authentication")
    func reauthentication() async throws {
        try await Harness.with { h in
            let cookie = try await h.login()
            h.clock.advance(by: 600)
            #expect(await h.engine.authorize(try await valid(h, ["prompt": "login"]), sessionCookie: cookie) == .login(.promptLogin))
            #expect(await h.engine.authorize(try await valid(h, ["prompt": "select_account"]), sessionCookie: cookie) == .login(.promptLogin))
            #expect(await h.engine.authorize(try await valid(h, ["max_age": "300"]), sessionCookie: cookie) == .login(.maxAgeExceeded))
            #expect(await h.engine.authorize(try await valid(h, ["max_age": "0"]), sessionCookie: cookie) == .login(.maxAgeExceeded))
            guard case .redirect(let ok) = await h.engine.authorize(try await valid(h, ["max_age": "900"]), sessionCookie: cookie) else {
                Issue.record("max_age satisfied"); return
            }
            #expect(ok["code"] != nil)
            guard case .redirect(let none) = await h.engine.authorize(try await valid(h, ["max_age": "300", "prompt": "none"]), sessionCookie: cookie) else {
                Issue.record("no redirect"); return
            }
            #expect(none.error == "login_required")
            // After the login page: a fresh session satisfies both.
            let fresh = try await h.login()
            guard case .redirect(let after) = await h.engine.authorize(try await valid(h, ["prompt": "login", "max_age": "0"]), sessionCookie: fresh,
                                                                         freshAuthentication: true) else { Issue.record("no redirect"); return }
            #expect(after["code"] != nil)
        }
    }

    @Test("prompt=consent asks once; declining is access_denied")
    func consent() async throws {
        try await Harness.with { h in
            let cookie = try await h.login()
            let request = try await valid(h, ["prompt": "consent"])
            #expect(await h.engine.authorize(request, sessionCookie: cookie) == .consent)
            guard case .redirect(let redirect) = await h.engine.authorize(request, sessionCookie: cookie, consentGiven: true) else {
                Issue.record("no redirect"); return
            }
            #expect(redirect["code"] != nil)
            let stored = try await h.store.read { [official = h.official] in try $0.consent(accountID: official.id, clientID: "portal") }
            #expect(stored.scopes == ["openid", "profile", "email"])
            #expect(h.engine.deny(request).error == "access_denied")
        }
    }

    @Test("id_token_hint must name the session's user")
    func idTokenHint() async throws {
        try await Harness.with { h in
            let (json, cookie) = try await h.tokens()
            let hint = try #require(json["id_token"]?.stringValue)
            h.clock.advance(by: 3600)   // an expired ID token is still a fine hint
            let request = try await valid(h, ["id_token_hint": hint, "prompt": "none"])
            #expect(request.expectedSubject == h.official.id.uuidString.lowercased())
            guard case .redirect(let same) = await h.engine.authorize(request, sessionCookie: try await h.login()) else { Issue.record("no redirect"); return }
            #expect(same["code"] != nil)
            _ = cookie

            let colleague = Account(id: UUID(), username: try Username("tran.thi.b"), displayName: "Trần Thị B", unitID: h.baDinh.id, createdAt: h.clock.now())
            try await h.store.write { try $0.insertAccount(colleague) }
            let other = try await h.login(account: colleague)
            guard case .redirect(let mismatch) = await h.engine.authorize(request, sessionCookie: other) else { Issue.record("no redirect"); return }
            #expect(mismatch.error == "login_required")

            #expect(await errorRedirect(h, ["id_token_hint": hint], client: Harness.Clients.mail)?.error == "invalid_request", "a hint for another client")
            #expect(await errorRedirect(h, ["id_token_hint": json["access_token"]!.stringValue!])?.error == "invalid_request", "an access token is no ID token")
        }
    }

    @Test("request errors after the redirect URI is trusted go back to the client")
    func redirectedErrors() async throws {
        try await Harness.with { h in
            #expect(await errorRedirect(h, ["response_type": "token"])?.error == "unsupported_response_type")
            #expect(await errorRedirect(h, ["response_type": "code id_token"])?.error == "unsupported_response_type")
            #expect(await errorRedirect(h, ["response_type": ""])?.error == "invalid_request")
            #expect(await errorRedirect(h, ["response_mode": "fragment"])?.error == "invalid_request")
            #expect(await errorRedirect(h, ["scope": "openid admin"])?.error == "invalid_scope")
            #expect(await errorRedirect(h, ["scope": ""])?.error == "invalid_scope")
            #expect(await errorRedirect(h, ["prompt": "none login"])?.error == "invalid_request")
            #expect(await errorRedirect(h, ["prompt": "sometimes"])?.error == "invalid_request")
            #expect(await errorRedirect(h, ["max_age": "-1"])?.error == "invalid_request")
            #expect(await errorRedirect(h, ["request": "eyJ..."])?.error == "request_not_supported")
            #expect(await errorRedirect(h, ["request_uri": "https://x"])?.error == "request_uri_not_supported")
            #expect(await errorRedirect(h, [:], client: Harness.Clients.service)?.error == "unauthorized_client")
            let redirect = try #require(await errorRedirect(h, ["scope": "openid admin"]))
            #expect(redirect.location.hasPrefix(Harness.portalRedirect + "?error=invalid_scope&error_description="))
            #expect(redirect.location.hasSuffix("&state=af0ifjsldkj&iss=https%3A%2F%2Fsso.example.gov.vn"))
        }
    }

    @Test("the validated request keeps state, nonce, hints, locales and acr_values")
    func requestValues() async throws {
        try await Harness.with { h in
            let request = try await valid(h, ["login_hint": "nguyen.van.a", "ui_locales": "vi en", "acr_values": "urn:gatehouse:loa:mfa", "max_age": "60"])
            #expect(request.clientID == "portal" && request.clientName == "Ứng dụng portal" && request.redirectURI == Harness.portalRedirect)
            #expect(request.scope == ["openid", "profile", "email"] && request.isOpenID)
            #expect(request.state == "af0ifjsldkj" && request.nonce == "n-0S6_WzA2Mj" && request.loginHint == "nguyen.van.a")
            #expect(request.uiLocales == ["vi", "en"] && request.acrValues == ["urn:gatehouse:loa:mfa"] && request.maxAge == 60)
            let roundTrip = try JSONDecoder().decode(AuthorizationRequest.self, from: JSONEncoder().encode(request))
            #expect(roundTrip == request)
        }
    }

    @Test("a request kept across the login page is checked again against its client")
    func tamperedRequest() async throws {
        try await Harness.with { h in
            let cookie = try await h.login()
            var request = try await valid(h)
            request.redirectURI = "https://evil.example/callback"
            guard case .showError = await h.engine.authorize(request, sessionCookie: cookie) else { Issue.record("tampered redirect accepted"); return }
            request = try await valid(h)
            request.scope.append("admin")
            guard case .redirect(let redirect) = await h.engine.authorize(request, sessionCookie: cookie) else { Issue.record("no redirect"); return }
            #expect(redirect.error == "invalid_request")
        }
    }
}

import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseJOSE
import GatehouseOAuth
import Testing

/// The attacks of the OAuth 2.0 Security BCP (RFC 9700) that apply to the code flow, each
/// shown to fail.
@Suite("RFC 9700 attacks")
struct AttackTests {
    @Test("code replay (§4.5): the second redemption fails and revokes what the first issued")
    func codeReplay() async throws {
        try await Harness.with { h in
            let cookie = try await h.login()
            let (code, verifier) = try await h.code(cookie: cookie)
            let first = try #require(try await h.redeem(code, verifier: verifier).jsonObject)
            let refresh = try #require(first["refresh_token"]?.stringValue)
            let access = try #require(first["access_token"]?.stringValue)

            h.clock.advance(by: 5)
            let second = try await h.redeem(code, verifier: verifier)
            #expect(second.status == 400 && second.errorCode == "invalid_grant")
            #expect(second.headers["Cache-Control"] == "no-store")

            #expect(try await h.refresh(refresh).errorCode == "invalid_grant", "the refresh token from the first redemption is revoked")
            #expect(try await h.session(cookie).revokedAt == h.clock.now(), "and the session")
            #expect(await h.engine.userInfo(authorization: "Bearer \(access)").status == 401, "so its access token is dead at UserInfo")
            #expect(try #require(await h.engine.introspect(try h.tokenRequest(["token": access])).jsonObject) == ["active": false])
            let replay = try #require(try await h.auditEvents().first { $0.record.action == "oauth.code.replay" }).record
            #expect(replay.result == .failure && replay.clientID == "portal" && replay.detail["refresh_families_revoked"] == "1")
            #expect(replay.detail["session_revoked"] == "true" && replay.unit?.description == "/ha-noi/phuong-ba-dinh")

            // The revoked session no longer satisfies prompt=none.
            let (_, challenge) = Harness.pkce()
            let silent = try await h.authorizeRedirect(Harness.authorizeParameters(challenge: challenge, extra: ["prompt": "none"]), cookie: cookie)
            #expect(silent.error == "login_required")
        }
    }

    @Test("code injection: a code bound to another client, redirect_uri or verifier is refused, and stays usable")
    func codeInjection() async throws {
        try await Harness.with { h in
            let cookie = try await h.login()
            let (code, verifier) = try await h.code(cookie: cookie)
            // Another client (with its own valid credentials) presents the code.
            let otherClient = try await h.redeem(code, verifier: verifier, client: Harness.Clients.mail, redirect: Harness.portalRedirect)
            #expect(otherClient.errorCode == "invalid_grant")
            // Another registered redirect URI of the same client.
            let otherRedirect = try await h.redeem(code, verifier: verifier, redirect: "http://127.0.0.1:8400/portal/cb")
            #expect(otherRedirect.errorCode == "invalid_grant")
            // The attacker's own verifier.
            let otherVerifier = try await h.redeem(code, verifier: Harness.pkce().verifier)
            #expect(otherVerifier.errorCode == "invalid_grant")
            // None of that burned the code for its rightful client.
            let rightful = try await h.redeem(code, verifier: verifier)
            #expect(rightful.status == 200)
            #expect(try await h.auditEvents().allSatisfy { $0.record.action != "oauth.code.replay" })
        }
    }

    @Test("PKCE downgrade: plain, a missing challenge or method, a missing or malformed verifier")
    func pkceDowngrade() async throws {
        try await Harness.with { h in
            let cookie = try await h.login()
            let (verifier, challenge) = Harness.pkce()
            for (name, extra) in [
                ("plain", ["code_challenge_method": "plain", "code_challenge": verifier]),
                ("no method", ["code_challenge_method": ""]),
                ("no challenge", ["code_challenge": ""]),
                ("short challenge", ["code_challenge": "abc"]),
            ] {
                var parameters = Harness.authorizeParameters(challenge: challenge)
                for (k, v) in extra { parameters[k] = v }
                guard case .redirect(let redirect) = await h.engine.validateAuthorization(parameters) else {
                    Issue.record("\(name): expected an error redirect")
                    continue
                }
                #expect(redirect.error == "invalid_request", "\(name)")
                #expect(redirect["state"] == "af0ifjsldkj" && redirect["iss"] == Harness.issuer, "\(name)")
            }
            let (code, _) = try await h.code(cookie: cookie)
            let missing = await h.engine.token(try h.tokenRequest([
                "grant_type": "authorization_code", "code": code, "redirect_uri": Harness.portalRedirect,
            ]))
            #expect(missing.errorCode == "invalid_request")
            let malformed = try await h.redeem(code, verifier: "short")
            #expect(malformed.errorCode == "invalid_grant")
        }
    }

    @Test("redirect_uri manipulation is shown as an error, never redirected", arguments: [
        "https://portal.example.gov.vn/callback/extra",           // extra path
        "https://portal.example.gov.vn/call",                     // prefix
        "https://portal.example.gov.vn:8443/callback",            // port
        "https://portal.example.gov.vn/callback?next=/admin",     // query appended
        "https://portal.example.gov.vn/callback#fragment",        // fragment
        "https://portal.example.gov.vn/callback/",                // trailing slash
        "https://PORTAL.example.gov.vn/callback",                 // case
        "http://portal.example.gov.vn/callback",                  // scheme
        "https://portal.example.gov.vn.evil.example/callback",    // host suffix
        "http://127.0.0.1:8401/portal/cb",                        // loopback port
        "https://mail.example.gov.vn/callback",                   // another client's URI
    ])
    func redirectManipulation(_ uri: String) async throws {
        try await Harness.with { h in
            let parameters = Harness.authorizeParameters(redirect: uri, challenge: Harness.pkce().challenge)
            guard case .showError(let error) = await h.engine.validateAuthorization(parameters) else {
                Issue.record("\(uri) was not refused on the spot")
                return
            }
            #expect(error.code == .invalidRequest)
        }
    }

    @Test("an unknown client, or a missing redirect_uri, is shown rather than redirected")
    func untrustedClient() async throws {
        try await Harness.with { h in
            var parameters = Harness.authorizeParameters(client: "nobody", challenge: Harness.pkce().challenge)
            guard case .showError = await h.engine.validateAuthorization(parameters) else { Issue.record("unknown client redirected"); return }
            parameters = Harness.authorizeParameters(challenge: Harness.pkce().challenge)
            parameters["redirect_uri"] = nil
            guard case .showError = await h.engine.validateAuthorization(parameters) else { Issue.record("missing redirect_uri redirected"); return }
        }
    }

    @Test("refresh token reuse (§4.14.2) revokes the family and the session")
    func refreshReuse() async throws {
        try await Harness.with { h in
            let (json, cookie) = try await h.tokens()
            let first = try #require(json["refresh_token"]?.stringValue)
            let rotated = try #require(try await h.refresh(first).string("refresh_token"))

            let reuse = try await h.refresh(first)
            #expect(reuse.errorCode == "invalid_grant")
            #expect(try await h.refresh(rotated).errorCode == "invalid_grant", "the legitimate holder's token dies with the family")
            #expect(try await h.session(cookie).revokedAt != nil)
            let event = try #require(try await h.auditEvents().first { $0.record.action == "oauth.refresh.reuse" }).record
            #expect(event.result == .failure && event.detail["generation"] == "1")
            let (_, challenge) = Harness.pkce()
            let silent = try await h.authorizeRedirect(Harness.authorizeParameters(challenge: challenge, extra: ["prompt": "none"]), cookie: cookie)
            #expect(silent.error == "login_required")
        }
    }

    @Test("a refresh token is bound to its client")
    func refreshOfAnotherClient() async throws {
        try await Harness.with { h in
            let (json, _) = try await h.tokens()
            let refresh = try #require(json["refresh_token"]?.stringValue)
            #expect(try await h.refresh(refresh, client: Harness.Clients.mail).errorCode == "invalid_grant")
            #expect(try await h.refresh(refresh).status == 200, "and presenting it elsewhere does not revoke it")
        }
    }

    @Test("tokens are dead after revocation and after logout")
    func useAfterRevocation() async throws {
        try await Harness.with { h in
            let (json, cookie) = try await h.tokens()
            let access = try #require(json["access_token"]?.stringValue)
            let refresh = try #require(json["refresh_token"]?.stringValue)
            #expect(await h.engine.userInfo(authorization: "Bearer \(access)").status == 200)

            let ended = try await h.engine.endSession(sessionCookie: cookie, sourceIP: "10.1.2.3")
            #expect(ended.refreshFamiliesRevoked == 1)
            #expect(await h.engine.userInfo(authorization: "Bearer \(access)").status == 401)
            #expect(try await h.refresh(refresh).errorCode == "invalid_grant")
            #expect(try #require(await h.engine.introspect(try h.tokenRequest(["token": refresh])).jsonObject) == ["active": false])
        }
    }

    @Test("a client cannot revoke another client's token")
    func revokeOtherClientsToken() async throws {
        try await Harness.with { h in
            let (json, _) = try await h.tokens()
            let access = try #require(json["access_token"]?.stringValue)
            let refresh = try #require(json["refresh_token"]?.stringValue)
            #expect(await h.engine.revoke(try h.tokenRequest(["token": refresh], client: Harness.Clients.mail)).status == 200)
            #expect(await h.engine.revoke(try h.tokenRequest(["token": access], client: Harness.Clients.mail)).status == 200)
            #expect(try await h.refresh(refresh).status == 200, "the family is untouched")
            #expect(await h.engine.userInfo(authorization: "Bearer \(access)").status == 200, "so is the access token")
            let attempts = try await h.auditEvents().filter { $0.record.action == "oauth.token.revoke" }
            #expect(attempts.count == 2 && attempts.allSatisfy { $0.record.result == .failure && $0.record.clientID == "mail" })
            // Unknown and malformed tokens: 200 as well.
            #expect(await h.engine.revoke(try h.tokenRequest(["token": "no-such-token"])).status == 200)
            #expect(await h.engine.revoke(try h.tokenRequest([:])).errorCode == "invalid_request")
        }
    }

    @Test("introspection answers only the token's client, and never public clients")
    func introspectionAudience() async throws {
        try await Harness.with { h in
            let (json, _) = try await h.tokens()
            let access = try #require(json["access_token"]?.stringValue)
            let other = try #require(await h.engine.introspect(try h.tokenRequest(["token": access], client: Harness.Clients.mail)).jsonObject)
            #expect(other == ["active": false])
            let publicClient = await h.engine.introspect(try h.tokenRequest(["token": access], client: Harness.Clients.spa))
            #expect(publicClient.errorCode == "invalid_client")
            #expect(try #require(await h.engine.introspect(try h.tokenRequest(["token": "garbage"])).jsonObject) == ["active": false])
            h.clock.advance(by: 301 + 60)
            #expect(try #require(await h.engine.introspect(try h.tokenRequest(["token": access])).jsonObject) == ["active": false], "expired")
        }
    }

    @Test("an expired code is refused")
    func expiredCode() async throws {
        try await Harness.with { h in
            let cookie = try await h.login()
            let (code, verifier) = try await h.code(cookie: cookie)
            h.clock.advance(by: 60)
            #expect(try await h.redeem(code, verifier: verifier).errorCode == "invalid_grant")
        }
    }

    @Test("a disabled account gets no tokens, and its tokens stop working")
    func disabledAccount() async throws {
        try await Harness.with { h in
            let cookie = try await h.login()
            let (code, verifier) = try await h.code(cookie: cookie)
            try await h.setStatus(.disabled)
            #expect(try await h.redeem(code, verifier: verifier).errorCode == "invalid_grant")

            try await h.setStatus(.active)
            let (json, cookie2) = try await h.tokens()
            try await h.setStatus(.disabled)
            let access = try #require(json["access_token"]?.stringValue)
            #expect(await h.engine.userInfo(authorization: "Bearer \(access)").status == 401)
            #expect(try await h.refresh(try #require(json["refresh_token"]?.stringValue)).errorCode == "invalid_grant")
            #expect(try #require(await h.engine.introspect(try h.tokenRequest(["token": access])).jsonObject) == ["active": false])
            let validation = await h.engine.validateAuthorization(Harness.authorizeParameters(challenge: Harness.pkce().challenge))
            guard case .valid(let request) = validation else { Issue.record("\(validation)"); return }
            #expect(await h.engine.authorize(request, sessionCookie: cookie2) == .login(.accountInactive))
        }
    }

    @Test("a private_key_jwt assertion is used once, and must be addressed, bounded and self-issued")
    func privateKeyJWT() async throws {
        try await Harness.with { h in
            let assertion = try h.assertion()
            func request(_ assertion: String) -> EndpointRequest {
                EndpointRequest(parameters: [
                    "grant_type": "client_credentials",
                    "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion": assertion,
                ], sourceIP: "10.9.9.9")
            }
            #expect(await h.engine.token(request(assertion)).status == 200)
            let replay = await h.engine.token(request(assertion))
            #expect(replay.errorCode == "invalid_client" && replay.status == 400 && replay.headers["WWW-Authenticate"] == nil)
            let failure = try #require(try await h.auditEvents().last).record
            #expect(failure.action == "oauth.client.authentication" && failure.result == .failure)
            #expect(failure.clientID == "jwt-app" && failure.sourceIP == "10.9.9.9" && failure.detail["reason"] == "replayed jti")

            // The issuer as audience is accepted too.
            #expect(await h.engine.token(request(try h.assertion(audience: Harness.issuer))).status == 200)
            for (name, bad) in [
                ("wrong audience", try h.assertion(audience: "https://elsewhere.example/token")),
                ("too long-lived", try h.assertion(lifetime: 3600)),
                ("expired", try h.assertion(lifetime: -120)),
                ("iss is not sub", try h.assertion(issuer: "someone-else")),
                ("another key", try h.assertion(key: try SigningKey.generate(.es256))),
            ] {
                #expect(await h.engine.token(request(bad)).errorCode == "invalid_client", "\(name)")
            }
            // An assertion for a client registered with another method.
            let forPortal = try h.assertion(issuer: "portal", subject: "portal")
            #expect(await h.engine.token(request(forPortal)).errorCode == "invalid_client")
        }
    }

    @Test("a wrong client secret is invalid_client: 401 with a Basic challenge when Basic was used")
    func wrongSecret() async throws {
        try await Harness.with { h in
            let form = ["grant_type": "client_credentials"]
            let basic = await h.engine.token(EndpointRequest(parameters: form, authorization: Harness.basic("service", "n0t-the-secret"), sourceIP: "10.0.0.7"))
            #expect(basic.status == 401 && basic.errorCode == "invalid_client")
            #expect(basic.headers["WWW-Authenticate"] == "Basic realm=\"https://sso.example.gov.vn\", charset=\"UTF-8\"")
            let post = await h.engine.token(EndpointRequest(parameters: form.merging(["client_id": "post-app", "client_secret": "n0t-the-secret"]) { a, _ in a }))
            #expect(post.status == 400 && post.errorCode == "invalid_client" && post.headers["WWW-Authenticate"] == nil)
            let unknown = await h.engine.token(EndpointRequest(parameters: form, authorization: Harness.basic("nobody", "x")))
            #expect(unknown.errorCode == "invalid_client" && unknown.string("error_description") == basic.string("error_description"),
                    "an unknown client reads like a wrong secret")
            let failures = try await h.auditEvents().filter { $0.record.action == "oauth.client.authentication" }
            #expect(failures.count == 3)
            #expect(failures[0].record.actor == "client:service" && failures[0].record.sourceIP == "10.0.0.7")
            #expect(failures.allSatisfy { !$0.record.detail.values.contains { $0.contains("n0t-the-secret") } }, "no secret in the audit trail")
        }
    }

    @Test("only the registered client authentication method is accepted")
    func unregisteredMethod() async throws {
        try await Harness.with { h in
            let form = ["grant_type": "client_credentials"]
            // A client_secret_basic client sending its secret in the body.
            let post = await h.engine.token(EndpointRequest(parameters: form.merging(["client_id": "service", "client_secret": Harness.secret]) { a, _ in a }))
            #expect(post.errorCode == "invalid_client")
            // A confidential client presenting only its id, as a public client would.
            let none = await h.engine.token(EndpointRequest(parameters: form.merging(["client_id": "service"]) { a, _ in a }))
            #expect(none.errorCode == "invalid_client")
            // A public client trying a secret.
            let spa = await h.engine.token(EndpointRequest(parameters: ["grant_type": "refresh_token", "refresh_token": "x"],
                                                           authorization: Harness.basic("spa", "guess")))
            #expect(spa.errorCode == "invalid_client")
            // Two methods at once.
            let both = await h.engine.token(EndpointRequest(parameters: form.merging(["client_secret": Harness.secret]) { a, _ in a },
                                                            authorization: Harness.basic("service", Harness.secret)))
            #expect(both.errorCode == "invalid_request")
            // Nothing at all.
            #expect(await h.engine.token(EndpointRequest(parameters: form)).errorCode == "invalid_client")
        }
    }

    @Test("grant types: unknown ones are unsupported, unregistered ones unauthorized")
    func grantTypes() async throws {
        try await Harness.with { h in
            for grant in ["password", "implicit", "urn:ietf:params:oauth:grant-type:device_code", "token"] {
                let response = await h.engine.token(try h.tokenRequest(["grant_type": grant, "username": "a", "password": "b"]))
                #expect(response.errorCode == "unsupported_grant_type", "\(grant)")
            }
            #expect(await h.engine.token(try h.tokenRequest([:])).errorCode == "invalid_request")
            let service = await h.engine.token(try h.tokenRequest(["grant_type": "refresh_token", "refresh_token": "x"], client: Harness.Clients.service))
            #expect(service.errorCode == "unauthorized_client")
        }
    }
}

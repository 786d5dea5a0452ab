import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehouseServer
import Testing

/// `acr_values`, step-up of a password-only session, and how the second factor meets
/// `prompt` and `max_age`.
@Suite("Second factor: acr_values and step-up")
struct SecondFactorStepUpTests {
    static let mfa = "urn:gatehouse:acr:mfa"

    @Test("discovery advertises both authentication context classes")
    func discovery() async throws {
        try await OIDCHarness.withServer { _, browser in
            let reply = try await browser.get("/.well-known/openid-configuration")
            let metadata = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
            #expect(metadata["acr_values_supported"] as? [String] == ["urn:gatehouse:acr:pwd", Self.mfa])
        }
    }

    @Test("acr_values=mfa steps up a password-only session: login again, enrol, and the same session now says pwd + otp")
    func stepUp() async throws {
        try await OIDCHarness.withServer { h, browser in
            let first = try await browser.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            #expect(first.status == .seeOther)
            let cookie = try #require(browser.cookies["__Host-gh_session"])

            // Without interaction the client learns a login is needed.
            let silent = try await browser.get(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge,
                                                                        extra: [("acr_values", Self.mfa), ("prompt", "none")]))
            #expect(silent.redirectParameters["error"] == "login_required")

            // Another request of the same client without acr_values: SSO, no login.
            let sso = try await browser.get(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            #expect(sso.status == .found && sso.redirectParameters["code"] != nil)

            // With acr_values=mfa: the login page, not a code; then enrolment (the clerk has none).
            let enrolment = try await h.enrol(browser, username: OIDCHarness.User.official, extra: [("acr_values", Self.mfa)])
            #expect(enrolment.callback.status == .seeOther)
            let claims = try await h.idTokenClaims(browser, code: try #require(enrolment.callback.redirectParameters["code"]),
                                                   verifier: enrolment.verifier)
            #expect(claims["acr"] == .string(Self.mfa))
            #expect(claims["amr"] == .array([.string("pwd"), .string("otp")]))
            #expect(browser.cookies["__Host-gh_session"] == cookie, "the session was renewed, not replaced")
            #expect(claims["sid"] == .string(SessionCookie.idHash(of: cookie)))

            // Now enrolled, the clerk is always asked: a new browser gets the code page without acr_values.
            h.nextTimeStep()
            let other = Browser(client: browser.client)
            let page = try await other.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            #expect(page.formAction == "/login/mfa")
        }
    }

    @Test("a session of an account that must use a second factor, made with a password only, must step up")
    func policyStepUp() async throws {
        try await OIDCHarness.withServer { h, browser in
            #expect(try await browser.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge)).status == .seeOther)
            // The clerk becomes a province administrator while the session lives.
            let official = try #require(h.accounts[OIDCHarness.User.official])
            try await h.store.write { tx in
                let hue = try tx.unit(path: try UnitPath("/hue"))
                try tx.insertGrant(RoleGrant(id: UUID(), accountID: official.id, role: "province-admin", unitID: hue.id, createdAt: h.clock.now()))
            }
            let next = try await browser.get(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            #expect(next.redirectParameters["code"] == nil)
            #expect(next.location?.hasPrefix("/login?") == true, "\(next.location ?? "none")")
        }
    }

    @Test("max_age=0 and prompt=login ask for the password and the code again")
    func maxAgeAndPrompt() async throws {
        try await OIDCHarness.withServer { h, browser in
            let enrolment = try await h.enrol(browser)
            #expect(enrolment.callback.status == .seeOther)
            // A live mfa session: SSO without any page.
            let sso = try await browser.get(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            #expect(sso.status == .found && sso.redirectParameters["code"] != nil)
            for extra in [[("max_age", "0")], [("prompt", "login")]] {
                h.nextTimeStep()
                let (verifier, challenge) = OIDCHarness.pkce()
                let page = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge, extra: extra), username: OIDCHarness.User.admin)
                #expect(page.formAction == "/login/mfa", "\(extra)")
                let callback = try await browser.submitCode(page, h.code(enrolment.secret))
                #expect(callback.status == .seeOther)
                let claims = try await h.idTokenClaims(browser, code: try #require(callback.redirectParameters["code"]), verifier: verifier)
                #expect(claims["auth_time"] == .integer(Int64(h.clock.now().timeIntervalSince1970)))
                #expect(claims["acr"] == .string(Self.mfa))
            }
        }
    }

    @Test("a server without second-factor keys answers acr_values=mfa with unmet_authentication_requirements")
    func unmetRequirements() async throws {
        try await OIDCHarness.withServer(secondFactor: false) { h, browser in
            let refused = try await browser.get(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge, extra: [("acr_values", Self.mfa)]))
            #expect(refused.status == .found)
            #expect(refused.location?.hasPrefix(OIDCHarness.redirect("portal")) == true)
            #expect(refused.redirectParameters["error"] == "unmet_authentication_requirements")
            #expect(refused.redirectParameters["state"] == "st-123" && refused.redirectParameters["iss"] == OIDCHarness.issuer)
            let discovery = try await browser.get("/.well-known/openid-configuration")
            let metadata = try #require(try JSONSerialization.jsonObject(with: Data(discovery.body.utf8)) as? [String: Any])
            #expect(metadata["acr_values_supported"] as? [String] == ["urn:gatehouse:acr:pwd"])
            // acr_values that also accept a password are met by one.
            let (verifier, challenge) = OIDCHarness.pkce()
            let both = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge,
                                                                        extra: [("acr_values", "\(Self.mfa) urn:gatehouse:acr:pwd")]))
            #expect(both.status == .seeOther)
            let claims = try await h.idTokenClaims(browser, code: try #require(both.redirectParameters["code"]), verifier: verifier)
            #expect(claims["acr"] == .string("urn:gatehouse:acr:pwd"))
        }
    }
}

import Foundation
import Testing

/// The attacker knows the password but not the code, and tries every way around the code page.
@Suite("Second factor: no way around the code")
struct SecondFactorBypassTests {
    @Test("after the password, the later steps called directly issue nothing: no session, no code, no tokens")
    func skippingTheCodePage() async throws {
        try await OIDCHarness.withServer { h, browser in
            let (_, _, page, next, _) = try await SecondFactorLoginTests.codePage(h, browser)
            let flow = try #require(page.field("flow"))
            let csrf = page.field("csrf") ?? ""
            func refusedWithoutSession(_ reply: Browser.Reply, _ what: String) {
                #expect(reply.location?.hasPrefix(OIDCHarness.redirect("portal")) != true, "\(what) redirected to the client: \(reply.location ?? "")")
                #expect(reply.redirectParameters["code"] == nil, "\(what) issued a code")
                #expect(next.cookies["__Host-gh_session"] == nil, "\(what) opened a session")
            }
            // 1. The continue step (the one after enrolment's recovery codes), with the code page's flow.
            refusedWithoutSession(try await next.post("/login/mfa/continue", form: [("flow", flow), ("csrf", csrf), ("lang", "vi")]), "continue")
            // 2. The enrolment step, as if the account had none: a new secret must not replace the enrolled one.
            let enrol = try await next.post("/login/mfa/enrol", form: [("flow", flow), ("csrf", csrf), ("lang", "vi"), ("code", "000000")])
            refusedWithoutSession(enrol, "enrol")
            #expect(try await h.account(OIDCHarness.User.admin).hasSecondFactor)
            // 3. The code step with no code, or an empty one.
            refusedWithoutSession(try await next.post("/login/mfa", form: [("flow", flow), ("csrf", csrf), ("lang", "vi")]), "no code")
            refusedWithoutSession(try await next.submitCode(page, ""), "empty code")
            // 4. Starting the authorization again: the password step left no session behind.
            let (_, challenge) = OIDCHarness.pkce()
            let again = try await next.openLogin(OIDCHarness.authorizeURI(challenge: challenge))
            #expect(again.status == .ok && again.body.contains("name=\"password\""), "expected the login form again: \(again.status)")
            refusedWithoutSession(again, "authorize")
            // Nothing succeeded in the trail.
            #expect(try await h.audited("login.success").count == 1, "only the enrolling login of codePage")
        }
    }
}

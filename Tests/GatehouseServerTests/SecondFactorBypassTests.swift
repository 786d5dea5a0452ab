import Foundation
import Testing
@testable import GatehouseServer

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

    @Test("wrong codes count against the account and the source like wrong passwords: guessing codes soon shuts the door")
    func guessingCodesIsCutOff() async throws {
        try await OIDCHarness.withServer { h, browser in
            let (secret, _, _, _, _) = try await SecondFactorLoginTests.codePage(h, browser)
            let policy = h.services.loginThrottle.policy
            let bound = min(policy.addressLimit, policy.accountLockAfter)
            var wrongCodes = 0
            var shut = false
            while !shut && wrongCodes <= bound {
                h.clock.advance(by: 120)  // past any delay: only blocks and locks remain
                let next = Browser(client: browser.client)
                let (_, challenge) = OIDCHarness.pkce()
                var page = try await next.login(OIDCHarness.authorizeURI(challenge: challenge), username: OIDCHarness.User.admin)
                guard page.formAction == "/login/mfa" else {
                    // The right password gets the wrong-password page: no code page, no session.
                    #expect(page.formAction == "/login" && next.cookies["__Host-gh_session"] == nil)
                    shut = true
                    break
                }
                while page.formAction == "/login/mfa" {
                    let right = h.code(secret)
                    page = try await next.submitCode(page, String(format: "%06d", (Int(right)! + 500_000) % 1_000_000))
                    wrongCodes += 1
                }
            }
            #expect(shut, "still asked for codes after \(wrongCodes) wrong ones")
            #expect(wrongCodes <= bound, "\(wrongCodes) wrong codes before the door shut; the policy bounds them at \(bound)")
            let reasons = try await h.audited("login.failure").compactMap { $0.detail["reason"] }
            #expect(["throttled", "locked"].contains(reasons.last ?? ""), "\(reasons)")
        }
    }
}

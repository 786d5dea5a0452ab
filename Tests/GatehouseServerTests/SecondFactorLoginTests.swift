import Foundation
import GatehouseCore
import GatehouseMFA
import GatehouseOAuth
import GatehouseServer
import Testing

/// Logging in with an enrolled second factor, through the real pages over HTTP: codes,
/// replays, stale codes, recovery codes, the attempt limit.
@Suite("Second factor: codes at login")
struct SecondFactorLoginTests {
    /// Enrols the administrator in one browser and returns a fresh browser at its code page,
    /// one time step later.
    static func codePage(_ h: OIDCHarness, _ browser: Browser) async throws -> (secret: TOTPSecret, recoveryCodes: [String], page: Browser.Reply,
                                                                                 next: Browser, verifier: String) {
        let enrolment = try await h.enrol(browser)
        h.nextTimeStep()
        let next = Browser(client: browser.client)
        let (verifier, challenge) = OIDCHarness.pkce()
        let page = try await next.login(OIDCHarness.authorizeURI(challenge: challenge), username: OIDCHarness.User.admin)
        #expect(page.status == .ok && page.formAction == "/login/mfa", "expected the code page: \(page.body)")
        #expect(next.cookies["__Host-gh_session"] == nil, "no session before the code")
        return (enrolment.secret, enrolment.recoveryCodes, page, next, verifier)
    }

    @Test("the next login asks for the code; typed with a space it is accepted and the tokens say pwd + otp")
    func nextLoginAsksForTheCode() async throws {
        try await OIDCHarness.withServer { h, browser in
            let (secret, _, page, next, verifier) = try await Self.codePage(h, browser)
            #expect(page.body.contains("autocomplete=\"one-time-code\"") && !page.body.lowercased().contains("<script"))
            let code = h.code(secret)
            let callback = try await next.submitCode(page, String(code.prefix(3)) + " " + String(code.suffix(3)))
            #expect(callback.status == .seeOther, "\(callback.body)")
            #expect(callback.location?.hasPrefix(OIDCHarness.redirect("portal")) == true)
            let claims = try await h.idTokenClaims(next, code: try #require(callback.redirectParameters["code"]), verifier: verifier)
            #expect(claims["amr"] == .array([.string("pwd"), .string("otp")]))
            #expect(claims["acr"] == .string("urn:gatehouse:acr:mfa"))
            let stored = try await h.account(OIDCHarness.User.admin)
            #expect(stored.mfaLastStep == TOTP.standard.timeStep(at: h.clock.now()))
            #expect(try await h.audited("login.success").map { $0.detail["method"] } == ["password+totp", "password+totp"])
        }
    }

    @Test("a wrong code is refused and audited; no session")
    func wrongCode() async throws {
        try await OIDCHarness.withServer { h, browser in
            let (secret, _, page, next, _) = try await Self.codePage(h, browser)
            let right = h.code(secret)
            let wrongCode = String(format: "%06d", (Int(right)! + 1) % 1_000_000)
            let refused = try await next.submitCode(page, wrongCode)
            #expect(refused.status == .ok && refused.formAction == "/login/mfa")
            #expect(refused.body.contains("Mã không đúng hoặc đã được dùng. Bạn còn 4 lần thử."))
            #expect(next.cookies["__Host-gh_session"] == nil && refused.location == nil)
            let failures = try await h.audited("login.mfa.failure")
            #expect(failures.count == 1)
            #expect(failures[0].detail["reason"] == "invalid_code" && failures[0].detail["step"] == "verify")
            #expect(failures[0].target == h.accounts[OIDCHarness.User.admin]?.id.uuidString.lowercased())
            #expect(failures[0].sourceIP != nil)
            #expect(try await h.account(OIDCHarness.User.admin).mfaFailures == 1)
            // Not a code at all: refused the same way.
            #expect(try await next.submitCode(page, "<script>").formAction == "/login/mfa")
            // The right code still works, and clears the count.
            #expect(try await next.submitCode(page, right).status == .seeOther)
            #expect(try await h.account(OIDCHarness.User.admin).mfaFailures == 0)
        }
    }

    @Test("a code is accepted once: replayed in another login it is refused, and so is any code of an earlier step")
    func replayedCode() async throws {
        try await OIDCHarness.withServer { h, browser in
            let (secret, _, page, next, _) = try await Self.codePage(h, browser)
            let code = h.code(secret)
            #expect(try await next.submitCode(page, code).status == .seeOther)

            let third = Browser(client: browser.client)
            let again = try await third.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge), username: OIDCHarness.User.admin)
            let replay = try await third.submitCode(again, code)
            #expect(replay.status == .ok && replay.formAction == "/login/mfa")
            #expect(third.cookies["__Host-gh_session"] == nil)
            // The previous step's code is inside the tolerance window, but older than the last accepted.
            let previous = try await third.submitCode(again, h.code(secret, steps: -1))
            #expect(previous.formAction == "/login/mfa")
            #expect(try await h.audited("login.mfa.failure").map { $0.detail["reason"] } == ["replayed_code", "replayed_code"])
            // The next step's code works.
            h.nextTimeStep()
            #expect(try await third.submitCode(again, h.code(secret)).status == .seeOther)
        }
    }

    @Test("two logins racing with the same code: exactly one is accepted")
    func racingReplay() async throws {
        try await OIDCHarness.withServer { h, browser in
            let (secret, _, page, next, _) = try await Self.codePage(h, browser)
            let other = Browser(client: browser.client)
            let otherPage = try await other.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge), username: OIDCHarness.User.admin)
            let code = h.code(secret)
            async let first = next.submitCode(page, code)
            async let second = other.submitCode(otherPage, code)
            let replies = try await [first, second]
            #expect(replies.filter { $0.status == .seeOther }.count == 1, "\(replies.map(\.status))")
            #expect(replies.filter { $0.status == .seeOther && $0.redirectParameters["code"] != nil }.count == 1)
        }
    }

    @Test("a code from two time steps ago is refused; one from the step before is accepted")
    func staleCode() async throws {
        try await OIDCHarness.withServer { h, browser in
            let (secret, _, page, next, _) = try await Self.codePage(h, browser)
            h.nextTimeStep()
            h.nextTimeStep()
            h.clock.advance(by: 5)
            let stale = try await next.submitCode(page, h.code(secret, steps: -2))
            #expect(stale.formAction == "/login/mfa")
            #expect(try await h.audited("login.mfa.failure").last?.detail["reason"] == "invalid_code")
            #expect(try await next.submitCode(page, h.code(secret, steps: -1)).status == .seeOther, "one step of tolerance (RFC 6238 §5.2)")
        }
    }

    @Test("a recovery code works once and only once, is consumed and audited")
    func recoveryCodeOnce() async throws {
        try await OIDCHarness.withServer { h, browser in
            let (_, codes, page, next, verifier) = try await Self.codePage(h, browser)
            let typed = codes[3].lowercased().replacingOccurrences(of: "-", with: " ")
            let callback = try await next.submitCode(page, typed)
            #expect(callback.status == .seeOther, "\(callback.body)")
            let claims = try await h.idTokenClaims(next, code: try #require(callback.redirectParameters["code"]), verifier: verifier)
            #expect(claims["amr"] == .array([.string("pwd"), .string("otp")]))
            #expect(try await h.account(OIDCHarness.User.admin).mfaRecoveryCodes.count == 9)
            let used = try #require(try await h.audited("login.mfa.recovery").first)
            #expect(used.detail["remaining"] == "9")
            #expect(try await h.audited("login.success").last?.detail["method"] == "password+recovery_code")

            let third = Browser(client: browser.client)
            let again = try await third.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge), username: OIDCHarness.User.admin)
            let reused = try await third.submitCode(again, codes[3])
            #expect(reused.status == .ok && reused.formAction == "/login/mfa")
            #expect(third.cookies["__Host-gh_session"] == nil)
            #expect(try await h.audited("login.mfa.failure").last?.detail["reason"] == "invalid_recovery_code")
            #expect(try await h.account(OIDCHarness.User.admin).mfaRecoveryCodes.count == 9)
            #expect(try await third.submitCode(again, codes[4]).status == .seeOther, "another code still works")
        }
    }

    @Test("a sealed secret copied into another account's row does not open there: no session")
    func copiedSecret() async throws {
        try await OIDCHarness.withServer { h, browser in
            let enrolment = try await h.enrol(browser)
            h.nextTimeStep()
            let admin = try await h.account(OIDCHarness.User.admin)
            let target = try await h.account(OIDCHarness.User.unitMember)
            try await h.store.write { tx in
                var copy = try tx.account(id: target.id)
                copy.mfaSecret = admin.mfaSecret
                try tx.updateAccount(copy)
            }
            let other = Browser(client: browser.client)
            let page = try await other.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge), username: OIDCHarness.User.unitMember)
            #expect(page.formAction == "/login/mfa")
            let refused = try await other.submitCode(page, h.code(enrolment.secret))
            #expect(refused.status == .internalServerError && refused.location == nil)
            #expect(other.cookies["__Host-gh_session"] == nil)
        }
    }

    @Test("five wrong codes end the flow: the login starts again, and an older copy of the flow token gains nothing")
    func attemptLimit() async throws {
        try await OIDCHarness.withServer { h, browser in
            let (secret, _, page, next, _) = try await Self.codePage(h, browser)
            var last = page
            for attempt in 1...5 {
                last = try await next.submitCode(page, "00000\(attempt)")
                #expect(attempt == 5 ? last.formAction == "/login" : last.formAction == "/login/mfa", "attempt \(attempt)")
            }
            #expect(last.body.contains("Bạn đã nhập sai mã quá nhiều lần. Hãy đăng nhập lại."))
            #expect(try await h.audited("login.mfa.failure").count == 5)
            // The right code with the same (or any earlier) token: still the login form, audited.
            let late = try await next.submitCode(page, h.code(secret))
            #expect(late.formAction == "/login" && next.cookies["__Host-gh_session"] == nil)
            #expect(try await h.audited("login.mfa.failure").last?.detail["reason"] == "attempts_exhausted")
            // Signing in again from the password gives a new flow, once the delay the wrong codes
            // earned has passed (they count against the account like wrong passwords).
            h.clock.advance(by: 60)
            let fresh = try await next.submitLogin(last, username: OIDCHarness.User.admin, password: OIDCHarness.password)
            #expect(fresh.formAction == "/login/mfa")
            #expect(try await next.submitCode(fresh, h.code(secret)).status == .seeOther)
        }
    }
}

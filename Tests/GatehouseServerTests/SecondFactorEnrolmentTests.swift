import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseJOSE
import GatehouseMFA
import GatehouseOAuth
import GatehouseServer
import Testing

/// Enrolling a second factor inside the login, through the real pages over HTTP.
@Suite("Second factor: enrolment at login")
struct SecondFactorEnrolmentTests {
    @Test("an administrator without a second factor enrols inside the login: QR, secret, first code, recovery codes once, mfa tokens")
    func enrolmentInsideLogin() async throws {
        try await OIDCHarness.withServer { h, browser in
            let (verifier, challenge) = OIDCHarness.pkce()
            let page = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge), username: OIDCHarness.User.admin)
            #expect(page.status == .ok)
            #expect(page.formAction == "/login/mfa/enrol")
            #expect(browser.cookies["__Host-gh_session"] == nil, "no session before the second factor")
            #expect(try await h.audited("login.success").isEmpty)

            // The secret three ways, drawn on the server: QR as inline SVG, grouped base32, otpauth URI.
            let secret = try #require(page.enrolmentSecret)
            #expect(page.body.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(!page.body.contains("<?xml"), "inline, not a document")
            #expect(!page.body.lowercased().contains("<script"))
            let csp = try #require(page.headers[.contentSecurityPolicy])
            #expect(!csp.contains("script-src") && csp.contains("default-src 'none'"), "\(csp)")
            let grouped = try #require(page.texts(between: "<code class=\"secret\">", and: "</code>").first)
            #expect(grouped.split(separator: " ").allSatisfy { $0.count <= 4 } && grouped.contains(" "))
            let uri = try #require(page.otpauthURI)
            #expect(uri == OTPAuthURI.totp(issuer: "Gatehouse", account: OIDCHarness.User.admin, secret: secret))
            // The flow token carries the secret sealed: neither base32 nor bytes readable in it.
            let flow = try #require(page.field("flow"))
            let payload = String(decoding: Base64URLTest.decode(String(flow.split(separator: ".")[0])), as: UTF8.self)
            #expect(payload.contains("pendingSecret") && !payload.contains(secret.base32))
            #expect(!payload.contains(Base64URLTest.encode(secret.bytes)))

            // A wrong first code: refused, audited, same secret shown again, still no session.
            let wrong = try await browser.submitCode(page, h.code(secret, steps: 3))
            #expect(wrong.status == .ok && wrong.formAction == "/login/mfa/enrol")
            #expect(wrong.enrolmentSecret?.base32 == secret.base32)
            #expect(wrong.body.contains("Mã không đúng hoặc đã được dùng. Bạn còn 4 lần thử."))
            #expect(browser.cookies["__Host-gh_session"] == nil)
            let failure = try #require(try await h.audited("login.mfa.failure").first)
            #expect(failure.detail["step"] == "enrol" && failure.detail["reason"] == "invalid_code" && failure.result == .failure)

            // The right code: the second factor is stored, the session exists, the codes are shown once.
            let shown = try await browser.submitCode(page, h.code(secret))
            #expect(shown.status == .ok && shown.formAction == "/login/mfa/continue")
            let codes = shown.recoveryCodes
            #expect(codes.count == 10 && Set(codes).count == 10)
            #expect(codes.allSatisfy { RecoveryCode($0) != nil && $0.count == 11 })
            #expect(shown.setCookies.contains { $0.hasPrefix("__Host-gh_session=") })
            let stored = try await h.account(OIDCHarness.User.admin)
            #expect(stored.hasSecondFactor && stored.mfaRecoveryCodes.count == 10 && stored.mfaFailures == 0)
            #expect(stored.mfaLastStep == TOTP.standard.timeStep(at: h.clock.now()))
            #expect(codes.allSatisfy { code in !stored.mfaRecoveryCodes.contains { $0.contains(code.replacingOccurrences(of: "-", with: "")) } })
            let enrolled = try #require(try await h.audited("account.mfa.enrol").first)
            #expect(enrolled.detail["recovery_codes"] == "10")
            #expect(try await h.audited("login.success").map { $0.detail["method"] } == ["password+totp"])

            // The same enrolment form again (back button, resubmit): refused, the codes never shown twice.
            let again = try await browser.submitCode(page, h.code(secret, steps: 1))
            #expect(again.status == .badRequest && again.recoveryCodes.isEmpty)

            // Continue: the client gets its code; the ID token says pwd + otp and the mfa class.
            let callback = try await browser.submitForm(shown)
            #expect(callback.status == .seeOther && callback.redirectParameters["state"] == "st-123")
            let claims = try await h.idTokenClaims(browser, code: try #require(callback.redirectParameters["code"]), verifier: verifier)
            #expect(claims["amr"] == .array([.string("pwd"), .string("otp")]))
            #expect(claims["acr"] == .string("urn:gatehouse:acr:mfa"))
            #expect(claims["auth_time"] == .integer(Int64(h.clock.now().timeIntervalSince1970)))
        }
    }

    @Test("an account in a unit that requires a second factor enrols too; one that need not is never asked")
    func unitRequirementAndOptional() async throws {
        try await OIDCHarness.withServer { h, browser in
            browser.setAcceptLanguage("en")
            let page = try await browser.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge),
                                               username: OIDCHarness.User.unitMember)
            #expect(page.formAction == "/login/mfa/enrol", "\(OIDCHarness.secondFactorUnit) requires it")
            #expect(page.body.contains("<html lang=\"en\">") && page.body.contains("<h1>Set up two-step verification</h1>"))

            let other = Browser(client: browser.client)
            let (verifier, challenge) = OIDCHarness.pkce()
            let callback = try await other.login(OIDCHarness.authorizeURI(challenge: challenge))
            #expect(callback.status == .seeOther, "a clerk of another unit, not enrolled: password only")
            let claims = try await h.idTokenClaims(other, code: try #require(callback.redirectParameters["code"]), verifier: verifier)
            #expect(claims["amr"] == .array([.string("pwd")]))
            #expect(claims["acr"] == .string("urn:gatehouse:acr:pwd"))
            #expect(try await h.audited("login.success").map { $0.detail["method"] } == ["password"])
        }
    }

    @Test("the secret at rest is sealed: it opens only with the key and the account's own id")
    func secretAtRest() async throws {
        try await OIDCHarness.withServer { h, browser in
            let enrolment = try await h.enrol(browser)
            let account = try await h.account(OIDCHarness.User.admin)
            let sealed = String(decoding: try #require(account.mfaSecret), as: UTF8.self)
            #expect(sealed.hasPrefix("v1."))
            #expect(!sealed.contains(enrolment.secret.base32) && !sealed.contains(Base64URLTest.encode(enrolment.secret.bytes)))
            #expect(account.mfaSecret != enrolment.secret.bytes)

            let key = try #require(h.mfaKey)
            let opened = try MFASecretBox(key: key).open(sealed, accountID: account.id.uuidString.lowercased())
            #expect(opened.bytes == enrolment.secret.bytes)
            let other = try #require(h.accounts[OIDCHarness.User.official])
            #expect(throws: MFASecretBoxError.cannotOpen) {
                try MFASecretBox(key: key).open(sealed, accountID: other.id.uuidString.lowercased())
            }
            #expect(throws: MFASecretBoxError.cannotOpen) {
                try MFASecretBox(key: SecureRandomBytes.make(32)).open(sealed, accountID: account.id.uuidString.lowercased())
            }
            // The recovery codes are stored as keyed hashes, not as the codes or their plain SHA-256.
            for code in enrolment.recoveryCodes {
                let normalized = try #require(RecoveryCode(code)).normalized
                #expect(!account.mfaRecoveryCodes.contains(normalized))
                #expect(!account.mfaRecoveryCodes.contains(Digest.sha256(normalized).hexString))
            }
        }
    }

    @Test("the enrolment flow token cannot be altered, replayed at another step, or used by another browser")
    func enrolmentFlowTampering() async throws {
        try await OIDCHarness.withServer { h, browser in
            let page = try await browser.login(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge),
                                               username: OIDCHarness.User.admin)
            let secret = try #require(page.enrolmentSecret)
            let flow = try #require(page.field("flow"))
            let parts = flow.split(separator: ".").map(String.init)
            // Another account's id in the payload, MAC kept.
            var json = String(decoding: Base64URLTest.decode(parts[0]), as: UTF8.self)
            let admin = try #require(h.accounts[OIDCHarness.User.admin]).id.uuidString
            let official = try #require(h.accounts[OIDCHarness.User.official]).id.uuidString
            json = json.replacingOccurrences(of: admin, with: official)
            let forged = Base64URLTest.encode(Array(json.utf8)) + "." + parts[1]
            #expect(try await browser.submitCode(page, h.code(secret), flow: forged).status == .badRequest)
            // The enrolment token at the code step.
            let misplaced = try await browser.post("/login/mfa", form: [
                ("flow", flow), ("csrf", page.field("csrf") ?? ""), ("code", h.code(secret)),
            ])
            #expect(misplaced.status == .badRequest)
            // Another browser with its own CSRF cookie.
            let thief = Browser(client: browser.client)
            _ = try await thief.openLogin(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            let stolen = try await thief.post("/login/mfa/enrol", form: [
                ("flow", flow), ("csrf", thief.cookies["__Host-gh_csrf"] ?? ""), ("code", h.code(secret)),
            ])
            #expect(stolen.status == .badRequest)
            // No CSRF field: 403.
            let noCSRF = try await browser.post("/login/mfa/enrol", form: [("flow", flow), ("code", h.code(secret))])
            #expect(noCSRF.status == .forbidden)
            #expect(!(try await h.account(OIDCHarness.User.admin)).hasSecondFactor, "nothing stored")
            #expect(browser.cookies["__Host-gh_session"] == nil && thief.cookies["__Host-gh_session"] == nil)
            // The untouched token still works.
            #expect(try await browser.submitCode(page, h.code(secret)).formAction == "/login/mfa/continue")
        }
    }
}

/// Random bytes for a key that is not the server's.
enum SecureRandomBytes {
    static func make(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255) } }
}

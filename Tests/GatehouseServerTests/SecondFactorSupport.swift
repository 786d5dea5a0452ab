import Foundation
import GatehouseCore
import GatehouseJOSE
import GatehouseMFA
import GatehouseOAuth
import Testing

/// Reading the second-factor pages and driving them as a person with an authenticator app
/// would: the secret is taken from the enrolment page's text, codes are computed with
/// GatehouseMFA's TOTP at the harness clock's time.
extension Browser.Reply {
    /// The text between `open` and the next `close`, each occurrence in order.
    func texts(between open: String, and close: String) -> [String] {
        var found: [String] = []
        var rest = body[...]
        while let start = rest.range(of: open), let end = rest[start.upperBound...].range(of: close) {
            found.append(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return found
    }

    /// The secret the enrolment page shows for typing (grouped base32).
    var enrolmentSecret: TOTPSecret? {
        texts(between: "<code class=\"secret\">", and: "</code>").first.flatMap { TOTPSecret(base32: $0) }
    }

    /// The `otpauth://` URI the enrolment page shows, unescaped.
    var otpauthURI: String? {
        texts(between: "<code>otpauth://", and: "</code>").first.map { "otpauth://" + $0.replacingOccurrences(of: "&amp;", with: "&") }
    }

    /// The recovery codes the page lists.
    var recoveryCodes: [String] { texts(between: "<li><code>", and: "</code></li>") }

    /// Which page this is, by the form it posts to.
    var formAction: String? { texts(between: "<form method=\"post\" action=\"", and: "\"").first }
}

extension OIDCHarness {
    /// The TOTP code of `secret` at the harness clock, `steps` time steps away.
    func code(_ secret: TOTPSecret, steps: Int = 0) -> String {
        TOTP.code(secret: secret, at: clock.now() + Double(steps * TOTP.standard.period))
    }

    /// Moves the clock to the start of the next TOTP time step, so a new code exists.
    func nextTimeStep() {
        let period = Double(TOTP.standard.period)
        let now = clock.now().timeIntervalSince1970
        clock.set(Date(timeIntervalSince1970: ((now / period).rounded(.down) + 1) * period))
    }

    /// The claims of the ID token `code` redeems to, verified against `/jwks`.
    func idTokenClaims(_ browser: Browser, code: String, verifier: String) async throws -> JWTClaims {
        let tokens = try await browser.redeem(code, verifier: verifier)
        let idToken = try #require(tokens["id_token"] as? String)
        return try JWTVerifier(keys: try await publishedKeys(browser), allowedAlgorithms: [.rs256, .es256],
                               validator: JWTValidator(issuer: OIDCHarness.issuer, audience: "portal"))
            .verify(idToken, now: clock.now()).claims
    }

    /// The audit records of `action`, oldest first.
    func audited(_ action: String) async throws -> [AuditRecord] {
        try await auditEvents().map(\.record).filter { $0.action == action }
    }

    /// Logs `username` in through a new authorization request and enrols a second factor:
    /// password, enrolment page, first code, recovery codes, continue. Returns the secret, the
    /// recovery codes, the redirect to the client and the PKCE verifier.
    func enrol(_ browser: Browser, username: String = User.admin, extra: [(String, String)] = []) async throws
        -> (secret: TOTPSecret, recoveryCodes: [String], callback: Browser.Reply, verifier: String)
    {
        let (verifier, challenge) = OIDCHarness.pkce()
        let enrolment = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge, extra: extra), username: username)
        #expect(enrolment.formAction == "/login/mfa/enrol", "expected the enrolment page: \(enrolment.status) \(enrolment.body)")
        let secret = try #require(enrolment.enrolmentSecret)
        let shown = try await browser.submitCode(enrolment, code(secret))
        #expect(shown.formAction == "/login/mfa/continue", "expected the recovery codes: \(shown.status) \(shown.body)")
        let codes = shown.recoveryCodes
        let callback = try await browser.submitForm(shown)
        return (secret, codes, callback, verifier)
    }
}

extension Browser {
    /// Posts the second-factor or enrolment form of `page` with `code`.
    func submitCode(_ page: Reply, _ code: String, flow: String? = nil) async throws -> Reply {
        try await post(page.formAction ?? "/login/mfa", form: [
            ("flow", flow ?? page.field("flow") ?? ""), ("csrf", page.field("csrf") ?? ""), ("lang", page.field("lang") ?? "vi"),
            ("code", code),
        ])
    }

    /// Posts the form of `page` with its hidden fields only.
    func submitForm(_ page: Reply) async throws -> Reply {
        try await post(page.formAction ?? "", form: [
            ("flow", page.field("flow") ?? ""), ("csrf", page.field("csrf") ?? ""), ("lang", page.field("lang") ?? "vi"),
        ])
    }
}

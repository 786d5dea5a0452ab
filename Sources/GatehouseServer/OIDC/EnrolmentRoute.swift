import GatehouseCore
import GatehouseOAuth
import Hummingbird

/// `POST /login/mfa/enrol`: enrolling a second factor (RFC 6238 TOTP) inside a login, for an
/// account that must use one (``SecondFactorPolicy``: its roles, its unit, or the client's
/// `acr_values`) and has none.
///
/// The enrolment page exists only in the answer to a correct password. It shows the new secret
/// three ways, all drawn on the server: a QR code (inline SVG, no script), the base32 secret in
/// groups of four, and the `otpauth://` URI. The secret travels in the flow token sealed with
/// AES-256-GCM, bound to the account; nothing is stored until the first code confirms it. The
/// post takes `flow`, `csrf` and `code`:
/// - CSRF and flow token checked as on the other steps (403, 400);
/// - a valid code of the new secret: the secret is stored sealed for the account's row, ten
///   recovery codes are issued (their keyed hashes stored), the SSO session is created with
///   `amr` `["pwd", "otp"]`, and the recovery codes are shown, once, with a button that goes on
///   to the application (``ResumeRoute``);
/// - a wrong code: audited, the page again with the same secret; after
///   ``SecondFactorAttempts/limit`` wrong codes the login form again.
struct EnrolmentRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        router.post(RouterPath(services.paths.loginEnrolment)) { request, context in
            await confirm(BrowserRequest(services, request, context))
        }
    }

    private func confirm(_ browser: BrowserRequest) async -> Response {
        let form: [String: String]
        switch await browser.readForm(browser.language()) {
        case .success(let parameters): form = parameters
        case .failure(let refusal): return refusal.response
        }
        guard let csrf = browser.verifiedCSRF(form) else { return browser.csrfRefused(browser.language(explicit: form["lang"])) }
        guard let token = form["flow"], let flow = services.sealer.open(token, csrf: csrf, step: .enrolment, now: services.clock.now()),
              let authorization = flow.request, let accountID = flow.accountID, let baseline = flow.failureBaseline,
              let sealed = flow.pendingSecret, let secret = services.openPendingSecondFactor(sealed, accountID: accountID)
        else { return browser.flowRefused(browser.language(explicit: form["lang"])) }
        let language = browser.language(explicit: form["lang"], uiLocales: authorization.uiLocales)

        let outcome: EnrolmentOutcome
        do {
            outcome = try await services.confirmEnrolment(accountID: accountID, secret: secret, typed: form["code"] ?? "", baseline: baseline,
                                                          previousCookie: browser.sessionCookie, sourceIP: browser.clientIP)
        } catch {
            browser.logger.error("second factor: enrolment not stored", metadata: ["error": .string(String(describing: error))])
            return browser.busy(language)
        }
        switch outcome {
        case .enrolled(let cookie, let codes):
            let state = FlowState(step: .resume, expires: browser.expiry(.resume), request: authorization,
                                  sessionID: SessionCookie.idHash(of: cookie), fresh: true)
            let page = Pages.recoveryCodes(action: services.paths.loginResume,
                                           form: .init(flow: services.sealer.seal(state, csrf: csrf), csrf: csrf, language: language),
                                           codes: codes, formTarget: authorization.redirectURI)
            return page.response().setting(cookies: [services.cookies.setSession(cookie)])
        case .refused(let remaining):
            let account: Account?
            do { account = try await services.store.read { tx in try? tx.account(id: accountID) } } catch { return browser.busy(language) }
            guard let account else { return browser.flowRefused(language) }
            return browser.enrolmentPage(token: token, csrf: csrf, account: account, secret: secret, authorization: authorization,
                                         language: language, error: Texts.of(language).wrongCode(remaining: remaining))
        case .exhausted:
            return browser.restartLogin(authorization, csrf: csrf, language: language)
        case .void:
            return browser.flowRefused(language)
        }
    }
}

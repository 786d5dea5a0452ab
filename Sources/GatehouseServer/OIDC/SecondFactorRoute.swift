import GatehouseCore
import GatehouseOAuth
import Hummingbird

/// `POST /login/mfa`: the second factor (RFC 6238 TOTP) of a login whose password was right.
///
/// The page exists only in the answer to a correct password (and any forced change), for an
/// account that has enrolled a second factor, or must use one (``SecondFactorPolicy``) and has
/// enrolled through ``EnrolmentRoute``. The post takes `flow`, `csrf` and `code`:
/// - no CSRF token, or one that differs from the CSRF cookie: 403, nothing done;
/// - a flow token altered, expired, bound to another browser or of another step: 400;
/// - six digits (spaces ignored) that are the account's TOTP code one step either side of now
///   and of a later step than the last one accepted, or one of its unused recovery codes:
///   the SSO session is created with `amr` `["pwd", "otp"]` and the authorization completes
///   (``OIDCServices/verifySecondFactor(accountID:typed:baseline:previousCookie:sourceIP:)``);
/// - anything else: audited `login.mfa.failure`, the page again with the attempts left; after
///   ``SecondFactorAttempts/limit`` wrong codes the login form again, from the password.
struct SecondFactorRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        router.post(RouterPath(services.paths.loginSecondFactor)) { request, context in
            await verify(BrowserRequest(services, request, context))
        }
    }

    private func verify(_ browser: BrowserRequest) async -> Response {
        let form: [String: String]
        switch await browser.readForm(browser.language()) {
        case .success(let parameters): form = parameters
        case .failure(let refusal): return refusal.response
        }
        guard let csrf = browser.verifiedCSRF(form) else { return browser.csrfRefused(browser.language(explicit: form["lang"])) }
        guard let token = form["flow"], let flow = services.sealer.open(token, csrf: csrf, step: .secondFactor, now: services.clock.now()),
              let authorization = flow.request, let accountID = flow.accountID, let baseline = flow.failureBaseline
        else { return browser.flowRefused(browser.language(explicit: form["lang"])) }
        let language = browser.language(explicit: form["lang"], uiLocales: authorization.uiLocales)

        let outcome: SecondFactorOutcome
        do {
            outcome = try await services.verifySecondFactor(accountID: accountID, typed: form["code"] ?? "", baseline: baseline,
                                                            previousCookie: browser.sessionCookie, sourceIP: browser.clientIP)
        } catch {
            browser.logger.error("second factor: not checked", metadata: ["error": .string(String(describing: error))])
            return browser.busy(language)
        }
        switch outcome {
        case .accepted(let cookie):
            return await browser.completeAfterSecondFactor(authorization, cookie: cookie, language: language)
        case .refused(let remaining):
            return browser.secondFactorPage(token: token, csrf: csrf, authorization: authorization, language: language,
                                            error: Texts.of(language).wrongCode(remaining: remaining))
        case .exhausted:
            return browser.restartLogin(authorization, csrf: csrf, language: language)
        case .void:
            return browser.flowRefused(language)
        case .unreadableSecret:
            browser.logger.error("second factor: the stored secret does not open with this node's key",
                                 metadata: ["account": .string(accountID.uuidString.lowercased())])
            return browser.errorPage(language, .internalServerError, Texts.of(language).busy)
        }
    }
}

import Foundation
import GatehouseCore
import GatehouseMFA
import GatehouseOAuth
import Hummingbird

/// Entering the second-factor step of a login, and leaving it when it cannot go on; shared by
/// ``SecondFactorRoute`` and ``EnrolmentRoute``.
extension BrowserRequest {
    /// After the password of `account` (and any forced change): the code page for `.verify`,
    /// the enrolment page with a new secret for `.enrol`. No session exists yet; the flow
    /// token names the account, carries its count of wrong codes, is bound to the CSRF cookie
    /// and, for an enrolment, holds the new secret sealed.
    func beginSecondFactor(_ step: SecondFactorStep, account: Account, authorization: AuthorizationRequest, language: Language) -> Response {
        let (csrf, csrfCookies) = csrfToken()
        let flowStep: FlowState.Step = step == .verify ? .secondFactor : .enrolment
        var state = FlowState(step: flowStep, expires: expiry(flowStep), request: authorization, accountID: account.id,
                              failureBaseline: account.mfaFailures)
        if step == .verify {
            let token = services.sealer.seal(state, csrf: csrf)
            return secondFactorPage(token: token, csrf: csrf, authorization: authorization, language: language, error: nil)
                .setting(cookies: csrfCookies)
        }
        guard let pending = services.pendingSecondFactor(accountID: account.id) else { return flowRefused(language) }
        state.pendingSecret = pending.sealed
        let token = services.sealer.seal(state, csrf: csrf)
        return enrolmentPage(token: token, csrf: csrf, account: account, secret: pending.secret, authorization: authorization,
                             language: language, error: nil).setting(cookies: csrfCookies)
    }

    /// The code page of a sealed second-factor flow.
    func secondFactorPage(token: String, csrf: String, authorization: AuthorizationRequest, language: Language, error: String?) -> Response {
        Pages.secondFactor(action: services.paths.loginSecondFactor, form: .init(flow: token, csrf: csrf, language: language), error: error,
                           formTarget: authorization.redirectURI).response()
    }

    /// The enrolment page of a sealed enrolment flow, for `secret`.
    func enrolmentPage(token: String, csrf: String, account: Account, secret: TOTPSecret, authorization: AuthorizationRequest,
                       language: Language, error: String?) -> Response {
        let uri = OTPAuthURI.totp(issuer: services.secondFactorIssuer, account: account.username.value, secret: secret)
        return Pages.enrolment(action: services.paths.loginEnrolment, form: .init(flow: token, csrf: csrf, language: language),
                               secret: secret, otpauthURI: uri, error: error, formTarget: authorization.redirectURI).response()
    }

    /// A flow out of attempts: the login form again, for the same request, saying why.
    func restartLogin(_ authorization: AuthorizationRequest, csrf: String, language: Language) -> Response {
        let state = FlowState(step: .login, expires: expiry(.login), request: authorization)
        return loginPage(token: services.sealer.seal(state, csrf: csrf), authorization: authorization, csrf: csrf, language: language,
                         username: nil, error: Texts.of(language).tooManyCodes)
    }

    /// Completes `authorization` with the session a second factor just established (or renewed).
    func completeAfterSecondFactor(_ authorization: AuthorizationRequest, cookie: String, language: Language) async -> Response {
        let decision = await services.engine.authorize(authorization, sessionCookie: cookie, freshAuthentication: true, sourceIP: clientIP)
        return respond(to: decision, for: authorization, sessionCookie: cookie, fresh: true, language: language, afterPost: true,
                       setCookies: [services.cookies.setSession(cookie)])
    }
}

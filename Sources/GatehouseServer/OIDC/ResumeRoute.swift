import GatehouseOAuth
import Hummingbird

/// `POST /login/mfa/continue`: the button under the recovery codes of a new enrolment. The flow
/// token carries the authorization request and the session the enrolment created; it counts
/// only from the browser holding that session, and completes the request as a fresh
/// authentication (the user authenticated during this interaction).
struct ResumeRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        router.post(RouterPath(services.paths.loginResume)) { request, context in
            await resume(BrowserRequest(services, request, context))
        }
    }

    private func resume(_ browser: BrowserRequest) async -> Response {
        let form: [String: String]
        switch await browser.readForm(browser.language()) {
        case .success(let parameters): form = parameters
        case .failure(let refusal): return refusal.response
        }
        guard let csrf = browser.verifiedCSRF(form) else { return browser.csrfRefused(browser.language(explicit: form["lang"])) }
        guard let token = form["flow"], let flow = services.sealer.open(token, csrf: csrf, step: .resume, now: services.clock.now()),
              let authorization = flow.request,
              let cookie = browser.sessionCookie, flow.sessionID == SessionCookie.idHash(of: cookie)
        else { return browser.flowRefused(browser.language(explicit: form["lang"])) }
        let language = browser.language(explicit: form["lang"], uiLocales: authorization.uiLocales)
        let decision = await services.engine.authorize(authorization, sessionCookie: cookie, freshAuthentication: true, sourceIP: browser.clientIP)
        return browser.respond(to: decision, for: authorization, sessionCookie: cookie, fresh: true, language: language, afterPost: true)
    }
}

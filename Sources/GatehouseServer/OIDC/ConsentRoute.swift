import GatehouseOAuth
import Hummingbird

/// The consent page, `GET` and `POST /consent`, shown only when the request says
/// `prompt=consent` (clients are registered centrally and need no consent otherwise).
///
/// The flow token carries the authorization request and the session it was asked in; the
/// answer counts only from the browser holding that session. "Allow" completes the request with
/// `consentGiven` (stored by the engine); "Deny" sends `access_denied` to the client.
struct ConsentRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        let path = RouterPath(services.paths.consent)
        router.get(path) { request, context in
            let browser = BrowserRequest(services, request, context)
            let query = (try? FormBody.query(request).get()) ?? [:]
            guard let token = query["flow"], let csrf = browser.csrfCookie,
                  let flow = services.sealer.open(token, csrf: csrf, step: .consent, now: services.clock.now()),
                  let authorization = flow.request
            else { return browser.flowRefused(browser.language(explicit: query["lang"])) }
            let language = browser.language(explicit: query["lang"], uiLocales: authorization.uiLocales)
            let switchLink = services.paths.consent + "?" + FormParameters.encode([("flow", token), ("lang", language.other.rawValue)])
            return Pages.consent(action: services.paths.consent, form: .init(flow: token, csrf: csrf, language: language),
                                 clientName: authorization.clientName, scopes: authorization.scope, switchLink: switchLink,
                                 formTarget: authorization.redirectURI).response()
        }
        router.post(path) { request, context in
            await decide(BrowserRequest(services, request, context))
        }
    }

    private func decide(_ browser: BrowserRequest) async -> Response {
        let form: [String: String]
        switch await browser.readForm(browser.language()) {
        case .success(let parameters): form = parameters
        case .failure(let refusal): return refusal.response
        }
        guard let csrf = browser.verifiedCSRF(form) else { return browser.csrfRefused(browser.language(explicit: form["lang"])) }
        guard let token = form["flow"], let flow = services.sealer.open(token, csrf: csrf, step: .consent, now: services.clock.now()),
              let authorization = flow.request,
              let cookie = browser.sessionCookie, flow.sessionID == SessionCookie.idHash(of: cookie)
        else { return browser.flowRefused(browser.language(explicit: form["lang"])) }
        let language = browser.language(explicit: form["lang"], uiLocales: authorization.uiLocales)
        guard form["decision"] == "allow" else {
            return .redirect(to: services.engine.deny(authorization).location, afterPost: true)
        }
        let fresh = flow.fresh ?? false
        let decision = await services.engine.authorize(authorization, sessionCookie: cookie, freshAuthentication: fresh, consentGiven: true,
                                                       sourceIP: browser.clientIP)
        return browser.respond(to: decision, for: authorization, sessionCookie: cookie, fresh: fresh, language: language, afterPost: true)
    }
}

import GatehouseCore
import GatehouseOAuth
import Hummingbird

/// RP-initiated logout, `GET` and `POST /logout` (OpenID Connect RP-Initiated Logout 1.0), and
/// its confirmation, `POST /logout/confirm`.
///
/// The engine validates the request: `id_token_hint` signed here, `post_logout_redirect_uri`
/// registered for the client (exact match), `state` appended; anything wrong is an error page,
/// never a redirect. Then:
/// - the hint names the browser's session (its `sub`, and its `sid` when present): the session
///   ends at once;
/// - there is a session but the hint is missing or names another user or session, or a
///   cross-site `POST` arrived without the `SameSite=Lax` cookie: the user is asked (§2: the OP
///   must ask when the hint does not identify the current session), with a form bound to the
///   CSRF cookie;
/// - no session: nothing to end.
///
/// Ending a session revokes it and its refresh tokens (engine), hands the back-channel logout
/// tokens to the ``LogoutNotifier`` (delivery happens apart, a slow application never delays
/// the browser), clears the cookie, and redirects to the post-logout URI or shows "signed out".
struct LogoutRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        let path = RouterPath(services.paths.logout)
        router.get(path) { request, context in
            let browser = BrowserRequest(services, request, context)
            switch FormBody.query(request) {
            case .success(let parameters): return await logout(parameters, browser: browser, isPost: false)
            case .failure(let error): return invalid(error, browser: browser)
            }
        }
        router.post(path) { request, context in
            let browser = BrowserRequest(services, request, context)
            switch await browser.readForm(browser.language()) {
            case .success(let parameters): return await logout(parameters, browser: browser, isPost: true)
            case .failure(let refusal): return refusal.response
            }
        }
        router.post(RouterPath(services.paths.logoutConfirm)) { request, context in
            await confirm(BrowserRequest(services, request, context))
        }
    }

    private func logout(_ parameters: [String: String], browser: BrowserRequest, isPost: Bool) async -> Response {
        let logout: LogoutRequest
        switch await services.engine.validateLogout(parameters) {
        case .showError(let error): return invalid(error, browser: browser)
        case .valid(let valid): logout = valid
        }
        let language = browser.language(uiLocales: logout.uiLocales)
        guard let cookie = browser.sessionCookie else {
            // A cross-site POST carries no Lax cookie: ask, and the same-site answer will.
            return isPost ? confirmation(logout, browser: browser, language: language)
                : finish(redirect: logout.postLogoutRedirect, browser: browser, language: language, afterPost: false)
        }
        let session: SSOSession?
        do {
            session = try await services.store.read { tx in try? tx.session(idHash: SessionCookie.idHash(of: cookie)) }
        } catch {
            return browser.busy(language)
        }
        if let session, session.revokedAt == nil, !identifies(logout, session) {
            return confirmation(logout, browser: browser, language: language)
        }
        return await end(cookie: cookie, redirect: logout.postLogoutRedirect, browser: browser, language: language, afterPost: isPost)
    }

    private func confirm(_ browser: BrowserRequest) async -> Response {
        let form: [String: String]
        switch await browser.readForm(browser.language()) {
        case .success(let parameters): form = parameters
        case .failure(let refusal): return refusal.response
        }
        let language = browser.language(explicit: form["lang"])
        guard let csrf = browser.verifiedCSRF(form) else { return browser.csrfRefused(language) }
        guard let token = form["flow"], let flow = services.sealer.open(token, csrf: csrf, step: .logout, now: services.clock.now()) else {
            return browser.flowRefused(language)
        }
        guard let cookie = browser.sessionCookie else {
            return finish(redirect: flow.logoutRedirect, browser: browser, language: language, afterPost: true)
        }
        return await end(cookie: cookie, redirect: flow.logoutRedirect, browser: browser, language: language, afterPost: true)
    }

    /// Whether the hint identifies `session`: same user, and same session when it names one.
    private func identifies(_ logout: LogoutRequest, _ session: SSOSession) -> Bool {
        guard let subject = logout.hintSubject, subject == session.accountID.uuidString.lowercased() else { return false }
        return logout.hintSessionID.map { $0 == session.idHash } ?? true
    }

    private func confirmation(_ logout: LogoutRequest, browser: BrowserRequest, language: Language) -> Response {
        let (csrf, setCookies) = browser.csrfToken()
        let state = FlowState(step: .logout, expires: browser.expiry(.logout), logoutRedirect: logout.postLogoutRedirect)
        let form = Pages.FormState(flow: services.sealer.seal(state, csrf: csrf), csrf: csrf, language: language)
        return Pages.confirmLogout(action: services.paths.logoutConfirm, form: form, formTarget: logout.postLogoutRedirect)
            .response().setting(cookies: setCookies)
    }

    private func end(cookie: String, redirect: String?, browser: BrowserRequest, language: Language, afterPost: Bool) async -> Response {
        do {
            let ended = try await services.engine.endSession(sessionCookie: cookie, sourceIP: browser.clientIP)
            if !ended.backchannel.isEmpty { await services.logoutNotifier.notify(ended.backchannel) }
        } catch {
            browser.logger.error("logout failed", metadata: ["error": .string(error.debugDescription)])
            return browser.busy(language)
        }
        return finish(redirect: redirect, browser: browser, language: language, afterPost: afterPost)
    }

    private func finish(redirect: String?, browser: BrowserRequest, language: Language, afterPost: Bool) -> Response {
        let clear = browser.sessionCookie == nil ? [] : [services.cookies.clearSession()]
        if let redirect { return .redirect(to: redirect, afterPost: afterPost, cookies: clear) }
        return Pages.signedOut(language: language).response().setting(cookies: clear)
    }

    private func invalid(_ error: OAuthError, browser: BrowserRequest) -> Response {
        browser.logger.notice("logout request refused", metadata: ["error": .string(error.debugDescription)])
        let language = browser.language()
        return browser.errorPage(language, .badRequest, Texts.of(language).invalidLogout, detail: error)
    }
}

import GatehouseCore
import GatehouseOAuth
import Hummingbird

/// The login form, `GET` and `POST /login`.
///
/// `GET /login?flow=…[&lang=en]` shows the form for the authorization request sealed in `flow`
/// (``FlowState``), in the chosen language. `POST /login` takes `flow`, `csrf`, `username` and
/// `password`:
/// - no CSRF token, or one that differs from the CSRF cookie: 403, nothing done;
/// - a flow token altered, expired or bound to another browser: 400;
/// - a wrong password, an unknown user, a disabled or locked account, an account that must
///   wait after failures or a source blocked for stuffing (``LoginThrottle``): the form again
///   with one and the same message;
/// - password hashing saturated: 503 with `Retry-After`;
/// - the right password of an account that must change it: the password-change form, and no
///   session yet;
/// - then, for an account that has a second factor or must use one (``SecondFactorPolicy``):
///   the code page (``SecondFactorRoute``) or the enrolment page (``EnrolmentRoute``), and no
///   session until it succeeds; `unmet_authentication_requirements` to the client when this
///   server has no second-factor keys;
/// - otherwise the SSO session is set and the engine completes the authorization request with
///   `freshAuthentication` (usually a 303 to the client with the code).
struct LoginRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        let path = RouterPath(services.paths.login)
        router.get(path) { request, context in
            let browser = BrowserRequest(services, request, context)
            let query = (try? FormBody.query(request).get()) ?? [:]
            guard let token = query["flow"], let csrf = browser.csrfCookie,
                  let flow = services.sealer.open(token, csrf: csrf, step: .login, now: services.clock.now()),
                  let authorization = flow.request
            else { return browser.flowRefused(browser.language(explicit: query["lang"])) }
            let language = browser.language(explicit: query["lang"], uiLocales: authorization.uiLocales)
            return browser.loginPage(token: token, authorization: authorization, csrf: csrf, language: language, username: nil, error: nil)
        }
        router.post(path) { request, context in
            await login(BrowserRequest(services, request, context))
        }
    }

    private func login(_ browser: BrowserRequest) async -> Response {
        let form: [String: String]
        switch await browser.readForm(browser.language()) {
        case .success(let parameters): form = parameters
        case .failure(let refusal): return refusal.response
        }
        guard let csrf = browser.verifiedCSRF(form) else { return browser.csrfRefused(browser.language(explicit: form["lang"])) }
        guard let token = form["flow"], let flow = services.sealer.open(token, csrf: csrf, step: .login, now: services.clock.now()),
              let authorization = flow.request
        else { return browser.flowRefused(browser.language(explicit: form["lang"])) }
        let language = browser.language(explicit: form["lang"], uiLocales: authorization.uiLocales)
        let username = form["username"] ?? ""

        switch await services.authenticate(username: username, password: form["password"] ?? "", sourceIP: browser.clientIP, logger: browser.logger) {
        case .unavailable:
            return browser.busy(language)
        case .directoryUnavailable:
            return browser.busy(language, message: Texts.of(language).directoryUnavailable)
        case .failure:
            return browser.loginPage(token: token, authorization: authorization, csrf: csrf, language: language, username: username,
                                     error: Texts.of(language).invalidCredentials)
        case .success(let account, let verifiedHash, let needsRehash):
            if let reason = services.passwordChangeReason(for: account) {
                let state = FlowState(step: .password, expires: browser.expiry(.password), request: authorization,
                                      accountID: account.id, accountVersion: account.version, reason: reason)
                return PasswordChangeRoute.page(browser, token: services.sealer.seal(state, csrf: csrf), csrf: csrf, language: language,
                                                username: account.username.value, expired: reason == "expired", problems: [],
                                                formTarget: authorization.redirectURI)
            }
            // Legacy → Argon2id migration; if the pool is saturated now, the next login does it.
            let rehash = needsRehash ? try? await services.passwords.hash(form["password"] ?? "") : nil
            return await Self.grant(browser, account: account, verifiedHash: verifiedHash, rehash: rehash,
                                    authorization: authorization, language: language)
        }
    }

    /// After the password (and any forced change): the second-factor step `account` needs, or
    /// else the SSO session for it, with which `authorization` completes.
    static func grant(
        _ browser: BrowserRequest, account: Account, verifiedHash: String?, rehash: String?,
        authorization: AuthorizationRequest, language: Language
    ) async -> Response {
        let services = browser.services
        let step: SecondFactorStep
        do {
            step = try await services.secondFactorStep(for: account, request: authorization)
        } catch {
            browser.logger.error("login: second-factor requirement not read", metadata: ["error": .string(String(describing: error))])
            return browser.busy(language)
        }
        switch step {
        case .none:
            break
        case .unmet:
            return .redirect(to: services.engine.unmetAuthenticationRequirements(authorization).location, afterPost: true)
        case .verify, .enrol:
            do {
                try await services.storeRehash(account: account, verifiedHash: verifiedHash, rehash: rehash, sourceIP: browser.clientIP)
            } catch {
                // The next login migrates the hash.
                browser.logger.error("login: rehash not stored", metadata: ["error": .string(String(describing: error))])
            }
            return browser.beginSecondFactor(step, account: account, authorization: authorization, language: language)
        }
        let cookie: String
        do {
            cookie = try await services.establishSession(account: account, verifiedHash: verifiedHash, rehash: rehash,
                                                         previousCookie: browser.sessionCookie, sourceIP: browser.clientIP,
                                                         logger: browser.logger)
        } catch {
            browser.logger.error("login: session not created", metadata: ["error": .string(String(describing: error))])
            return browser.busy(language)
        }
        let decision = await services.engine.authorize(authorization, sessionCookie: cookie, freshAuthentication: true, sourceIP: browser.clientIP)
        return browser.respond(to: decision, for: authorization, sessionCookie: cookie, fresh: true, language: language, afterPost: true,
                               setCookies: [services.cookies.setSession(cookie)])
    }
}

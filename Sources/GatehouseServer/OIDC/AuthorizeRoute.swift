import GatehouseOAuth
import Hummingbird

/// `GET` and `POST /authorize` (RFC 6749 §4.1.1, OIDC Core §3.1.2.1): validates the request,
/// then lets the engine decide with the browser's SSO session: a redirect to the client (code,
/// `state`, `iss`; or an error, `iss` included, RFC 9207), the login or consent page, or an
/// error page when the client or its redirect URI cannot be trusted (never a redirect there).
///
/// A cross-site `POST` does not carry the `SameSite=Lax` session cookie; such a request is
/// answered `303` to the same request as a `GET`, a top-level navigation that does carry it, so
/// single sign-on works for both methods.
struct AuthorizeRoute {
    let services: OIDCServices

    /// The longest query a POST is turned into.
    static let maximumRedirectQuery = 8 * 1024

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        let path = RouterPath(services.paths.authorize)
        router.get(path) { request, context in
            let browser = BrowserRequest(services, request, context)
            switch FormBody.query(request) {
            case .success(let parameters): return await authorize(parameters, browser: browser, afterPost: false)
            case .failure(let error): return invalid(error, browser: browser)
            }
        }
        router.post(path) { request, context in
            let browser = BrowserRequest(services, request, context)
            let parameters: [String: String]
            switch await browser.readForm(browser.language()) {
            case .success(let form): parameters = form
            case .failure(let refusal): return refusal.response
            }
            if browser.sessionCookie == nil {
                let query = FormParameters.encode(parameters.sorted { $0.key < $1.key })
                if query.utf8.count <= Self.maximumRedirectQuery {
                    return Response.redirect(to: services.paths.authorize + "?" + query, afterPost: true)
                }
            }
            return await authorize(parameters, browser: browser, afterPost: true)
        }
    }

    private func authorize(_ parameters: [String: String], browser: BrowserRequest, afterPost: Bool) async -> Response {
        switch await services.engine.validateAuthorization(parameters) {
        case .showError(let error):
            return invalid(error, browser: browser)
        case .redirect(let redirect):
            return .redirect(to: redirect.location, afterPost: afterPost)
        case .valid(let authorization):
            let cookie = browser.sessionCookie
            let decision = await services.engine.authorize(authorization, sessionCookie: cookie, sourceIP: browser.clientIP)
            return browser.respond(to: decision, for: authorization, sessionCookie: cookie, fresh: false, language: nil, afterPost: afterPost)
        }
    }

    private func invalid(_ error: OAuthError, browser: BrowserRequest) -> Response {
        browser.logger.notice("authorization request refused", metadata: ["error": .string(error.debugDescription)])
        let language = browser.language()
        let t = Texts.of(language)
        let status: HTTPResponse.Status = error.code == .temporarilyUnavailable ? .serviceUnavailable : error.code == .serverError ? .internalServerError : .badRequest
        return browser.errorPage(language, status, t.invalidRequest + " " + t.backToApplication, detail: error)
    }
}

import GatehouseCrypto
import GatehouseOAuth
import Hummingbird
import Logging

/// A request from a browser, as the page routes see it: its cookies, its language
/// preferences, its address, and the services.
struct BrowserRequest {
    let services: OIDCServices
    let request: Request
    let clientIP: String?
    let logger: Logger

    init(_ services: OIDCServices, _ request: Request, _ context: GatehouseRequestContext) {
        self.services = services
        self.request = request
        self.clientIP = context.clientIP
        self.logger = context.logger
    }

    var sessionCookie: String? { services.cookies.session(in: request) }
    var csrfCookie: String? { services.cookies.csrf(in: request) }

    /// The page language: `explicit` (the switch link or the form's `lang`), then `ui_locales`,
    /// then `Accept-Language`.
    func language(explicit: String? = nil, uiLocales: [String] = []) -> Language {
        Language.choose(explicit: explicit, uiLocales: uiLocales, acceptLanguage: request.headers[.acceptLanguage])
    }

    /// The CSRF token to bind a new flow to: the browser's own, or a fresh one with the
    /// `Set-Cookie` that installs it.
    func csrfToken() -> (token: String, setCookies: [String]) {
        if let existing = csrfCookie { return (existing, []) }
        let fresh = BrowserCookies.newCSRFToken()
        return (fresh, [services.cookies.setCSRF(fresh)])
    }

    /// The CSRF token when the form's `csrf` field equals the CSRF cookie (compared in constant
    /// time); `nil` otherwise, and the post must be refused with 403 and change nothing.
    func verifiedCSRF(_ form: [String: String]) -> String? {
        guard let cookie = csrfCookie, let field = form["csrf"], ConstantTime.equals(cookie, field) else { return nil }
        return cookie
    }

    // MARK: Answers shared by the pages

    /// An error page.
    func errorPage(_ language: Language, _ status: HTTPResponse.Status, _ message: String, detail: OAuthError? = nil) -> Response {
        Pages.error(language: language, status: status, message: message, detail: detail).response()
    }

    /// 403 for a form post without a valid CSRF token.
    func csrfRefused(_ language: Language) -> Response {
        logger.notice("form refused: CSRF token missing or wrong", metadata: ["path": .string(request.uri.path)])
        return errorPage(language, .forbidden, Texts.of(language).formRefused)
    }

    /// 400 for a flow token that is missing, altered, expired or bound to another browser.
    func flowRefused(_ language: Language) -> Response {
        errorPage(language, .badRequest, Texts.of(language).flowExpired + " " + Texts.of(language).backToApplication)
    }

    /// 413 for an oversized form.
    func tooLarge(_ language: Language) -> Response {
        errorPage(language, .contentTooLarge, Texts.of(language).tooLarge)
    }

    /// 503 with `Retry-After` when password hashing is saturated or the store unreachable.
    func busy(_ language: Language, message: String? = nil) -> Response {
        Pages.error(language: language, status: .serviceUnavailable, message: message ?? Texts.of(language).busy)
            .response(headers: [.retryAfter: "5"])
    }

    /// The form of a post, or the response that refuses it (413, 400).
    func readForm(_ language: @autoclosure () -> Language) async -> Result<[String: String], ResponseError> {
        switch await FormBody.read(request) {
        case .success(let form): return .success(form)
        case .failure(.tooLarge): return .failure(ResponseError(tooLarge(language())))
        case .failure(.malformed(let error)):
            return .failure(ResponseError(errorPage(language(), .badRequest, Texts.of(language()).invalidRequest, detail: error)))
        }
    }
}

/// A response that ends a handler early, carried through `Result`.
struct ResponseError: Error {
    let response: Response
    init(_ response: Response) { self.response = response }
}

import Foundation
import GatehouseOAuth
import Hummingbird

/// Turning the engine's ``AuthorizationDecision`` into what the browser gets, the same way
/// wherever the decision was made (`/authorize`, the login form, the password change, the
/// consent page).
extension BrowserRequest {
    /// - Parameters:
    ///   - sessionCookie: the session the decision was made with (for the consent step).
    ///   - fresh: the user authenticated during this interaction.
    ///   - language: the language the user chose on a page, carried to the next page.
    ///   - afterPost: the request was a form post (redirects are 303).
    ///   - setCookies: cookies the response must set whatever it is (the new session).
    func respond(
        to decision: AuthorizationDecision, for authorization: AuthorizationRequest, sessionCookie: String?, fresh: Bool,
        language: Language?, afterPost: Bool, setCookies: [String] = []
    ) -> Response {
        let paths = services.paths
        switch decision {
        case .redirect(let redirect):
            return .redirect(to: redirect.location, afterPost: afterPost, cookies: setCookies)
        case .showError(let error):
            logger.notice("authorization refused", metadata: ["error": .string(error.debugDescription)])
            let lang = language ?? self.language(uiLocales: authorization.uiLocales)
            return errorPage(lang, .badRequest, Texts.of(lang).invalidRequest + " " + Texts.of(lang).backToApplication, detail: error)
                .setting(cookies: setCookies)
        case .login(let reason):
            let (csrf, csrfCookies) = csrfToken()
            let state = FlowState(step: .login, expires: expiry(.login), request: authorization)
            let token = services.sealer.seal(state, csrf: csrf)
            if fresh {
                // Just logged in, and still not enough: the hint named someone else.
                let lang = language ?? self.language(uiLocales: authorization.uiLocales)
                let message = reason == .differentUser ? Texts.of(lang).differentUser : Texts.of(lang).flowExpired
                return loginPage(token: token, authorization: authorization, csrf: csrf, language: lang, username: nil, error: message)
                    .setting(cookies: setCookies + csrfCookies)
            }
            var query = [("flow", token)]
            if let language { query.append(("lang", language.rawValue)) }
            return .redirect(to: paths.login + "?" + FormParameters.encode(query), afterPost: afterPost, cookies: setCookies + csrfCookies)
        case .consent:
            let (csrf, csrfCookies) = csrfToken()
            let state = FlowState(step: .consent, expires: expiry(.consent), request: authorization,
                                  sessionID: sessionCookie.map(SessionCookie.idHash(of:)), fresh: fresh)
            var query = [("flow", services.sealer.seal(state, csrf: csrf))]
            if let language { query.append(("lang", language.rawValue)) }
            return .redirect(to: paths.consent + "?" + FormParameters.encode(query), afterPost: afterPost, cookies: setCookies + csrfCookies)
        }
    }

    /// The login page for a sealed login flow.
    func loginPage(token: String, authorization: AuthorizationRequest, csrf: String, language: Language, username: String?,
                   error: String?) -> Response {
        let form = Pages.FormState(flow: token, csrf: csrf, language: language)
        let switchLink = services.paths.login + "?" + FormParameters.encode([("flow", token), ("lang", language.other.rawValue)])
        return Pages.login(action: services.paths.login, form: form, clientName: authorization.clientName,
                           username: username ?? authorization.loginHint, error: error, switchLink: switchLink,
                           formTarget: authorization.redirectURI).response()
    }

    /// Unix time at which a new token for `step` expires.
    func expiry(_ step: FlowState.Step) -> Int64 {
        Int64((services.clock.now().timeIntervalSince1970 + FlowState.lifetime(step)).rounded(.down))
    }
}

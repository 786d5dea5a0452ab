import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehouseCrypto
import GatehouseOAuth
import GatehouseStore
import Hummingbird
import HTTPTypes

/// The admin console under `{issuer path}/console`: server-rendered pages in Vietnamese and
/// English, plain HTML forms and post-redirect-get, no script.
///
/// The console is a relying party of this very server (``ConsoleSignIn``): it signs
/// administrators in with the authorization code flow and PKCE as the public client
/// `gatehouse-console`, keeps the access token in a sealed cookie (``ConsoleCookies``), and on
/// every request authenticates that token like the admin API does (scope `gatehouse:admin`),
/// then acts through ``AdminService`` as the administrator, whose grants decide.
///
/// | route | what |
/// |---|---|
/// | `GET /console` | who is signed in, their roles and reach |
/// | `GET /console/callback`, `POST /console/logout` | sign-in and sign-out (``ConsoleSignIn``) |
/// | `GET /console/accounts`, `GET /console/accounts/new`, `POST /console/accounts` | search, create |
/// | `GET /console/accounts/:id`, `POST /console/accounts/:id/{status,password-reset,second-factor-reset,grants}` | one account |
/// | `POST /console/grants/:id/revoke` | revoke a grant |
/// | `GET /console/units`, `GET, POST /console/units/move` | the unit tree, moving a unit (preview, then confirm) |
/// | `GET /console/audit` | the audit trail, paged by sequence |
///
/// Every form carries a CSRF token bound to the console session by HMAC; a post without it is
/// refused with 403 and changes nothing.
///
/// ```swift
/// ConsoleRoutes(services: AdminServices(oidc: oidc)).register(on: router)
/// ```
struct ConsoleRoutes: Sendable {
    let services: AdminServices
    /// The console's path: `{issuer path}/console`.
    let base: String
    let cookies: ConsoleCookies
    let signIn: ConsoleSignIn

    init(services: AdminServices) {
        self.services = services
        let issuer = services.oidc.issuer.hasSuffix("/") ? String(services.oidc.issuer.dropLast()) : services.oidc.issuer
        self.base = (OIDCPaths.path(of: issuer) ?? "") + "/console"
        let key = ConsoleCookies.deriveKey(from: services.oidc.engine.configuration.clientSecretPepper)
        self.cookies = ConsoleCookies(key: key, secure: services.oidc.isHTTPS, path: base)
        self.signIn = ConsoleSignIn(oidc: services.oidc, issuer: issuer, base: base, cookies: cookies)
    }

    func register(on router: Router<GatehouseRequestContext>) {
        let group = router.group(RouterPath(base))
        group.get { request, context in
            await page(request, context) { c in try await home(c) }
        }
        group.get("callback") { request, context in await signIn.callback(request, context, language: language(request)) }
        group.post("logout") { request, context in await signIn.logout(request, context, language: language(request)) }
        registerAccounts(group)
        registerUnits(group)
    }

    // MARK: Plumbing

    /// What a handler of a signed-in request has.
    struct Call: Sendable {
        let actor: AdminActor
        let language: Language
        let chrome: ConsolePage.Chrome
        let request: Request
        /// The notice left by the change before the redirect, shown once.
        let notice: ConsoleNotice?
        /// The query parameters (GET) or the form (POST).
        let parameters: [String: String]
        var texts: ConsoleTexts { ConsoleTexts.of(language) }
        var base: String { chrome.base }

        /// A page in the console's layout.
        func page(_ title: String, _ body: HTML, status: HTTPResponse.Status = .ok, switchLink: String? = nil) -> ConsolePage {
            ConsolePage(language: language, title: title, body: body, status: status, chrome: chrome, switchLink: switchLink)
        }

        /// The link to this page in the other language.
        var switchLink: String {
            var query = parameters.filter { $0.key != "lang" }.sorted { $0.key < $1.key }
            query.append(("lang", language.other.rawValue))
            return request.uri.path + "?" + FormParameters.encode(query)
        }

        /// A query or form value, trimmed; `nil` when empty.
        func value(_ name: String) -> String? {
            guard let raw = parameters[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
            return raw
        }
    }

    /// The page language: the switch link's `lang`, then the language cookie, then `Accept-Language`.
    func language(_ request: Request, explicit: String? = nil) -> Language {
        if let explicit, let chosen = Language(tag: explicit) { return chosen }
        return cookies.language(in: request) ?? Language.choose(explicit: nil, uiLocales: [], acceptLanguage: request.headers[.acceptLanguage])
    }

    /// A signed-in `GET`: authenticates, then runs `body`; without a valid session, signs in first
    /// and comes back here.
    func page(_ request: Request, _ context: GatehouseRequestContext, _ body: (Call) async throws -> Response) async -> Response {
        let query = (try? FormBody.query(request).get()) ?? [:]
        let language = language(request, explicit: query["lang"])
        var extra: [String] = []
        if let explicit = query["lang"], Language(tag: explicit) != nil { extra.append(cookies.setLanguage(language)) }
        let returnTo = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return await run(request, context, language: language, parameters: query, returnTo: returnTo, setCookies: extra, body)
    }

    /// A signed-in form `POST`: authenticates, checks the CSRF token, then runs `body`, which
    /// answers with a redirect (or a refusal).
    func action(_ request: Request, _ context: GatehouseRequestContext, _ body: (Call) async throws -> Response) async -> Response {
        let language = language(request)
        let form: [String: String]
        switch await FormBody.read(request) {
        case .success(let parsed): form = parsed
        case .failure(.tooLarge): return message(language, .contentTooLarge, ConsoleTexts.of(language).tooLarge)
        case .failure(.malformed): return message(language, .badRequest, ConsoleTexts.of(language).formRefused)
        }
        return await run(request, context, language: language, parameters: form, returnTo: base, setCookies: [], csrf: true, body)
    }

    private func run(_ request: Request, _ context: GatehouseRequestContext, language: Language, parameters: [String: String],
                     returnTo: String, setCookies: [String], csrf: Bool = false, _ body: (Call) async throws -> Response) async -> Response {
        var response = await authenticated(request, context, language: language, parameters: parameters, returnTo: returnTo, csrf: csrf, body)
        for cookie in setCookies { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return response
    }

    private func authenticated(_ request: Request, _ context: GatehouseRequestContext, language: Language, parameters: [String: String],
                               returnTo: String, csrf: Bool, _ body: (Call) async throws -> Response) async -> Response {
        guard let session: ConsoleSession = cookies.read(.session, in: request) else {
            return await signIn.start(returnTo: returnTo, language: language, context: context)
        }
        let actor: AdminActor
        do {
            let identity = try await services.oidc.engine.authenticateUser(authorization: "Bearer " + session.accessToken, scope: AdminRoutes.scope)
            actor = try await services.admin.actor(accountID: identity.accountID, clientID: identity.clientID, sourceIP: context.clientIP)
        } catch let error as OAuthError where error.code == .invalidToken || error.code == .insufficientScope {
            // Expired or revoked: back through /authorize, silent while the SSO session lasts.
            return await signIn.start(returnTo: returnTo, language: language, context: context)
        } catch let error as AdminError {
            var response = message(language, .forbidden, error.description, title: ConsoleTexts.of(language).notAnAdministrator)
            response.headers.append(HTTPField(name: .setCookie, value: cookies.clear(.session)))
            return response
        } catch {
            return failure(error, language: language, chrome: nil)
        }
        let chrome = ConsolePage.Chrome(base: base, username: actor.username, csrf: cookies.csrfToken(for: session))
        if csrf {
            guard let presented = parameters["csrf"], ConstantTime.equals(presented, chrome.csrf) else {
                context.logger.notice("console form refused: CSRF token missing or wrong", metadata: ["path": .string(request.uri.path)])
                return message(language, .forbidden, ConsoleTexts.of(language).formRefused, chrome: chrome)
            }
        }
        let notice: ConsoleNotice? = csrf ? nil : cookies.read(.notice, in: request)
        let call = Call(actor: actor, language: language, chrome: chrome, request: request, notice: notice, parameters: parameters)
        var response: Response
        do {
            response = try await body(call)
        } catch {
            response = failure(error, language: language, chrome: chrome)
        }
        if notice != nil { response.headers.append(HTTPField(name: .setCookie, value: cookies.clear(.notice))) }
        return response
    }

    /// `303 See Other` to `location`, leaving `notice` for the page there.
    func redirect(_ location: String, notice: ConsoleNotice? = nil) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        if let notice { headers.append(HTTPField(name: .setCookie, value: cookies.set(.notice, notice, maxAge: 120))) }
        return Response(status: .seeOther, headers: headers)
    }

    /// A message page: a refusal or an error.
    func message(_ language: Language, _ status: HTTPResponse.Status, _ text: String, title: String? = nil,
                 chrome: ConsolePage.Chrome? = nil) -> Response {
        let t = ConsoleTexts.of(language)
        return ConsolePage(language: language, title: title ?? t.errorTitle, body: """
            <p class="error" role="alert">\(text)</p>
            <p><a href="\(base)">\(t.home)</a></p>
            """, status: status, chrome: chrome).response()
    }

    /// The page for a refusal of the service: 403 for "forbidden" with its reason, 404, 400,
    /// 409, 412, 503; never a trace of the error.
    func failure(_ error: any Error, language: Language, chrome: ConsolePage.Chrome?) -> Response {
        let t = ConsoleTexts.of(language)
        switch error {
        case let e as AdminError:
            switch e {
            case .forbidden(let m): return message(language, .forbidden, m, title: t.forbiddenTitle, chrome: chrome)
            case .notFound(let m): return message(language, .notFound, m, title: t.notFoundTitle, chrome: chrome)
            case .invalid(let m): return message(language, .badRequest, m, chrome: chrome)
            case .conflict(let m): return message(language, .conflict, m, chrome: chrome)
            case .preconditionFailed(let m): return message(language, .preconditionFailed, m, chrome: chrome)
            case .unavailable: return message(language, .serviceUnavailable, t.busy, chrome: chrome)
            }
        case let e as DomainError:
            return message(language, .badRequest, e.description, chrome: chrome)
        case is StoreError:
            return message(language, .serviceUnavailable, t.busy, chrome: chrome)
        default:
            return message(language, .internalServerError, t.busy, chrome: chrome)
        }
    }

    /// A unit path from a form, or ``AdminError/invalid(_:)``.
    static func path(_ raw: String?) throws -> UnitPath {
        do { return try UnitPath(raw ?? "") } catch { throw AdminError.invalid(error.description) }
    }

    /// The `:id` parameter, or "not found".
    static func id(_ context: GatehouseRequestContext) throws -> UUID {
        guard let raw = context.parameters.get("id"), let id = UUID(uuidString: raw) else { throw AdminError.notFound("no such id") }
        return id
    }
}

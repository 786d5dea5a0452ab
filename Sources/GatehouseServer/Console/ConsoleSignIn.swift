public import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseOAuth
public import GatehouseStore
import Hummingbird
import HTTPTypes
import Synchronization

/// How the console signs administrators in and out, as the public client `gatehouse-console`
/// of this server (OIDC Core §3.1, RFC 7636 PKCE S256):
/// - ``start(returnTo:language:context:)``: a fresh state, nonce and verifier in a sealed
///   ten-minute cookie, and `303` to the server's own `/authorize` with the scope
///   `openid profile gatehouse:admin`; with a live SSO session the browser comes straight back;
/// - ``callback(_:_:language:)``: the state checked against the cookie, the code redeemed at the
///   token endpoint's logic in-process, the ID token's nonce checked, and the access token kept
///   in the session cookie;
/// - ``logout(_:_:language:)``: the session cookie cleared, then the end-session endpoint
///   (OpenID Connect RP-Initiated Logout 1.0), back to the console afterwards.
///
/// The client is registered in the store on the first sign-in (``ConsoleClient``).
struct ConsoleSignIn: Sendable {
    let oidc: OIDCServices
    /// The issuer without a trailing `/`.
    let issuer: String
    let base: String
    let cookies: ConsoleCookies
    let client: ConsoleClient

    init(oidc: OIDCServices, issuer: String, base: String, cookies: ConsoleCookies) {
        self.oidc = oidc
        self.issuer = issuer
        self.base = base
        self.cookies = cookies
        self.client = ConsoleClient(issuer: issuer)
    }

    var redirectURI: String { client.redirectURI }

    /// Starts a sign-in that comes back to `returnTo` (a console path).
    func start(returnTo: String, language: Language, context: GatehouseRequestContext) async -> Response {
        do {
            try await client.ensureRegistered(in: oidc.store, now: oidc.clock.now())
        } catch {
            context.logger.error("console client could not be registered", metadata: ["error": .string("\(error)")])
            return ConsolePage(language: language, title: ConsoleTexts.of(language).errorTitle,
                               body: "<p class=\"error\" role=\"alert\">\(ConsoleTexts.of(language).busy)</p>", status: .serviceUnavailable).response()
        }
        let verifier = SecureRandom.token(byteCount: 48)
        let login = ConsoleLogin(state: SecureRandom.token(byteCount: 32), nonce: SecureRandom.token(byteCount: 32), verifier: verifier,
                                 returnTo: returnTo.hasPrefix(base) ? returnTo : base,
                                 expires: Int64(oidc.clock.now().timeIntervalSince1970) + Int64(ConsoleLogin.lifetime))
        let query = FormParameters.encode([
            ("response_type", "code"), ("client_id", ConsoleClient.id), ("redirect_uri", redirectURI), ("scope", ConsoleClient.scope),
            ("state", login.state), ("nonce", login.nonce), ("code_challenge", Base64URL.encode(Digest.sha256(verifier))),
            ("code_challenge_method", "S256"), ("ui_locales", language.rawValue),
        ])
        return Response(status: .seeOther, headers: [
            .location: oidc.paths.authorize + "?" + query, .cacheControl: "no-store",
            .setCookie: cookies.set(.login, login, maxAge: ConsoleLogin.lifetime),
        ])
    }

    /// `GET /console/callback`: the end of the authorization code flow.
    func callback(_ request: Request, _ context: GatehouseRequestContext, language: Language) async -> Response {
        let t = ConsoleTexts.of(language)
        let query = (try? FormBody.query(request).get()) ?? [:]
        let now = oidc.clock.now()
        guard let login: ConsoleLogin = cookies.read(.login, in: request), Double(login.expires) > now.timeIntervalSince1970,
              let state = query["state"], ConstantTime.equals(state, login.state) else {
            return failed(language, .badRequest, t.signInFailed)
        }
        if let error = query["error"] {
            // access_denied, or a second factor the account could not give: say so, offer a retry.
            let status: HTTPResponse.Status = error == "access_denied" ? .forbidden : .badRequest
            return failed(language, status, t.signInFailed + " (" + error + (query["error_description"].map { ": " + $0 } ?? "") + ")")
        }
        guard let code = query["code"] else { return failed(language, .badRequest, t.signInFailed) }
        let tokens: TokenResponse
        do {
            tokens = try await oidc.engine.tokenResponse(EndpointRequest(parameters: [
                "grant_type": "authorization_code", "code": code, "redirect_uri": redirectURI, "client_id": ConsoleClient.id,
                "code_verifier": login.verifier,
            ], sourceIP: context.clientIP))
        } catch {
            context.logger.notice("console code redemption refused", metadata: ["error": .string(error.code.rawValue)])
            return failed(language, .badRequest, t.signInFailed)
        }
        guard let idToken = tokens.idToken, Self.nonce(of: idToken) == login.nonce else {
            return failed(language, .badRequest, t.signInFailed)
        }
        let session = ConsoleSession(accessToken: tokens.accessToken, id: SecureRandom.token(byteCount: 32))
        var headers: HTTPFields = [.location: login.returnTo, .cacheControl: "no-store"]
        headers.append(HTTPField(name: .setCookie, value: cookies.set(.session, session)))
        headers.append(HTTPField(name: .setCookie, value: cookies.clear(.login)))
        return Response(status: .seeOther, headers: headers)
    }

    /// `POST /console/logout`: with a valid CSRF token, clears the session and goes on to the
    /// end-session endpoint, which ends the SSO session (after its confirmation).
    func logout(_ request: Request, _ context: GatehouseRequestContext, language: Language) async -> Response {
        let form: [String: String]
        switch await FormBody.read(request) {
        case .success(let parsed): form = parsed
        case .failure: return failed(language, .badRequest, ConsoleTexts.of(language).formRefused)
        }
        if let session: ConsoleSession = cookies.read(.session, in: request) {
            guard let presented = form["csrf"], ConstantTime.equals(presented, cookies.csrfToken(for: session)) else {
                return failed(language, .forbidden, ConsoleTexts.of(language).formRefused)
            }
        }
        let query = FormParameters.encode([
            ("client_id", ConsoleClient.id), ("post_logout_redirect_uri", client.postLogoutRedirectURI), ("ui_locales", language.rawValue),
        ])
        var headers: HTTPFields = [.location: oidc.paths.logout + "?" + query, .cacheControl: "no-store"]
        headers.append(HTTPField(name: .setCookie, value: cookies.clear(.session)))
        return Response(status: .seeOther, headers: headers)
    }

    private func failed(_ language: Language, _ status: HTTPResponse.Status, _ text: String) -> Response {
        let t = ConsoleTexts.of(language)
        var response = ConsolePage(language: language, title: t.errorTitle, body: """
            <p class="error" role="alert">\(text)</p>
            <p><a href="\(base)">\(t.tryAgain)</a></p>
            """, status: status).response()
        response.headers.append(HTTPField(name: .setCookie, value: cookies.clear(.login)))
        return response
    }

    /// The `nonce` claim of an ID token the engine just issued in-process (so its signature
    /// needs no checking here).
    static func nonce(of idToken: String) -> String? {
        let parts = idToken.split(separator: ".")
        guard parts.count == 3, let payload = Base64URL.decode(parts[1]),
              let claims = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else { return nil }
        return claims["nonce"] as? String
    }
}

/// The console's registration as a client of this server: public, PKCE, the authorization code
/// grant only, redirect `{issuer}/console/callback`, back to `{issuer}/console` after logout,
/// scopes `openid profile gatehouse:admin`. Written to the store the first time it is needed,
/// and brought in line when the issuer changed; a `gatehouse-console` declared in
/// `clients.yaml` is left as declared.
final class ConsoleClient: Sendable {
    static let id = "gatehouse-console"
    static let scope = "openid profile gatehouse:admin"

    let redirectURI: String
    let postLogoutRedirectURI: String
    private let registered = Mutex(false)

    init(issuer: String) {
        redirectURI = issuer + "/console/callback"
        postLogoutRedirectURI = issuer + "/console"
    }

    /// The client as it should be stored.
    func client(now: Date) -> Client {
        Client(id: Self.id, name: "Gatehouse – Bảng quản trị / Admin console", isPublic: true, redirectURIs: [redirectURI],
               postLogoutRedirectURIs: [postLogoutRedirectURI], grantTypes: [.authorizationCode],
               scopes: Set(Self.scope.split(separator: " ").map(String.init)), createdAt: now)
    }

    func ensureRegistered(in store: any Store, now: Date) async throws {
        if registered.withLock({ $0 }) { return }
        let wanted = client(now: now)
        try await store.write { tx in
            let existing: Client?
            do { existing = try tx.client(id: Self.id) } catch StoreError.notFound { existing = nil }
            if var old = existing {
                guard !old.fromPolicy else { return }
                if old.redirectURIs != wanted.redirectURIs || old.postLogoutRedirectURIs != wanted.postLogoutRedirectURIs
                    || old.scopes != wanted.scopes || old.grantTypes != wanted.grantTypes || !old.isPublic {
                    old.redirectURIs = wanted.redirectURIs; old.postLogoutRedirectURIs = wanted.postLogoutRedirectURIs
                    old.scopes = wanted.scopes; old.grantTypes = wanted.grantTypes
                    old.isPublic = true; old.authMethod = .none; old.secretHash = nil
                    try tx.updateClient(old)
                    try tx.appendAudit(AuditRecord(action: "client.update", actor: "console", target: Self.id, clientID: Self.id, time: now))
                }
            } else {
                try tx.insertClient(wanted)
                try tx.appendAudit(AuditRecord(action: "client.create", actor: "console", target: Self.id, clientID: Self.id,
                                               detail: ["public": "true", "grant_types": "authorization_code"], time: now))
            }
        }
        registered.withLock { $0 = true }
    }
}

extension GatehouseServer {
    /// Registers the admin console as a client of the server at `issuer` (see `ConsoleClient`),
    /// so `/authorize?client_id=gatehouse-console` works from the first request. `serve` calls
    /// it at start; the console also does on its first sign-in.
    public static func registerConsoleClient(issuer: String, store: any Store) async throws {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        try await ConsoleClient(issuer: base).ensureRegistered(in: store, now: Date())
    }
}

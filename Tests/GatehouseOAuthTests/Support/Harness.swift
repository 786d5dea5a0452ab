import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseJOSE
import GatehouseKeys
import GatehouseOAuth
import GatehouseStore
import GatehouseStoreSQL
import GatehouseStoreSQLite
import Testing

/// One engine on a real SQLite store and a real key ring, both in a temporary folder, with a
/// manual clock, a small unit tree, one official and the clients the flows need.
struct Harness {
    let engine: OAuthEngine
    let store: any Store
    let keys: KeyRing
    let clock: ManualClock
    let folder: URL
    let pepper: [UInt8]
    let official: Account
    let haNoi: OrgUnit
    let baDinh: OrgUnit
    /// The private key of `Clients.jwt`, whose public half is registered.
    let clientKey: SigningKey

    static let issuer = "https://sso.example.gov.vn"
    static let secret = "s3cr3t-of-the-portal-client-0123456789abcdef"

    /// Client ids.
    enum Clients {
        /// Confidential, client_secret_basic, code + refresh, sees every role.
        static let portal = "portal"
        /// Confidential, client_secret_basic, code + refresh; another party application.
        static let mail = "mail"
        /// Public (none), code + refresh.
        static let spa = "spa"
        /// Confidential, client_secret_post, code only.
        static let post = "post-app"
        /// Confidential, private_key_jwt, code + refresh + client_credentials.
        static let jwt = "jwt-app"
        /// Confidential, client_credentials only.
        static let service = "service"
        /// ID tokens signed with EdDSA.
        static let edwards = "edwards"
    }

    static let portalRedirect = "https://portal.example.gov.vn/callback"

    static func with(_ body: (Harness) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gh-oauth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock()
        let store = try await SQLStore(database: try SQLiteDatabase(path: folder.appendingPathComponent("gatehouse.sqlite").path), clock: clock)
        do {
            let harness = try await make(store: store, clock: clock, folder: folder)
            try await body(harness)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    private static func make(store: any Store, clock: ManualClock, folder: URL) async throws -> Harness {
        let keys = try KeyRing.load(directory: folder.appendingPathComponent("Keys").path)
        try keys.ensureKeys(for: [.es256, .rs256], now: clock.now())
        let pepper = ClientSecrets.generatePepper()
        let clientKey = try SigningKey.generate(.es256)
        let jwks = String(decoding: try JWKSet(keys: [clientKey.publicJWK]).jsonData(), as: UTF8.self)

        let root = try await store.read { try $0.unit(path: .root) }
        let haNoi = OrgUnit(id: UUID(), path: try UnitPath("/ha-noi"), name: "Thành phố Hà Nội", parentID: root.id, createdAt: clock.now())
        let baDinh = OrgUnit(id: UUID(), path: try UnitPath("/ha-noi/phuong-ba-dinh"), name: "Phường Ba Đình", parentID: haNoi.id, createdAt: clock.now())
        let official = Account(id: UUID(), username: try Username("nguyen.van.a"), displayName: "Nguyễn Văn A",
                               email: "nguyen.van.a@example.gov.vn", unitID: baDinh.id, createdAt: clock.now())
        let now = clock.now()
        func client(_ id: String, method: ClientAuthMethod, grants: Set<GrantType>, alg: String? = nil, backchannel: Bool = false) -> Client {
            let isPublic = method == .none
            let usesSecret = method == .clientSecretBasic || method == .clientSecretPost
            return Client(
                id: id, name: "Ứng dụng \(id)", secretHash: usesSecret ? ClientSecrets.hash(secret: secret, pepper: pepper) : nil,
                jwks: method == .privateKeyJWT ? jwks : nil, isPublic: isPublic, authMethod: method,
                redirectURIs: ["https://\(id).example.gov.vn/callback", "http://127.0.0.1:8400/\(id)/cb"],
                postLogoutRedirectURIs: ["https://\(id).example.gov.vn/bye"],
                backchannelLogoutURI: backchannel ? "https://\(id).example.gov.vn/backchannel" : nil,
                grantTypes: grants, scopes: ["openid", "profile", "email", "documents.read"], idTokenSignedResponseAlg: alg,
                createdAt: now)
        }
        let clients = [
            client(Clients.portal, method: .clientSecretBasic, grants: [.authorizationCode, .refreshToken], backchannel: true),
            client(Clients.mail, method: .clientSecretBasic, grants: [.authorizationCode, .refreshToken], backchannel: true),
            client(Clients.spa, method: .none, grants: [.authorizationCode, .refreshToken]),
            client(Clients.post, method: .clientSecretPost, grants: [.authorizationCode]),
            client(Clients.jwt, method: .privateKeyJWT, grants: [.authorizationCode, .refreshToken, .clientCredentials]),
            client(Clients.service, method: .clientSecretBasic, grants: [.clientCredentials]),
            client(Clients.edwards, method: .clientSecretBasic, grants: [.authorizationCode], alg: "EdDSA"),
        ]
        try await store.write { tx in
            try tx.insertUnit(haNoi)
            try tx.insertUnit(baDinh)
            try tx.insertAccount(official)
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: official.id, role: "clerk", unitID: baDinh.id, createdAt: now))
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: official.id, role: "auditor", unitID: haNoi.id, createdAt: now))
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: official.id, role: "retired-role", unitID: haNoi.id, createdAt: now))
            for c in clients { try tx.insertClient(c) }
        }
        let roles: [String: Role] = [
            "clerk": Role(name: "clerk", permissions: ["documents.read", "documents.write"], grantableAt: [.central, .province, .commune]),
            "auditor": Role(name: "auditor", permissions: ["audit.read"], grantableAt: [.central, .province], visibleTo: [Clients.portal]),
        ]
        let configuration = OAuthConfiguration(
            issuer: issuer + "/",
            lifetimes: TokenLifetimes(accessToken: 300, idToken: 300, refreshToken: 12 * 3600, refreshTokenIdle: 2 * 3600,
                                      authorizationCode: 60, sessionIdle: 2 * 3600),
            clientSecretPepper: pepper, roles: roles)
        let engine = OAuthEngine(configuration: configuration, store: store, keys: keys, clock: clock)
        return Harness(engine: engine, store: store, keys: keys, clock: clock, folder: folder, pepper: pepper, official: official,
                       haNoi: haNoi, baDinh: baDinh, clientKey: clientKey)
    }

    // MARK: Sessions and the authorization endpoint

    /// Logs the official in: a new SSO session; returns its cookie.
    func login(account: Account? = nil, amr: [String] = ["pwd"], acr: String? = "urn:gatehouse:loa:pwd") async throws -> String {
        let cookie = SessionCookie.generate()
        let now = clock.now()
        let session = SSOSession(idHash: SessionCookie.idHash(of: cookie), accountID: (account ?? official).id, authTime: now,
                                 lastSeenAt: now, expiresAt: now + 12 * 3600, acr: acr, amr: amr)
        try await store.write { try $0.insertSession(session) }
        return cookie
    }

    func session(_ cookie: String) async throws -> SSOSession {
        try await store.read { try $0.session(idHash: SessionCookie.idHash(of: cookie)) }
    }

    /// A PKCE verifier and its S256 challenge, computed independently of the engine.
    static func pkce() -> (verifier: String, challenge: String) {
        let verifier = SecureRandom.token(byteCount: 48)
        return (verifier, Base64URL.encode(Digest.sha256(verifier)))
    }

    /// Authorization request parameters for `client`, with PKCE.
    static func authorizeParameters(
        client: String = Clients.portal, redirect: String? = nil, scope: String = "openid profile email",
        challenge: String, extra: [String: String] = [:]
    ) -> [String: String] {
        var parameters = [
            "response_type": "code", "client_id": client, "redirect_uri": redirect ?? "https://\(client).example.gov.vn/callback",
            "scope": scope, "state": "af0ifjsldkj", "nonce": "n-0S6_WzA2Mj", "code_challenge": challenge,
            "code_challenge_method": "S256",
        ]
        for (k, v) in extra { parameters[k] = v }
        return parameters
    }

    /// Runs validation and completion; returns the redirect (failing the test otherwise).
    func authorizeRedirect(_ parameters: [String: String], cookie: String?, fresh: Bool = false,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws -> AuthorizationRedirect {
        let validation = await engine.validateAuthorization(parameters)
        guard case .valid(let request) = validation else {
            if case .redirect(let redirect) = validation { return redirect }
            Issue.record("expected a valid request, got \(validation)", sourceLocation: sourceLocation)
            throw HarnessError.unexpected
        }
        let decision = await engine.authorize(request, sessionCookie: cookie, freshAuthentication: fresh, sourceIP: "10.1.2.3")
        guard case .redirect(let redirect) = decision else {
            Issue.record("expected a redirect, got \(decision)", sourceLocation: sourceLocation)
            throw HarnessError.unexpected
        }
        return redirect
    }

    /// A code for `client`, with the verifier that redeems it.
    func code(client: String = Clients.portal, cookie: String, scope: String = "openid profile email") async throws -> (code: String, verifier: String) {
        let (verifier, challenge) = Self.pkce()
        let redirect = try await authorizeRedirect(Self.authorizeParameters(client: client, scope: scope, challenge: challenge), cookie: cookie)
        let code = try #require(redirect["code"], "no code in \(redirect.location)")
        return (code, verifier)
    }

    // MARK: The token endpoint

    static func basic(_ id: String, _ secret: String) -> String {
        func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
        return "Basic " + Data("\(encode(id)):\(encode(secret))".utf8).base64EncodedString()
    }

    /// A token request authenticated with the client's registered method.
    func tokenRequest(_ parameters: [String: String], client: String = Clients.portal) throws -> EndpointRequest {
        var form = parameters
        switch client {
        case Clients.spa:
            form["client_id"] = client
            return EndpointRequest(parameters: form, sourceIP: "10.1.2.3")
        case Clients.post:
            form["client_id"] = client
            form["client_secret"] = Self.secret
            return EndpointRequest(parameters: form, sourceIP: "10.1.2.3")
        case Clients.jwt:
            form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            form["client_assertion"] = try assertion()
            return EndpointRequest(parameters: form, sourceIP: "10.1.2.3")
        default:
            return EndpointRequest(parameters: form, authorization: Self.basic(client, Self.secret), sourceIP: "10.1.2.3")
        }
    }

    /// A `private_key_jwt` assertion for `Clients.jwt`.
    func assertion(audience: String = "https://sso.example.gov.vn/token", lifetime: TimeInterval = 60, jti: String = SecureRandom.token(),
                   issuer: String = Clients.jwt, subject: String = Clients.jwt, key: SigningKey? = nil) throws -> String {
        let now = clock.now()
        let claims = JWTClaims(issuer: issuer, subject: subject, audience: .single(audience), expiresAt: now + lifetime, issuedAt: now, jwtID: jti)
        return try JWTSigner(key: key ?? clientKey, type: "JWT").sign(claims)
    }

    func redeem(_ code: String, verifier: String, client: String = Clients.portal, redirect: String? = nil) async throws -> OAuthHTTPResponse {
        await engine.token(try tokenRequest([
            "grant_type": "authorization_code", "code": code, "code_verifier": verifier,
            "redirect_uri": redirect ?? "https://\(client).example.gov.vn/callback",
        ], client: client))
    }

    func refresh(_ token: String, client: String = Clients.portal, scope: String? = nil) async throws -> OAuthHTTPResponse {
        var form = ["grant_type": "refresh_token", "refresh_token": token]
        if let scope { form["scope"] = scope }
        return await engine.token(try tokenRequest(form, client: client))
    }

    /// Logs in, authorizes and redeems: the token response's JSON.
    func tokens(client: String = Clients.portal, scope: String = "openid profile email") async throws -> (json: [String: JSONValue], cookie: String) {
        let cookie = try await login()
        let (code, verifier) = try await self.code(client: client, cookie: cookie, scope: scope)
        let response = try await redeem(code, verifier: verifier, client: client)
        #expect(response.status == 200, "token response: \(String(decoding: response.body, as: UTF8.self))")
        return (try #require(response.jsonObject), cookie)
    }

    // MARK: Verification with GatehouseJOSE, independently of the engine

    func publishedKeys() throws -> VerificationKeySet {
        try VerificationKeySet(keys.publishedJWKS(at: clock.now(), maxTokenLifetime: 3600))
    }

    func verify(_ token: String, type: String, audience: String) throws -> VerifiedJWT {
        let verifier = JWTVerifier(keys: try publishedKeys(), allowedAlgorithms: Set(JWSAlgorithm.allCases),
                                   validator: JWTValidator(issuer: Self.issuer, audience: audience, type: type))
        return try verifier.verify(token, now: clock.now())
    }

    func auditEvents() async throws -> [AuditEvent] {
        try await store.read { try $0.auditEvents(after: 0, limit: 1000) }
    }

    func setStatus(_ status: AccountStatus) async throws {
        try await store.write { [official] tx in
            var account = try tx.account(id: official.id)
            account.status = status
            try tx.updateAccount(account)
        }
    }
}

enum HarnessError: Error { case unexpected }

extension OAuthHTTPResponse {
    /// The `error` member of a JSON error body.
    var errorCode: String? { jsonObject?["error"]?.stringValue }
    func string(_ name: String) -> String? { jsonObject?[name]?.stringValue }
}

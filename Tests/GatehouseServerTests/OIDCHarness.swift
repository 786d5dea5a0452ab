import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseJOSE
import GatehouseKeys
import GatehouseOAuth
import GatehousePasswords
import GatehousePolicy
import GatehouseServer
import GatehouseStore
import GatehouseStoreSQL
import GatehouseStoreSQLite
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A whole provider on a real socket: a SQLite store and a key ring in a temporary folder, a
/// password service with small Argon2id parameters, a manual clock, a recording logout
/// notifier, a province and two communes, a few accounts, two confidential clients, and the
/// second factor: `province-admin` requires it, and so does every account of
/// `/hue/phuong-thuan-hoa` (``secondFactorUnit``).
struct OIDCHarness: Sendable {
    let services: OIDCServices
    let store: any Store
    let clock: ManualClock
    let keys: KeyRing
    let notifier: RecordingLogoutNotifier
    let passwords: PasswordService
    let accounts: [String: Account]
    /// The second-factor key (`Keys/mfa.key`); `nil` for a server started without one.
    let mfaKey: [UInt8]?

    static let issuer = "https://sso.example.gov.vn"
    static let password = "Mật khẩu đủ dài của cán bộ 2025"
    static let secret = "bí-mật-của-ứng-dụng-0123456789abcdefghijkl"
    static let argon2 = Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1)

    /// Usernames of the seeded accounts.
    enum User {
        /// Active, Argon2id hash at the current parameters.
        static let official = "nguyen.van.a"
        /// Disabled, same password.
        static let disabled = "tran.thi.b"
        /// Active, must change the password at the next login.
        static let mustChange = "le.van.c"
        /// Active, a legacy `{SSHA}` hash awaiting migration.
        static let legacy = "pham.thi.d"
        /// Active, password set 100 days ago (policy expiry: 90 days).
        static let expired = "hoang.van.e"
        /// Active, `province-admin` at /hue: must use a second factor, not enrolled yet.
        static let admin = "vo.thi.g"
        /// Active, home unit in ``OIDCHarness/secondFactorUnit``: must use a second factor.
        static let unitMember = "dang.van.h"
    }

    /// The unit whose accounts must use a second factor.
    static let secondFactorUnit = "/hue/phuong-thuan-hoa"

    static func redirect(_ client: String) -> String { "https://\(client).example.gov.vn/callback" }
    static func postLogout(_ client: String) -> String { "https://\(client).example.gov.vn/bye" }

    func account(_ username: String) async throws -> Account {
        try await store.read { try $0.account(username: try Username(username)) }
    }

    func auditEvents() async throws -> [AuditEvent] {
        try await store.read { try $0.auditEvents(after: 0, limit: 10_000) }
    }

    /// Runs `body` against a live server; `issuer` decides https (Secure `__Host-` cookies, HSTS).
    /// Without `secondFactor`, the server has no second-factor keys and its engine no second-factor policy.
    /// `extraRoles` join the catalogue (clerk, province-admin).
    static func withServer(issuer: String = OIDCHarness.issuer, secondFactor: Bool = true, extraRoles: [Role] = [],
                           _ body: @Sendable (OIDCHarness, Browser) async throws -> Void) async throws {
        try await serve("gh-web-", make: { store, clock, folder, passwords in
            let harness = try await make(issuer: issuer, store: store, clock: clock, folder: folder, passwords: passwords,
                                         secondFactor: secondFactor, extraRoles: extraRoles)
            return (harness, harness.services)
        }, { harness, client in try await body(harness, Browser(client: client)) })
    }

    /// Runs a provider in-process on a real socket for a test's harness: a temporary folder
    /// (removed afterwards) with a SQLite store on a manual clock and a password service with
    /// the small ``argon2`` parameters; `make` seeds them and builds the harness and its
    /// services, and `body` gets the harness and the test client.
    static func serve<H: Sendable>(
        _ folderPrefix: String,
        make: @Sendable (any Store, ManualClock, URL, PasswordService) async throws -> (harness: H, services: OIDCServices),
        _ body: @Sendable (H, any TestClientProtocol) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(folderPrefix + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock()
        let store = try await SQLStore(database: try SQLiteDatabase(path: folder.appendingPathComponent("gatehouse.sqlite").path), clock: clock)
        let passwords = try PasswordService(parameters: argon2, threads: 2, maxQueued: 64)
        do {
            let (harness, services) = try await make(store, clock, folder, passwords)
            let app = Application(router: GatehouseServer.router(readiness: [], oidc: services))
            try await app.test(.live) { client in try await body(harness, client) }
        } catch {
            passwords.shutdown()
            await store.close()
            throw error
        }
        passwords.shutdown()
        await store.close()
    }

    private static func make(issuer: String, store: any Store, clock: ManualClock, folder: URL, passwords: PasswordService,
                             secondFactor: Bool, extraRoles: [Role]) async throws -> OIDCHarness {
        let keys = try KeyRing.load(directory: folder.appendingPathComponent("Keys").path)
        try keys.ensureKeys(for: [.es256, .rs256], now: clock.now())
        let pepper = ClientSecrets.generatePepper()
        let now = clock.now()
        let root = try await store.read { try $0.unit(path: .root) }
        let hue = OrgUnit(id: UUID(), path: try UnitPath("/hue"), name: "Thành phố Huế", parentID: root.id, createdAt: now)
        let phuXuan = OrgUnit(id: UUID(), path: try UnitPath("/hue/phuong-phu-xuan"), name: "Phường Phú Xuân", parentID: hue.id, createdAt: now)
        let thuanHoa = OrgUnit(id: UUID(), path: try UnitPath(secondFactorUnit), name: "Phường Thuận Hóa", parentID: hue.id, createdAt: now)
        let current = try await passwords.hash(password)
        func account(_ username: String, _ name: String, status: AccountStatus = .active, hash: String? = nil, mustChange: Bool = false,
                     changedAt: Date? = nil, unit: OrgUnit? = nil) throws -> Account {
            Account(id: UUID(), username: try Username(username), displayName: name, email: "\(username)@hue.example.gov.vn",
                    unitID: (unit ?? phuXuan).id, status: status, passwordHash: hash ?? current, passwordChangedAt: changedAt ?? now,
                    mustChangePassword: mustChange, createdAt: now - 200 * 86_400)
        }
        let seeded = [
            try account(User.official, "Nguyễn Văn A"),
            try account(User.disabled, "Trần Thị B", status: .disabled),
            try account(User.mustChange, "Lê Văn C", mustChange: true),
            try account(User.legacy, "Phạm Thị D", hash: ssha(password)),
            try account(User.expired, "Hoàng Văn E", changedAt: now - 100 * 86_400),
            try account(User.admin, "Võ Thị G"),
            try account(User.unitMember, "Đặng Văn H", unit: thuanHoa),
        ]
        @Sendable func client(_ id: String) -> Client {
            Client(id: id, name: "Ứng dụng \(id)", secretHash: ClientSecrets.hash(secret: secret, pepper: pepper),
                   redirectURIs: [redirect(id)], postLogoutRedirectURIs: [postLogout(id)],
                   backchannelLogoutURI: "https://\(id).example.gov.vn/backchannel", createdAt: now)
        }
        try await store.write { tx in
            try tx.insertUnit(hue)
            try tx.insertUnit(phuXuan)
            try tx.insertUnit(thuanHoa)
            for a in seeded { try tx.insertAccount(a) }
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: seeded[0].id, role: "clerk", unitID: phuXuan.id, createdAt: now))
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: seeded[5].id, role: "province-admin", unitID: hue.id, createdAt: now))
            try tx.insertClient(client("portal"))
            try tx.insertClient(client("mail"))
        }
        var roles = [
            "clerk": Role(name: "clerk", permissions: ["documents.read"], grantableAt: [.province, .commune]),
            "province-admin": Role(name: "province-admin", permissions: ["accounts.create", "accounts.edit"], grantableAt: [.province], mfaRequired: true),
        ]
        for role in extraRoles { roles[role.name] = role }
        let mfaKey = secondFactor ? SecureRandom.bytes(32) : nil
        let configuration = OAuthConfiguration(
            issuer: issuer,
            lifetimes: TokenLifetimes(accessToken: 300, idToken: 300, refreshToken: 12 * 3600, refreshTokenIdle: 2 * 3600,
                                      authorizationCode: 60, sessionIdle: 2 * 3600),
            clientSecretPepper: pepper, roles: roles,
            secondFactor: secondFactor ? SecondFactorPolicy(roles: Array(roles.values), requiredUnits: [thuanHoa.path]) : nil)
        let engine = OAuthEngine(configuration: configuration, store: store, keys: keys, clock: clock)
        var policy = PasswordPolicy.defaults
        policy.expiryDays = 90
        let notifier = RecordingLogoutNotifier()
        let services = OIDCServices(engine: engine, passwords: passwords, passwordPolicy: policy, commonPasswords: ["matkhau123456"],
                                    tokenPolicy: .defaults, logoutNotifier: notifier,
                                    secondFactor: try mfaKey.map { try SecondFactorKeys(key: $0) })
        return OIDCHarness(services: services, store: store, clock: clock, keys: keys, notifier: notifier, passwords: passwords,
                           accounts: Dictionary(uniqueKeysWithValues: seeded.map { ($0.username.value, $0) }), mfaKey: mfaKey)
    }

    /// `{SSHA}` (salted SHA-1, OpenLDAP), a legacy scheme migrated to Argon2id at login.
    static func ssha(_ password: String) -> String {
        let salt: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let digest = Digest.hash(.sha1, Array(password.utf8) + salt)
        return "{SSHA}" + Data(digest + salt).base64EncodedString()
    }

    // MARK: Protocol helpers

    static func pkce() -> (verifier: String, challenge: String) {
        let verifier = SecureRandom.token(byteCount: 48)
        return (verifier, Base64URL.encode(Digest.sha256(verifier)))
    }

    /// `/authorize?…` for `client` with PKCE, `state` and `nonce`.
    static func authorizeURI(client: String = "portal", challenge: String, state: String = "st-123", extra: [(String, String)] = []) -> String {
        let parameters = [
            ("response_type", "code"), ("client_id", client), ("redirect_uri", redirect(client)), ("scope", "openid profile email"),
            ("state", state), ("nonce", "n-0S6_WzA2Mj"), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ] + extra
        return "/authorize?" + FormParameters.encode(parameters)
    }

    static func basic(_ client: String) -> String {
        func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
        return "Basic " + Data("\(encode(client)):\(encode(secret))".utf8).base64EncodedString()
    }

    /// The verification keys the server publishes at `/jwks`, parsed independently of the engine.
    func publishedKeys(_ browser: Browser) async throws -> VerificationKeySet {
        let jwks = try await browser.get("/jwks")
        #expect(jwks.status == .ok)
        return try VerificationKeySet(try JWKSet(json: Data(jwks.body.utf8)))
    }
}

/// Records the back-channel deliveries the logout route hands over.
final class RecordingLogoutNotifier: LogoutNotifier {
    private let recorded = Mutex<[BackchannelLogout]>([])
    var logouts: [BackchannelLogout] { recorded.withLock { $0 } }
    func notify(_ logouts: [BackchannelLogout]) async { recorded.withLock { $0 += logouts } }
}

/// A browser by hand: keeps cookies (name → value), follows nothing on its own.
final class Browser: Sendable {
    let client: any TestClientProtocol
    private let jar = Mutex<[String: String]>([:])
    private let acceptLanguage = Mutex<String?>(nil)

    init(client: any TestClientProtocol) { self.client = client }

    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        var location: String? { headers[.location] }
        var setCookies: [String] { headers[values: .setCookie] }

        /// A header by name, for names HTTPTypes has no constant for.
        func header(_ name: String) -> String? {
            headers.first { $0.name.canonicalName == name.lowercased() }?.value
        }

        /// The value of the hidden or text input `name` in the page.
        func field(_ name: String) -> String? {
            guard let range = body.range(of: "name=\"\(name)\"") else { return nil }
            let rest = body[range.upperBound...]
            guard let tagEnd = rest.firstIndex(of: ">"), let valueStart = rest[..<tagEnd].range(of: "value=\"") else { return nil }
            let value = rest[valueStart.upperBound...]
            return value.firstIndex(of: "\"").map { String(value[..<$0]) }
        }

        /// The query parameters of `Location`.
        var redirectParameters: [String: String] {
            guard let location, let query = URLComponents(string: location)?.percentEncodedQuery else { return [:] }
            return (try? FormParameters.parse(query)) ?? [:]
        }
    }

    var cookies: [String: String] { jar.withLock { $0 } }
    func setCookie(_ name: String, _ value: String?) { jar.withLock { $0[name] = value } }
    func setAcceptLanguage(_ value: String?) { acceptLanguage.withLock { $0 = value } }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> Reply {
        try await send(uri, method: .get, headers: headers, body: nil)
    }

    func post(_ uri: String, form: [(String, String)], headers: HTTPFields = [:]) async throws -> Reply {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await send(uri, method: .post, headers: headers, body: FormParameters.encode(form))
    }

    func send(_ uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: String?) async throws -> Reply {
        var headers = headers
        let cookieHeader = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        if !cookieHeader.isEmpty { headers[.cookie] = cookieHeader }
        if headers[.acceptLanguage] == nil, let language = acceptLanguage.withLock({ $0 }) { headers[.acceptLanguage] = language }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            setCookie(name, line.contains("Max-Age=0") ? nil : value)
        }
        return Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    /// The path and query of an absolute or relative URL on the server.
    static func local(_ location: String) -> String {
        guard let components = URLComponents(string: location), components.host != nil else { return location }
        return components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    // MARK: Flows

    /// Starts an authorization request and returns the login page it leads to.
    func openLogin(_ authorizeURI: String) async throws -> Reply {
        let start = try await get(authorizeURI)
        #expect(start.status == .found || start.status == .seeOther, "authorize: \(start.status) \(start.body)")
        let location = try #require(start.location)
        #expect(location.hasPrefix("/login?"), "expected the login page, got \(location)")
        return try await get(location)
    }

    /// Posts the login form of `page` with `username` and `password`.
    func submitLogin(_ page: Reply, username: String, password: String, csrf: String? = nil, flow: String? = nil) async throws -> Reply {
        try await post("/login", form: [
            ("flow", flow ?? page.field("flow") ?? ""), ("csrf", csrf ?? page.field("csrf") ?? ""), ("lang", page.field("lang") ?? "vi"),
            ("username", username), ("password", password),
        ])
    }

    /// Logs in through `authorizeURI` and returns the redirect back to the client.
    func login(_ authorizeURI: String, username: String = OIDCHarness.User.official, password: String = OIDCHarness.password) async throws -> Reply {
        let page = try await openLogin(authorizeURI)
        return try await submitLogin(page, username: username, password: password)
    }

    /// Redeems `code` at `/token`.
    func redeem(_ code: String, verifier: String, client: String = "portal") async throws -> [String: Any] {
        let reply = try await post("/token", form: [
            ("grant_type", "authorization_code"), ("code", code), ("code_verifier", verifier), ("redirect_uri", OIDCHarness.redirect(client)),
        ], headers: [.authorization: OIDCHarness.basic(client)])
        #expect(reply.status == .ok, "token: \(reply.body)")
        return try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
    }
}

import Foundation
import GatehouseCore
import GatehouseCrypto
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
import Testing

/// A provider on a real socket for the SCIM tests: two provinces (Hà Nội with two communes,
/// Huế with one), administrators at each level, a few officials, and the client `console`
/// allowed the `gatehouse:admin` scope. Administrators get their access tokens through the
/// ordinary code flow (``token(_:)``).
struct SCIMHarness: Sendable {
    let services: OIDCServices
    let store: any Store
    let clock: ManualClock
    let accounts: [String: Account]
    let browser: Browser
    /// The port the server listens on, for clients outside the process.
    let port: Int?

    static let client = "console"

    enum User {
        /// `province-admin@/ha-noi`, home unit /ha-noi.
        static let hanoiAdmin = "admin.hanoi"
        /// `province-admin@/hue`, home unit /hue.
        static let hueAdmin = "admin.hue"
        /// `central-admin@/`.
        static let centralAdmin = "admin.central"
        /// `clerk@/ha-noi/phuong-ba-dinh`: no administrative permission.
        static let clerk = "clerk.badinh"
        /// Officials without grants.
        static let badinh = "nguyen.van.a"
        static let hoankiem = "tran.thi.b"
        static let phuxuan = "le.van.c"
    }

    /// Runs `body` against a fresh server; `roles` adds to the role catalogue.
    static func withServer(roles: [Role] = [], _ body: @Sendable (SCIMHarness) async throws -> Void) async throws {
        try await OIDCHarness.serve("gh-scim-", make: { store, clock, folder, passwords in
            let (services, accounts) = try await make(store: store, clock: clock, folder: folder, passwords: passwords, extraRoles: roles)
            return ((services, store, clock, accounts), services)
        }, { seeded, client in
            try await body(SCIMHarness(services: seeded.0, store: seeded.1, clock: seeded.2, accounts: seeded.3,
                                       browser: Browser(client: client), port: client.port))
        })
    }

    private static func make(store: any Store, clock: ManualClock, folder: URL, passwords: PasswordService,
                             extraRoles: [Role]) async throws -> (OIDCServices, [String: Account]) {
        let keys = try KeyRing.load(directory: folder.appendingPathComponent("Keys").path)
        try keys.ensureKeys(for: [.es256, .rs256], now: clock.now())
        let pepper = ClientSecrets.generatePepper()
        let now = clock.now()
        let root = try await store.read { try $0.unit(path: .root) }
        func unit(_ path: String, _ name: String, _ parent: OrgUnit) throws -> OrgUnit {
            OrgUnit(id: UUID(), path: try UnitPath(path), name: name, parentID: parent.id, createdAt: now)
        }
        let hanoi = try unit("/ha-noi", "Thành phố Hà Nội", root)
        let badinh = try unit("/ha-noi/phuong-ba-dinh", "Phường Ba Đình", hanoi)
        let hoankiem = try unit("/ha-noi/phuong-hoan-kiem", "Phường Hoàn Kiếm", hanoi)
        let hue = try unit("/hue", "Thành phố Huế", root)
        let phuxuan = try unit("/hue/phuong-phu-xuan", "Phường Phú Xuân", hue)
        let hash = try await passwords.hash(OIDCHarness.password)
        func account(_ username: String, _ name: String, _ home: OrgUnit) throws -> Account {
            Account(id: UUID(), username: try Username(username), displayName: name, email: "\(username)@example.gov.vn",
                    unitID: home.id, passwordHash: hash, passwordChangedAt: now, createdAt: now)
        }
        let seeded = [
            try account(User.hanoiAdmin, "Quản trị Hà Nội", hanoi),
            try account(User.hueAdmin, "Quản trị Huế", hue),
            try account(User.centralAdmin, "Quản trị Trung ương", root),
            try account(User.clerk, "Văn thư Ba Đình", badinh),
            try account(User.badinh, "Nguyễn Văn A", badinh),
            try account(User.hoankiem, "Trần Thị B", hoankiem),
            try account(User.phuxuan, "Lê Văn C", phuxuan),
        ]
        let byName = Dictionary(uniqueKeysWithValues: seeded.map { ($0.username.value, $0) })
        let client = Client(id: Self.client, name: "Bảng điều khiển", secretHash: ClientSecrets.hash(secret: OIDCHarness.secret, pepper: pepper),
                            redirectURIs: [OIDCHarness.redirect(Self.client)], scopes: ["openid", "profile", "email", "gatehouse:admin"],
                            createdAt: now)
        try await store.write { tx in
            for u in [hanoi, badinh, hoankiem, hue, phuxuan] { try tx.insertUnit(u) }
            for a in seeded { try tx.insertAccount(a) }
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: byName[User.hanoiAdmin]!.id, role: "province-admin", unitID: hanoi.id, createdAt: now))
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: byName[User.hueAdmin]!.id, role: "province-admin", unitID: hue.id, createdAt: now))
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: byName[User.centralAdmin]!.id, role: "central-admin", unitID: root.id, createdAt: now))
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: byName[User.clerk]!.id, role: "clerk", unitID: badinh.id, createdAt: now))
            try tx.insertClient(client)
        }
        let accountPermissions: Set<Permission> = [.accountsCreate, .accountsEdit, .accountsDisable, .accountsResetCredentials, .rolesGrant]
        var roles = [
            "clerk": Role(name: "clerk", permissions: ["documents.read"], grantableAt: [.province, .commune]),
            "province-admin": Role(name: "province-admin", permissions: accountPermissions.union([.unitsManage, "documents.read"]),
                                   grantableAt: [.province]),
            "central-admin": Role(name: "central-admin", permissions: accountPermissions.union([.unitsManage, .clientsManage, "documents.read"]),
                                  grantableAt: [.central]),
        ]
        for role in extraRoles { roles[role.name] = role }
        let configuration = OAuthConfiguration(
            issuer: OIDCHarness.issuer,
            lifetimes: TokenLifetimes(accessToken: 3600, idToken: 300, refreshToken: 12 * 3600, refreshTokenIdle: 2 * 3600,
                                      authorizationCode: 60, sessionIdle: 2 * 3600),
            clientSecretPepper: pepper, roles: roles)
        let engine = OAuthEngine(configuration: configuration, store: store, keys: keys, clock: clock)
        let services = OIDCServices(engine: engine, passwords: passwords, passwordPolicy: .defaults, commonPasswords: ["matkhau123456"],
                                    tokenPolicy: .defaults, logoutNotifier: RecordingLogoutNotifier())
        return (services, byName)
    }

    /// An access token for `username` with the `gatehouse:admin` scope, through the code flow
    /// of the `console` client. Each call logs in afresh, in its own browser.
    func token(_ username: String, scope: String = "openid gatehouse:admin") async throws -> String {
        let session = Browser(client: browser.client)
        let (verifier, callback) = try await login(username, password: OIDCHarness.password, scope: scope, in: session)
        let detail = callback.location ?? callback.body
        let code = try #require(callback.redirectParameters["code"], "login of \(username): \(callback.status) \(detail)")
        let tokens = try await session.redeem(code, verifier: verifier, client: Self.client)
        return try #require(tokens["access_token"] as? String)
    }

    /// Whether `username` logs in with `password` through the code flow of the `console`
    /// client (in a browser of its own) and reaches the redirect with a code.
    func logsIn(_ username: String, password: String) async throws -> Bool {
        let (_, callback) = try await login(username, password: password, scope: "openid", in: Browser(client: browser.client))
        return callback.redirectParameters["code"] != nil
    }

    private func login(_ username: String, password: String, scope: String, in session: Browser) async throws -> (verifier: String, Browser.Reply) {
        let (verifier, challenge) = OIDCHarness.pkce()
        let uri = "/authorize?" + FormParameters.encode([
            ("response_type", "code"), ("client_id", Self.client), ("redirect_uri", OIDCHarness.redirect(Self.client)),
            ("scope", scope), ("state", "st"), ("nonce", "n"), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ])
        return (verifier, try await session.login(uri, username: username, password: password))
    }

    /// A SCIM request with `token`; `body` is sent as `application/scim+json`.
    func scim(_ method: HTTPRequest.Method, _ path: String, token: String?, body: Any? = nil, headers: HTTPFields = [:]) async throws -> SCIMReplyBody {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        var text: String?
        if let body {
            headers[.contentType] = "application/scim+json"
            if let raw = body as? String { text = raw } else {
                text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            }
        }
        let reply = try await browser.send("/scim/v2" + path, method: method, headers: headers, body: text)
        return SCIMReplyBody(reply: reply)
    }
}

/// A SCIM response with its body parsed.
struct SCIMReplyBody: Sendable {
    let reply: Browser.Reply
    var status: HTTPResponse.Status { reply.status }
    var etag: String? { reply.headers[.eTag] }
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))) as? [String: Any] ?? [:]
    }
    var id: String? { json["id"] as? String }
    var resources: [[String: Any]] { json["Resources"] as? [[String: Any]] ?? [] }
    var userNames: [String] { resources.compactMap { $0["userName"] as? String } }
    var totalResults: Int? { json["totalResults"] as? Int }
    var scimType: String? { json["scimType"] as? String }
    /// The error's `status` member, a string in SCIM.
    var errorStatus: String? { json["status"] as? String }
}

import Foundation
import GatehouseCore
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

/// A provider for the admin console: Hà Nội with Ba Đình, Huế with Phú Xuân, the roles of
/// `Policies/roles.yaml` (without the second factor, which the browser journey covers), a
/// central administrator, a Hà Nội province administrator, and an official in each province.
struct ConsoleHarness: Sendable {
    let services: OIDCServices
    let store: any Store
    let clock: ManualClock
    let accounts: [String: Account]

    static let issuer = "https://sso.example.gov.vn"
    static let password = "Mật khẩu đủ dài của quản trị 2025"

    enum User {
        /// `central-admin` at `/`.
        static let central = "quan.tri.trung.uong"
        /// `province-admin` at `/ha-noi`.
        static let hanoiAdmin = "quan.tri.ha.noi"
        /// An official of Ba Đình (`clerk` at `/ha-noi/phuong-ba-dinh`).
        static let hanoiOfficial = "nguyen.van.an"
        /// An official of Phú Xuân, Huế.
        static let hueOfficial = "le.thi.hue"
        /// A clerk without any administrative role.
        static let clerk = "tran.van.binh"
    }

    static let roles: [Role] = {
        let application: Set<Permission> = ["documents.read", "documents.write"]
        let province: Set<Permission> = [.accountsCreate, .accountsEdit, .accountsDisable, .accountsResetCredentials, .rolesGrant, .unitsManage, .auditRead]
        return [
            Role(name: "central-admin", permissions: province.union([.clientsManage]).union(application), grantableAt: [.central]),
            Role(name: "province-admin", permissions: province.union(application), grantableAt: [.province]),
            Role(name: "clerk", permissions: application, grantableAt: [.central, .province, .commune]),
            Role(name: "official", permissions: ["documents.read"], grantableAt: [.central, .province, .commune]),
        ]
    }()

    func account(_ username: String) async throws -> Account {
        try await store.read { try $0.account(username: try Username(username)) }
    }

    static func withServer(_ body: @Sendable (ConsoleHarness, Browser) async throws -> Void) async throws {
        try await OIDCHarness.serve("gh-console-", make: { store, clock, folder, passwords in
            let harness = try await make(store: store, clock: clock, folder: folder, passwords: passwords)
            return (harness, harness.services)
        }, { harness, client in try await body(harness, Browser(client: client)) })
    }

    private static func make(store: any Store, clock: ManualClock, folder: URL, passwords: PasswordService) async throws -> ConsoleHarness {
        let keys = try KeyRing.load(directory: folder.appendingPathComponent("Keys").path)
        try keys.ensureKeys(for: [.es256, .rs256], now: clock.now())
        let now = clock.now()
        let root = try await store.read { try $0.unit(path: .root) }
        func unit(_ path: String, _ name: String, _ parent: OrgUnit) throws -> OrgUnit {
            OrgUnit(id: UUID(), path: try UnitPath(path), name: name, parentID: parent.id, createdAt: now)
        }
        let hanoi = try unit("/ha-noi", "Thành phố Hà Nội", root)
        let baDinh = try unit("/ha-noi/phuong-ba-dinh", "Phường Ba Đình", hanoi)
        let hue = try unit("/hue", "Thành phố Huế", root)
        let phuXuan = try unit("/hue/phuong-phu-xuan", "Phường Phú Xuân", hue)
        let hash = try await passwords.hash(password)
        func account(_ username: String, _ name: String, _ unit: OrgUnit) throws -> Account {
            Account(id: UUID(), username: try Username(username), displayName: name, email: "\(username)@example.gov.vn",
                    unitID: unit.id, status: .active, passwordHash: hash, passwordChangedAt: now, createdAt: now)
        }
        let seeded = [
            try account(User.central, "Quản trị Trung ương", root),
            try account(User.hanoiAdmin, "Quản trị Hà Nội", hanoi),
            try account(User.hanoiOfficial, "Nguyễn Văn An", baDinh),
            try account(User.hueOfficial, "Lê Thị Huế", phuXuan),
            try account(User.clerk, "Trần Văn Bình", baDinh),
        ]
        try await store.write { tx in
            for u in [hanoi, baDinh, hue, phuXuan] { try tx.insertUnit(u) }
            for a in seeded { try tx.insertAccount(a) }
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: seeded[0].id, role: "central-admin", unitID: root.id, createdAt: now))
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: seeded[1].id, role: "province-admin", unitID: hanoi.id, createdAt: now))
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: seeded[2].id, role: "clerk", unitID: baDinh.id, createdAt: now))
            try tx.insertGrant(RoleGrant(id: UUID(), accountID: seeded[4].id, role: "clerk", unitID: baDinh.id, createdAt: now))
        }
        let configuration = OAuthConfiguration(
            issuer: issuer,
            lifetimes: TokenLifetimes(accessToken: 300, idToken: 300, refreshToken: 12 * 3600, refreshTokenIdle: 2 * 3600,
                                      authorizationCode: 60, sessionIdle: 2 * 3600),
            clientSecretPepper: ClientSecrets.generatePepper(), roles: Dictionary(uniqueKeysWithValues: roles.map { ($0.name, $0) }))
        let engine = OAuthEngine(configuration: configuration, store: store, keys: keys, clock: clock)
        let services = OIDCServices(engine: engine, passwords: passwords, passwordPolicy: .defaults, logoutNotifier: RecordingLogoutNotifier())
        return ConsoleHarness(services: services, store: store, clock: clock,
                              accounts: Dictionary(uniqueKeysWithValues: seeded.map { ($0.username.value, $0) }))
    }
}

extension Browser {
    /// Opens `/console` without a session and signs in as `username` through `/authorize`, the
    /// login form and the callback; returns the console's home page.
    func consoleLogin(_ username: String, password: String = ConsoleHarness.password) async throws -> Reply {
        let start = try await get("/console")
        #expect(start.status == .seeOther, "console: \(start.status) \(start.body)")
        let authorize = try #require(start.location)
        #expect(authorize.hasPrefix("/authorize?"), "\(authorize)")
        let page = try await openLogin(authorize)
        let back = try await submitLogin(page, username: username, password: password)
        let callback = try #require(back.location, "login: \(back.status) \(back.body)")
        #expect(callback.hasPrefix(ConsoleHarness.issuer + "/console/callback?"), "\(callback)")
        let signedIn = try await get(Browser.local(callback))
        #expect(signedIn.status == .seeOther, "callback: \(signedIn.status) \(signedIn.body)")
        #expect(signedIn.location == "/console")
        let home = try await get("/console")
        #expect(home.status == .ok, "\(home.body)")
        return home
    }

    /// Posts `form` with the CSRF token of `page`.
    func consolePost(_ uri: String, from page: Reply, _ form: [(String, String)]) async throws -> Reply {
        try await post(uri, form: [("csrf", page.field("csrf") ?? "")] + form)
    }
}

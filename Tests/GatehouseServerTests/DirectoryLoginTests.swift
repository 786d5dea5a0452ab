import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseKeys
import GatehouseLDAP
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

/// The login page for accounts of an LDAP directory, against the test slapd: search-then-bind,
/// the same answers as local accounts, a 503 when the directory is down, and the cached
/// password fallback.
@Suite("Login through a directory", .enabled(if: DirectoryLoginFixture.url != nil, "GATEHOUSE_TEST_LDAP_URL is not set (scripts/test-slapd.sh start DIR)"))
struct DirectoryLoginTests {
    @Test func directoryPasswordLogsInAndWrongOnesGetTheUsualAnswer() async throws {
        try await DirectoryLoginFixture.with { fixture, services, browser in
            let (_, challenge) = OIDCHarness.pkce()
            let wrong = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge), username: fixture.uid, password: "Mật-khẩu-sai")
            let unknown = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge), username: "khong.co.ai", password: "Mật-khẩu-sai")
            #expect(wrong.status == .ok && unknown.status == .ok)
            #expect(wrong.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
            #expect(unknown.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."))

            // Filter metacharacters never reach the directory as syntax.
            let injected = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge), username: "*)(uid=*", password: DirectoryLoginFixture.password)
            #expect(injected.status == .ok && injected.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
            let starred = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge), username: "\(fixture.uid)*", password: DirectoryLoginFixture.password)
            #expect(starred.status == .ok && starred.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."))

            let ok = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge), username: fixture.uid, password: DirectoryLoginFixture.password)
            #expect(ok.status == .seeOther && ok.redirectParameters["code"] != nil, "\(ok.status) \(ok.body.prefix(300))")

            let events = try await fixture.store.read { try $0.auditEvents(after: 0, limit: 1_000) }
            let failures = events.filter { $0.record.action == "login.failure" }
            #expect(failures.first?.record.detail == ["reason": "invalid_password", "directory": "ha-noi"])
            #expect(events.contains { $0.record.action == "login.success" && $0.record.actor == fixture.account.id.uuidString.lowercased() })
            #expect(try await fixture.store.read { try $0.directoryPasswordVerifier(accountID: fixture.account.id) } == nil,
                    "no verifier is kept without cached_password_fallback")
        }
    }

    @Test func passwordChangedInTheDirectoryWorksAtTheNextLogin() async throws {
        try await DirectoryLoginFixture.with { fixture, _, browser in
            let newPassword = "Mật-khẩu-mới-2025"
            try fixture.admin.modify(fixture.dn, replacing: [LDAPAttribute("userPassword", [DirectoryLoginFixture.ssha(newPassword)])])
            let (_, challenge) = OIDCHarness.pkce()
            let old = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge), username: fixture.uid, password: DirectoryLoginFixture.password)
            #expect(old.status == .ok && old.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
            let new = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge), username: fixture.uid, password: newPassword)
            #expect(new.status == .seeOther && new.redirectParameters["code"] != nil)
        }
    }

    @Test func disabledAccountIsRefusedWithTheRightPassword() async throws {
        try await DirectoryLoginFixture.with { fixture, _, browser in
            try await fixture.store.write { tx in
                var account = try tx.account(id: fixture.account.id)
                account.status = .disabled
                try tx.updateAccount(account)
            }
            let (_, challenge) = OIDCHarness.pkce()
            let refused = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge), username: fixture.uid, password: DirectoryLoginFixture.password)
            #expect(refused.status == .ok && refused.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
        }
    }

    /// A directory that is down is a 503 to try again, never "wrong password".
    @Test func directoryDownIsServiceUnavailable() async throws {
        try await DirectoryLoginFixture.with(directoryDown: true) { fixture, _, browser in
            let (_, challenge) = OIDCHarness.pkce()
            let reply = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge), username: fixture.uid, password: DirectoryLoginFixture.password)
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.header("Retry-After") != nil)
            #expect(!reply.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
            #expect(reply.body.contains("Không kết nối được với thư mục tài khoản"), "the page says the directory is unreachable")
        }
    }

    /// With `cached_password_fallback`, a bind leaves an Argon2id verifier (never the password);
    /// while the directory is down the right password still works and a wrong one does not; a
    /// password the directory rejects drops the verifier.
    @Test func cachedPasswordFallback() async throws {
        try await DirectoryLoginFixture.with(fallback: true) { fixture, _, browser in
            let (_, challenge) = OIDCHarness.pkce()
            let first = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge), username: fixture.uid, password: DirectoryLoginFixture.password)
            #expect(first.status == .seeOther)
            let verifier = try #require(try await fixture.store.read { try $0.directoryPasswordVerifier(accountID: fixture.account.id) })
            #expect(verifier.hasPrefix("$argon2id$") && !verifier.contains(DirectoryLoginFixture.password))

            try await fixture.withServer(directoryDown: true, fallback: true) { _, _, down in
                let wrong = try await down.login(OIDCHarness.authorizeURI(challenge: challenge), username: fixture.uid, password: "Mật-khẩu-sai")
                #expect(wrong.status == .ok && wrong.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
                let cached = try await down.login(OIDCHarness.authorizeURI(challenge: challenge), username: fixture.uid, password: DirectoryLoginFixture.password)
                #expect(cached.status == .seeOther && cached.redirectParameters["code"] != nil, "\(cached.status)")
            }
            let actions = try await fixture.store.read { try $0.auditEvents(after: 0, limit: 1_000) }.map(\.record.action)
            #expect(actions.contains("login.directory_fallback"))

            try await fixture.withServer(directoryDown: false, fallback: true) { _, _, up in
                let rejected = try await up.login(OIDCHarness.authorizeURI(challenge: challenge), username: fixture.uid, password: "Mật-khẩu-sai")
                #expect(rejected.status == .ok)
            }
            #expect(try await fixture.store.read { try $0.directoryPasswordVerifier(accountID: fixture.account.id) } == nil,
                    "a password the directory rejects drops the verifier")
            try await fixture.withServer(directoryDown: true, fallback: true) { _, _, down in
                let reply = try await down.login(OIDCHarness.authorizeURI(challenge: challenge), username: fixture.uid, password: DirectoryLoginFixture.password)
                #expect(reply.status == .serviceUnavailable, "without a verifier the fallback has nothing to check")
            }
        }
    }
}

/// One official in a scratch subtree of the test slapd and a directory account for it, and a
/// provider whose login page checks that account at the directory.
struct DirectoryLoginFixture: Sendable {
    static let url = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_LDAP_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let admin = LDAPCredentials(dn: "cn=admin,dc=gatehouse,dc=test", password: "gatehouse-admin-test-password")
    static let service = LDAPCredentials(dn: "cn=gatehouse-sync,dc=gatehouse,dc=test", password: "gatehouse-sync-test-password")
    static let password = "Mật-khẩu-thư-mục-1"

    let admin: LDAPConnection
    let base: String
    let uid: String
    let dn: String
    let account: Account
    let store: any Store
    let clock: ManualClock
    let folder: URL
    let keys: KeyRing
    let pepper: [UInt8]
    let passwords: PasswordService

    static func ssha(_ password: String) -> String {
        let salt: [UInt8] = (0..<8).map { _ in .random(in: 0...255) }
        return "{SSHA}" + Data(Digest.hash(.sha1, Array(password.utf8) + salt) + salt).base64EncodedString()
    }

    static func with(
        directoryDown: Bool = false, fallback: Bool = false,
        _ body: @Sendable (DirectoryLoginFixture, OIDCServices, Browser) async throws -> Void
    ) async throws {
        let fixture = try await make()
        do {
            try await fixture.withServer(directoryDown: directoryDown, fallback: fallback, body)
        } catch {
            await fixture.cleanUp()
            throw error
        }
        await fixture.cleanUp()
    }

    private static func make() async throws -> DirectoryLoginFixture {
        let url = try #require(url)
        let admin = try LDAPConnection(configuration: LDAPConfiguration(url: url))
        try admin.bind(Self.admin)
        let tag = String(UUID().uuidString.lowercased().prefix(8))
        let base = "ou=login-\(tag),dc=gatehouse,dc=test"
        let uid = "hoang.thi.yen.\(tag)"
        let dn = "uid=\(uid),\(base)"
        try admin.add(base, attributes: [LDAPAttribute("objectClass", ["organizationalUnit"]), LDAPAttribute("ou", ["login-\(tag)"])])
        try admin.add(dn, attributes: [
            LDAPAttribute("objectClass", ["inetOrgPerson"]), LDAPAttribute("uid", [uid]), LDAPAttribute("cn", ["Hoàng Thị Yến"]),
            LDAPAttribute("sn", ["Hoàng"]), LDAPAttribute("userPassword", [ssha(password)]),
        ])
        let reader = try LDAPConnection(configuration: LDAPConfiguration(url: url))
        try reader.bind(service)
        let entryUUID = try #require(try reader.search(LDAPSearchRequest(base: dn, scope: .base, attributes: ["entryUUID"])).first?.string("entryUUID"))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gh-dirlogin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let clock = ManualClock()
        let store = try await SQLStore(database: try SQLiteDatabase(path: folder.appendingPathComponent("gatehouse.sqlite").path), clock: clock)
        let keys = try KeyRing.load(directory: folder.appendingPathComponent("Keys").path)
        _ = try keys.ensureKeys(for: [.es256, .rs256], now: clock.now())
        let pepper = ClientSecrets.generatePepper()
        let now = clock.now()
        let root = try await store.read { try $0.unit(path: .root) }
        let hue = OrgUnit(id: UUID(), path: try UnitPath("/hue"), name: "Thành phố Huế", parentID: root.id, createdAt: now)
        let account = Account(id: UUID(), username: try Username(uid), displayName: "Hoàng Thị Yến", unitID: hue.id,
                              source: .directory(name: "ha-noi", externalID: entryUUID), createdAt: now)
        try await store.write { tx in
            try tx.insertUnit(hue)
            try tx.insertAccount(account)
            try tx.insertClient(Client(id: "portal", name: "Cổng", secretHash: ClientSecrets.hash(secret: OIDCHarness.secret, pepper: pepper),
                                       redirectURIs: [OIDCHarness.redirect("portal")], createdAt: now))
        }
        return DirectoryLoginFixture(
            admin: admin, base: base, uid: uid, dn: dn, account: account, store: store, clock: clock, folder: folder, keys: keys,
            pepper: pepper, passwords: try PasswordService(parameters: OIDCHarness.argon2, threads: 2, maxQueued: 64))
    }

    /// A live server on the fixture's store, its directory reachable or not.
    func withServer(
        directoryDown: Bool, fallback: Bool, _ body: @Sendable (DirectoryLoginFixture, OIDCServices, Browser) async throws -> Void
    ) async throws {
        let url = directoryDown ? "ldap://127.0.0.1:1" : Self.url!
        let authenticator = try LDAPAuthenticator(
            // Short deadlines for the refused port; generous ones for the real directory, which a
            // loaded test machine may answer slowly.
            configuration: LDAPConfiguration(url: url, networkTimeout: .seconds(directoryDown ? 1 : 10),
                                             operationTimeout: .seconds(directoryDown ? 2 : 20)), serviceAccount: Self.service,
            userSearch: LDAPUserSearch(baseDN: base, usernameAttribute: "uid", attributes: ["uid", "entryUUID"]), maximumConnections: 2)
        let configuration = OAuthConfiguration(
            issuer: OIDCHarness.issuer,
            lifetimes: TokenLifetimes(accessToken: 300, idToken: 300, refreshToken: 12 * 3600, refreshTokenIdle: 2 * 3600,
                                      authorizationCode: 60, sessionIdle: 2 * 3600),
            clientSecretPepper: pepper, roles: [:])
        let engine = OAuthEngine(configuration: configuration, store: store, keys: keys, clock: clock)
        let services = OIDCServices(
            engine: engine, passwords: passwords, passwordPolicy: .defaults, logoutNotifier: RecordingLogoutNotifier(),
            directories: DirectoryLogins([.init(name: "ha-noi", authenticator: authenticator, cachedPasswordFallback: fallback)]))
        let app = Application(router: GatehouseServer.router(readiness: [], oidc: services))
        let fixture = self
        try await app.test(.live) { client in try await body(fixture, services, Browser(client: client)) }
    }

    func cleanUp() async {
        try? admin.delete(dn)
        try? admin.delete(base)
        passwords.shutdown()
        await store.close()
        try? FileManager.default.removeItem(at: folder)
    }
}

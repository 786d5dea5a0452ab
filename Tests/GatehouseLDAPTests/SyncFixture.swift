import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseJOSE
import GatehouseKeys
@testable import GatehouseLDAP
import GatehouseOAuth
import GatehouseStore
import GatehouseStorePostgres
import GatehouseStoreSQL
import GatehouseStoreSQLite
import Testing

/// A province bridge in miniature, in a scratch subtree of the test slapd (removed afterwards):
///
/// ```
/// ou=sync-XXXX,dc=gatehouse,dc=test
///   ou=central                          → /
///   ou=ha-noi                           → /ha-noi
///     ou=phuong-ba-dinh                 → /ha-noi/phuong-ba-dinh
///     ou=Phường Hoàn Kiếm               → /ha-noi/phuong-hoan-kiem   (matched by its OU value)
///   ou=hue                              → /hue
///     ou=phuong-phu-xuan                → /hue/phuong-phu-xuan
///   ou=lac-loi                          (no rule: its users are skipped)
///   ou=groups: cn=van-thu-ha-noi (clerk@/ha-noi), cn=can-bo-hue (official@/hue),
///              cn=kiem-toan (auditor@/)
/// ```
///
/// Users have Vietnamese names, some stored in NFD, and legacy `{SSHA}` passwords.
final class SyncFixture: @unchecked Sendable {
    let base: String
    let admin: LDAPConnection

    static let password = "Mật-khẩu-đồng-bộ-1"

    /// The users `make()` adds: uid, display name (NFC), OU path below the base, NFD or not.
    static let people: [(uid: String, name: String, ou: String, nfd: Bool)] = [
        ("nguyen.thi.mai", "Nguyễn Thị Mai", "ou=central", false),
        ("tran.van.hung", "Trần Văn Hùng", "ou=ha-noi", false),
        ("le.thi.thu", "Lê Thị Thu", "ou=phuong-ba-dinh,ou=ha-noi", true),
        ("do.van.nam", "Đỗ Văn Nam", "ou=Phường Hoàn Kiếm,ou=ha-noi", false),
        ("pham.thi.hoa", "Phạm Thị Hoa", "ou=hue", false),
        ("vu.van.long", "Vũ Văn Long", "ou=phuong-phu-xuan,ou=hue", true),
    ]

    private init(base: String, admin: LDAPConnection) {
        self.base = base
        self.admin = admin
    }

    static func make() throws -> SyncFixture {
        let admin = try TestDirectory.connection(as: TestDirectory.admin)
        let name = "sync-" + UUID().uuidString.lowercased().prefix(8)
        let fixture = SyncFixture(base: "ou=\(name),\(TestDirectory.suffix)", admin: admin)
        try admin.add(fixture.base, attributes: [LDAPAttribute("objectClass", ["organizationalUnit"]), LDAPAttribute("ou", [name])])
        for ou in ["ou=central", "ou=ha-noi", "ou=phuong-ba-dinh,ou=ha-noi", "ou=Phường Hoàn Kiếm,ou=ha-noi", "ou=hue",
                   "ou=phuong-phu-xuan,ou=hue", "ou=lac-loi", "ou=groups"] {
            try fixture.addOU(ou)
        }
        for person in people { try fixture.addUser(person.uid, name: person.name, in: person.ou, nfd: person.nfd) }
        // Escapes in the DN: slapd returns it as cn=\23Ngô Thị Kim\2C TS.
        try fixture.addUser("ngo.thi.kim", name: "#Ngô Thị Kim, TS.", in: "ou=hue", rdn: ##"cn=\#Ngô Thị Kim\, TS."##)
        try fixture.addUser("lac.loi", name: "Lạc Lối", in: "ou=lac-loi")
        try fixture.addUser("bad*name", name: "Tên Sai", in: "ou=ha-noi", rdn: "cn=Tên Sai")
        try fixture.addGroup("van-thu-ha-noi", members: [fixture.dn("tran.van.hung"), fixture.dn("do.van.nam")])
        try fixture.addGroup("can-bo-hue", members: [fixture.dn("pham.thi.hoa"), ##"cn=\#Ngô Thị Kim\, TS.,ou=hue,"## + fixture.base])
        try fixture.addGroup("kiem-toan", members: [fixture.dn("nguyen.thi.mai")])
        return fixture
    }

    /// Deletes the subtree, deepest entries first.
    func cleanUp() {
        guard let entries = try? admin.search(LDAPSearchRequest(base: base, attributes: ["1.1"])) else { return }
        let ordered = entries.compactMap { entry in (try? DistinguishedName(entry.dn)).map { (entry.dn, $0.rdns.count) } }
        for (dn, _) in ordered.sorted(by: { $0.1 > $1.1 }) { try? admin.delete(dn) }
    }

    /// Adds the OU `relative` (`ou=x,ou=parent`) below the base.
    func addOU(_ relative: String) throws {
        let value = String(relative.split(separator: ",")[0].dropFirst(3))
        try admin.add("\(relative),\(base)", attributes: [LDAPAttribute("objectClass", ["organizationalUnit"]), LDAPAttribute("ou", [value])])
    }

    /// The DN of a user `make()` added with a `uid=` RDN.
    func dn(_ uid: String) -> String {
        let ou = Self.people.first { $0.uid == uid }?.ou ?? "ou=hue"
        return "uid=\(LDAPEscape.dnValue(uid)),\(ou),\(base)"
    }

    func addUser(_ uid: String, name: String, in ou: String, rdn: String? = nil, nfd: Bool = false, password: String = SyncFixture.password) throws {
        let stored = nfd ? name.decomposedStringWithCanonicalMapping : name
        try admin.add("\(rdn ?? "uid=\(LDAPEscape.dnValue(uid))"),\(ou),\(base)", attributes: [
            LDAPAttribute("objectClass", ["inetOrgPerson"]),
            LDAPAttribute("uid", [uid]),
            LDAPAttribute("cn", values: [Array(stored.utf8)]),
            LDAPAttribute("sn", [String(name.split(separator: " ").first ?? "x")]),
            LDAPAttribute("mail", ["\(uid)@gatehouse.test"]),
            LDAPAttribute("userPassword", [Self.ssha(password)]),
        ])
    }

    func addGroup(_ cn: String, members: [String]) throws {
        try admin.add("cn=\(cn),ou=groups,\(base)", attributes: [
            LDAPAttribute("objectClass", ["groupOfNames"]), LDAPAttribute("cn", [cn]), LDAPAttribute("member", members),
        ])
    }

    func setMembers(_ cn: String, _ members: [String]) throws {
        try admin.modify("cn=\(cn),ou=groups,\(base)", replacing: [LDAPAttribute("member", members)])
    }

    /// `{SSHA}` as `slappasswd -h {SSHA}` makes it: base64(SHA-1(password + salt) + salt).
    static func ssha(_ password: String) -> String {
        let salt = (0..<8).map { _ in UInt8.random(in: 0...255) }
        return "{SSHA}" + Data(Digest.hash(.sha1, Array(password.utf8) + salt) + salt).base64EncodedString()
    }

    func configuration(method: DirectorySyncConfiguration.IncrementalMethod = .automatic, pageSize: Int = 500, batchSize: Int = 500)
        throws -> DirectorySyncConfiguration
    {
        func suffix(_ relative: String) throws -> DirectorySyncConfiguration.UnitRule.Match {
            .dnSuffix(try DistinguishedName("\(relative),\(base)"))
        }
        func group(_ cn: String) throws -> DistinguishedName { try DistinguishedName("cn=\(cn),ou=groups,\(base)") }
        return DirectorySyncConfiguration(
            name: "ha-noi", userBase: base, userFilter: "(&(objectClass=inetOrgPerson)(!(description=locked)))",
            unitRules: [
                .init(match: try suffix("ou=phuong-ba-dinh,ou=ha-noi"), unit: try UnitPath("/ha-noi/phuong-ba-dinh")),
                .init(match: .organizationalUnit("Phường Hoàn Kiếm"), unit: try UnitPath("/ha-noi/phuong-hoan-kiem")),
                .init(match: try suffix("ou=ha-noi"), unit: try UnitPath("/ha-noi")),
                .init(match: try suffix("ou=phuong-phu-xuan,ou=hue"), unit: try UnitPath("/hue/phuong-phu-xuan")),
                .init(match: try suffix("ou=hue"), unit: try UnitPath("/hue")),
                .init(match: try suffix("ou=central"), unit: .root),
            ],
            groupRules: [
                .init(group: try group("van-thu-ha-noi"), role: "clerk", unit: try UnitPath("/ha-noi")),
                .init(group: try group("can-bo-hue"), role: "official", unit: try UnitPath("/hue")),
                .init(group: try group("kiem-toan"), role: "auditor", unit: .root),
            ],
            pageSize: pageSize, batchSize: batchSize, incrementalMethod: method)
    }
}

/// A store with the unit tree the fixture maps to, the account-disable operation of a real
/// engine, and a pool bound as the service account.
struct SyncHarness: Sendable {
    let store: any Store
    let clock: ManualClock
    let engine: OAuthEngine
    let pool: LDAPConnectionPool

    static let unitPaths = ["/ha-noi", "/ha-noi/phuong-ba-dinh", "/ha-noi/phuong-hoan-kiem", "/hue", "/hue/phuong-phu-xuan"]

    enum Backend: String, CustomStringConvertible, CaseIterable {
        case sqlite, postgres
        var description: String { rawValue }
        static var available: [Backend] { SyncPostgres.url == nil ? [.sqlite] : [.sqlite, .postgres] }
    }

    /// Runs `body` with a fresh store of `backend`, removed afterwards.
    static func with(_ backend: Backend = .sqlite, url: String? = nil, _ body: (SyncHarness) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gh-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        if backend == .postgres {
            try await SyncPostgres.withDatabase { url in try await run(database: try PostgresDatabase(url: url, poolSize: 4), folder: folder, body) }
        } else {
            try await run(database: try SQLiteDatabase(path: folder.appendingPathComponent("gatehouse.sqlite").path), folder: folder, body)
        }
    }

    private static func run(database: any SQLDatabase, folder: URL, _ body: (SyncHarness) async throws -> Void) async throws {
        let clock = ManualClock(Date())
        let store = try await SQLStore(database: database, clock: clock)
        let keys = try KeyRing.load(directory: folder.appendingPathComponent("Keys").path)
        _ = try keys.ensureKeys(for: [.es256], now: clock.now())
        let pool = LDAPConnectionPool(configuration: try TestDirectory.configuration(), credentials: TestDirectory.serviceAccount, maximumConnections: 2)
        let harness = SyncHarness(store: store, clock: clock, engine: OAuthEngine(configuration: OAuthConfiguration(issuer: "https://sso.test", lifetimes: TokenLifetimes(accessToken: 300, idToken: 300, refreshToken: 86_400, refreshTokenIdle: 3600, authorizationCode: 60, sessionIdle: 3600), clientSecretPepper: [], roles: [:]), store: store, keys: keys, clock: clock), pool: pool)
        do {
            try await harness.seedUnits()
            try await body(harness)
        } catch {
            pool.shutDown()
            await store.close()
            throw error
        }
        pool.shutDown()
        await store.close()
    }

    func seedUnits() async throws {
        let now = clock.now()
        try await store.write { tx in
            for text in Self.unitPaths {
                let path = try UnitPath(text)
                let parent = try tx.unit(path: path.parent!)
                try tx.insertUnit(OrgUnit(id: UUID(), path: path, name: text, parentID: parent.id, createdAt: now))
            }
        }
    }

    func syncEngine(_ configuration: DirectorySyncConfiguration, store: (any Store)? = nil, node: String = "test-node") -> DirectorySyncEngine {
        DirectorySyncEngine(configuration: configuration, pool: pool, store: store ?? self.store, disabler: EngineDisabler(engine: engine), clock: clock, node: node)
    }

    // MARK: What the store holds

    struct Snapshot: Equatable, CustomStringConvertible {
        /// username → (status, unit path, display name, email)
        var accounts: [String: String]
        /// username → sorted "role@unit" of every grant
        var grants: [String: [String]]
        var description: String { "accounts: \(accounts.sorted { $0.key < $1.key })\ngrants: \(grants.sorted { $0.key < $1.key })" }
    }

    func snapshot() async throws -> Snapshot {
        try await store.read { tx in
            var accounts: [String: String] = [:], grants: [String: [String]] = [:]
            for account in try tx.accounts(AccountQuery(directory: "ha-noi"), page: Page(limit: 10_000)) {
                let unit = try tx.unit(id: account.unitID).path
                accounts[account.username.value] = "\(account.status.rawValue) \(unit) \(account.displayName) \(account.email ?? "-")"
                let held = try tx.effectiveGrants(accountID: account.id).map(\.description).sorted()
                if !held.isEmpty { grants[account.username.value] = held }
            }
            return Snapshot(accounts: accounts, grants: grants)
        }
    }

    func account(_ username: String) async throws -> Account {
        try await store.read { try $0.account(username: try Username(username)) }
    }

    func auditActions() async throws -> [String] {
        try await store.read { try $0.auditEvents(after: 0, limit: 100_000) }.map(\.record.action)
    }
}

/// The account-disable operation of the engine, as the server and the command line give it.
struct EngineDisabler: DirectoryAccountDisabler {
    let engine: OAuthEngine
    func disableAccount(id: UUID, actor: String) async throws { _ = try await engine.disableAccount(id: id, actor: actor) }
}

/// PostgreSQL for the sync tests: `GATEHOUSE_TEST_POSTGRES_URL`, a maintenance URL through
/// which each test makes a database of its own.
enum SyncPostgres {
    static let url: String? = {
        let value = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    static func withDatabase(_ body: (String) async throws -> Void) async throws {
        guard let maintenance = url, var components = URLComponents(string: maintenance) else { throw TestFailure("GATEHOUSE_TEST_POSTGRES_URL is not set") }
        let admin = try PostgresDatabase(url: maintenance, poolSize: 1)
        let name = "gh_sync_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await admin.withConnection(forWriting: true) { try $0.executeScript("CREATE DATABASE \(name)") }
        components.path = "/" + name
        var failure: (any Error)?
        do { try await body(components.string!) } catch { failure = error }
        _ = try? await admin.withConnection(forWriting: true) { try $0.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        await admin.close()
        if let failure { throw failure }
    }
}

import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehouseCrypto
import GatehouseKeys
import GatehouseOAuth
import GatehousePasswords
import GatehouseStore
import GatehouseStorePostgres
import GatehouseStoreSQL
import GatehouseStoreSQLite
import Testing

/// The two store engines every delegation rule is checked on.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }

    /// PostgreSQL runs when `GATEHOUSE_TEST_POSTGRES_URL` names a server (always under `make test`).
    static var available: [Backend] {
        ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"].map { $0.isEmpty ? [.sqlite] : [.sqlite, .postgres] } ?? [.sqlite]
    }
}

/// A small tree, roles as in Policies/roles.yaml, and administrators at each level:
///
///     /                      central: `chief` (central-admin)
///     /ha-noi                `hn.admin` (province-admin), `hn.auditor` (auditor)
///     /ha-noi/phuong-ba-dinh `bd.admin` (commune-admin), `lan` (clerk), `dang` ("Đặng Thu Hà")
///     /ha-noi/phuong-hoan-kiem  `hk.clerk` (clerk there)
///     /hue                   `hue.admin` (province-admin)
///     /hue/phuong-thuan-hoa  `hue.clerk`
struct AdminHarness {
    let service: AdminService
    let store: any Store
    let units: [String: OrgUnit]
    let accounts: [String: Account]

    static let roles: [Role] = {
        let accountAdmin: Set<Permission> = [.accountsCreate, .accountsEdit, .accountsDisable, .accountsResetCredentials, .rolesGrant]
        let documents: Set<Permission> = ["documents.read", "documents.write"]
        return [
            Role(name: "central-admin", permissions: accountAdmin.union([.unitsManage, .clientsManage, .auditRead]).union(documents),
                 grantableAt: [.central], mfaRequired: true),
            Role(name: "province-admin", permissions: accountAdmin.union([.unitsManage, .auditRead]).union(documents), grantableAt: [.province],
                 mfaRequired: true),
            Role(name: "commune-admin", permissions: accountAdmin.union(documents), grantableAt: [.commune], mfaRequired: true),
            Role(name: "auditor", permissions: [.auditRead], grantableAt: [.central, .province]),
            Role(name: "clerk", permissions: documents, grantableAt: [.province, .commune]),
            Role(name: "official", permissions: ["documents.read"], grantableAt: [.central, .province, .commune]),
        ]
    }()

    func actor(_ username: String) async throws -> AdminActor {
        try await service.actor(accountID: accounts[username]!.id, clientID: "admin-tool", sourceIP: "10.1.2.3")
    }

    func id(_ username: String) -> UUID { accounts[username]!.id }

    static func path(_ raw: String) -> UnitPath { try! UnitPath(raw) }

    static func with(_ backend: Backend, _ body: (AdminHarness) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gh-admin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        switch backend {
        case .sqlite:
            let store = try await SQLStore(database: try SQLiteDatabase(path: folder.appendingPathComponent("gatehouse.sqlite").path))
            try await run(store: store, folder: folder, body)
        case .postgres:
            let maintenance = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"] ?? ""
            let admin = try PostgresDatabase(url: maintenance, poolSize: 1)
            let name = "gh_admin_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            try await admin.withConnection(forWriting: true) { try $0.executeScript("CREATE DATABASE \(name)") }
            var components = URLComponents(string: maintenance)!
            components.path = "/" + name
            var failure: (any Error)?
            do {
                let store = try await SQLStore(database: try PostgresDatabase(url: components.string!))
                try await run(store: store, folder: folder, body)
            } catch { failure = error }
            try? await admin.withConnection(forWriting: true) { try $0.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
            await admin.close()
            if let failure { throw failure }
        }
    }

    private static func run(store: SQLStore, folder: URL, _ body: (AdminHarness) async throws -> Void) async throws {
        do {
            let harness = try await make(store: store, folder: folder)
            try await body(harness)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    private static func make(store: any Store, folder: URL) async throws -> AdminHarness {
        let now = Date()
        let root = try await store.read { try $0.unit(path: .root) }
        var units: [String: OrgUnit] = ["/": root]
        for (p, name) in [("/ha-noi", "Thành phố Hà Nội"), ("/ha-noi/phuong-ba-dinh", "Phường Ba Đình"), ("/ha-noi/phuong-hoan-kiem", "Phường Hoàn Kiếm"),
                          ("/hue", "Thành phố Huế"), ("/hue/phuong-thuan-hoa", "Phường Thuận Hóa")] {
            let path = Self.path(p)
            units[p] = OrgUnit(id: UUID(), path: path, name: name, parentID: units[path.parent!.description]!.id, createdAt: now)
        }
        let people: [(String, String, String, [(String, String)])] = [
            ("chief", "Trần Văn Chính", "/", [("central-admin", "/")]),
            ("hn.admin", "Lê Thị Hà", "/ha-noi", [("province-admin", "/ha-noi")]),
            ("hn.auditor", "Phạm Kiểm", "/ha-noi", [("auditor", "/ha-noi")]),
            ("bd.admin", "Vũ Bình", "/ha-noi/phuong-ba-dinh", [("commune-admin", "/ha-noi/phuong-ba-dinh")]),
            ("lan", "Nguyễn Thị Lan", "/ha-noi/phuong-ba-dinh", [("clerk", "/ha-noi/phuong-ba-dinh")]),
            ("dang", "Đặng Thu Hà", "/ha-noi/phuong-ba-dinh", []),
            ("hk.clerk", "Hoàng Kim", "/ha-noi/phuong-hoan-kiem", [("clerk", "/ha-noi/phuong-hoan-kiem")]),
            ("hue.admin", "Tôn Nữ Huế", "/hue", [("province-admin", "/hue")]),
            ("hue.clerk", "Hồ Thuận", "/hue/phuong-thuan-hoa", [("clerk", "/hue/phuong-thuan-hoa")]),
        ]
        var accounts: [String: Account] = [:]
        var grants: [RoleGrant] = []
        for (username, name, unit, held) in people {
            let account = Account(id: UUID(), username: try Username(username), displayName: name, email: "\(username)@example.gov.vn",
                                  unitID: units[unit]!.id, createdAt: now)
            accounts[username] = account
            grants += held.map { RoleGrant(id: UUID(), accountID: account.id, role: $0.0, unitID: units[$0.1]!.id, createdAt: now) }
        }
        try await store.write { [units, accounts, grants] tx in
            for unit in units.values.sorted(by: { $0.path < $1.path }) where !unit.path.isRoot { try tx.insertUnit(unit) }
            for account in accounts.values { try tx.insertAccount(account) }
            for grant in grants { try tx.insertGrant(grant) }
        }
        let keys = try KeyRing.load(directory: folder.appendingPathComponent("Keys").path)
        try keys.ensureKeys(for: [.es256], now: now)
        let configuration = OAuthConfiguration(
            issuer: "https://sso.example.gov.vn/",
            lifetimes: TokenLifetimes(accessToken: 300, idToken: 300, refreshToken: 3600, refreshTokenIdle: 3600, authorizationCode: 60, sessionIdle: 3600),
            clientSecretPepper: ClientSecrets.generatePepper(), roles: Dictionary(uniqueKeysWithValues: roles.map { ($0.name, $0) }))
        let engine = OAuthEngine(configuration: configuration, store: store, keys: keys)
        let passwords = try PasswordService(parameters: Argon2Parameters(memoryKiB: 8_192, iterations: 1, parallelism: 1), threads: 1)
        let service = AdminService(engine: engine, roles: roles, passwords: passwords, passwordProblems: { password, username, _ in
            var problems: [String] = []
            if password.count < 12 { problems.append("must be at least 12 characters") }
            if password.lowercased().contains(username) { problems.append("must not contain the username") }
            return problems
        })
        return AdminHarness(service: service, store: store, units: units, accounts: accounts)
    }
}

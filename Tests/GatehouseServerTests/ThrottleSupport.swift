import Foundation
import GatehouseCore
import GatehousePasswords
import GatehousePolicy
@testable import GatehouseServer
import GatehouseStore
import Logging
import Testing

/// Login attempts straight at the services, from any source address (the live server's
/// requests all come from 127.0.0.1).
extension OIDCHarness {
    static let logger = Logger(label: "throttle-test")

    /// Whether `password` logs `username` in from `ip`.
    func tryLogin(_ username: String, _ password: String, from ip: String, services: OIDCServices? = nil) async -> Bool {
        if case .success = await (services ?? self.services).authenticate(username: username, password: password, sourceIP: ip, logger: Self.logger) {
            return true
        }
        return false
    }

    /// Wrong passwords for `username` from `ip`, each after the longest delay has passed, until
    /// the account is locked for that network (`lock_after` failures).
    func lockForNetwork(_ username: String, from ip: String, policy: LockoutPolicy = .defaults) async {
        for _ in 0..<policy.lockAfter {
            clock.advance(by: policy.maxDelay + 1)
            #expect(await !tryLogin(username, "một mật khẩu đoán sai", from: ip))
        }
    }

    /// The `reason` of each `login.failure` in the audit log, oldest first.
    func failureReasons() async throws -> [String] {
        try await auditEvents().filter { $0.record.action == LoginAuditAction.failure }.compactMap { $0.record.detail["reason"] }
    }

    /// `count` active accounts `prefix-0000`… at /hue, inserted in one statement, all with
    /// the harness password (hashed once).
    func insertAccounts(prefix: String, count: Int, passwordHash: String) async throws -> [Account] {
        let unit = try await store.read { try $0.unit(path: try UnitPath("/hue")) }
        let now = clock.now()
        let accounts = try (0..<count).map { i in
            Account(id: UUID(), username: try Username(String(format: "\(prefix)-%04d", i)), displayName: "Cán bộ \(i)",
                    email: "\(prefix)\(i)@hue.example.gov.vn", unitID: unit.id, status: .active, passwordHash: passwordHash,
                    passwordChangedAt: now, createdAt: now)
        }
        try await store.write { try $0.insertAccounts(accounts) }
        return accounts
    }
}

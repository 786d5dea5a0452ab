import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehouseStore
import Logging

extension OIDCServices {
    /// Grants the SSO session after a successful password login that needs no second factor,
    /// and returns the cookie value to set. In one transaction: the rehashed password is stored
    /// (if the stored hash is still the one verified), the session is created or renewed with
    /// `amr` `["pwd"]` (``openSession(_:account:prior:candidate:amr:now:)``), and
    /// `login.success` is audited. A live session of another account in the browser is ended
    /// afterwards, with its back-channel logouts.
    func establishSession(
        account: Account, verifiedHash: String?, rehash: String?, previousCookie: String?, sourceIP: String?, logger: Logger
    ) async throws -> String {
        let now = clock.now()
        let prior = try await priorSession(previousCookie, accountID: account.id)
        let candidate = SessionCookie.generate()
        let cookie = try await store.write { tx in
            var current = try tx.account(id: account.id)
            current = try applyRehash(tx, account: current, verifiedHash: verifiedHash, rehash: rehash, sourceIP: sourceIP, now: now)
            let cookie = try openSession(tx, account: current, prior: prior, candidate: candidate,
                                         amr: AuthenticationContext.passwordMethods, now: now)
            let subject = current.id.uuidString.lowercased()
            try tx.appendAudit(AuditRecord(action: LoginAuditAction.success, actor: subject, target: subject,
                                           unit: try tx.unit(id: current.unitID).path, sourceIP: sourceIP, result: .success,
                                           detail: ["method": "password"], time: now))
            return cookie
        }
        try await endReplaced(prior, sourceIP: sourceIP)
        return cookie
    }

    /// Stores the rehashed password of a login that continues with a second factor, so the
    /// migration does not wait for the second step to succeed (the password was verified).
    func storeRehash(account: Account, verifiedHash: String?, rehash: String?, sourceIP: String?) async throws {
        guard rehash != nil else { return }
        let now = clock.now()
        try await store.write { tx in
            _ = try applyRehash(tx, account: try tx.account(id: account.id), verifiedHash: verifiedHash, rehash: rehash,
                                sourceIP: sourceIP, now: now)
        }
    }

    /// Stores a new password chosen at login: the Argon2id `hash`, `passwordChangedAt` now, the
    /// forced-change flag cleared, audited, if the account is still at `version`. Returns the
    /// account as stored, or `nil` when it changed meanwhile (the change form is stale).
    func storeNewPassword(accountID: UUID, version: Int, hash: String, sourceIP: String?) async throws -> Account? {
        let now = clock.now()
        return try await store.write { tx in
            var account = try tx.account(id: accountID)
            guard account.version == version, account.status == .active else { return nil }
            account.passwordHash = hash
            account.passwordChangedAt = now
            account.mustChangePassword = false
            let stored = try tx.updateAccount(account)
            let subject = account.id.uuidString.lowercased()
            try tx.appendAudit(AuditRecord(action: LoginAuditAction.passwordChange, actor: subject, target: subject,
                                           unit: try tx.unit(id: account.unitID).path, sourceIP: sourceIP,
                                           detail: ["reason": "login"], time: now))
            return stored
        }
    }
}

import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehouseStore
import Logging

extension OIDCServices {
    /// Grants the SSO session after a successful password login and returns the cookie value to
    /// set. In one transaction: the rehashed password is stored (if the stored hash is still the
    /// one verified), the session is created, and `login.success` is audited.
    ///
    /// A browser that already holds a live session of the same account keeps it, renewed
    /// (`auth_time` now, absolute lifetime restarted): its applications stay listed for
    /// back-channel logout. A live session of another account is ended first, with its
    /// back-channel logouts, since one browser holds one Gatehouse user at a time.
    func establishSession(
        account: Account, verifiedHash: String?, rehash: String?, previousCookie: String?, sourceIP: String?, logger: Logger
    ) async throws -> String {
        let now = clock.now()
        let idle = engine.configuration.lifetimes.sessionIdle
        let absolute = tokenPolicy.sessionAbsolute
        @Sendable func isLive(_ session: SSOSession) -> Bool {
            session.revokedAt == nil && session.expiresAt > now && session.lastSeenAt + idle > now
        }
        var renewable: String?
        if let previousCookie {
            let previous = try await store.read { tx in try? tx.session(idHash: SessionCookie.idHash(of: previousCookie)) }
            if let previous, isLive(previous) {
                if previous.accountID == account.id {
                    renewable = previousCookie
                } else {
                    let ended = try await engine.endSession(sessionCookie: previousCookie, sourceIP: sourceIP)
                    await logoutNotifier.notify(ended.backchannel)
                }
            }
        }
        let candidate = SessionCookie.generate()
        let reusable = renewable
        return try await store.write { tx in
            var current = try tx.account(id: account.id)
            let subject = current.id.uuidString.lowercased()
            let unit = try tx.unit(id: current.unitID).path
            if let rehash, let verifiedHash, current.passwordHash == verifiedHash {
                let scheme = verifiedHash.hasPrefix("$argon2id$") ? "argon2id" : "legacy"
                current.passwordHash = rehash
                current = try tx.updateAccount(current)
                try tx.appendAudit(AuditRecord(action: LoginAuditAction.passwordRehash, actor: subject, target: subject, unit: unit,
                                               sourceIP: sourceIP, detail: ["from": scheme], time: now))
            }
            var cookie = candidate
            if let reusable, var session = try? tx.session(idHash: SessionCookie.idHash(of: reusable)), session.accountID == current.id, isLive(session) {
                session.authTime = now
                session.lastSeenAt = now
                session.expiresAt = now + absolute
                session.amr = ["pwd"]
                try tx.updateSession(session)
                cookie = reusable
            } else {
                try tx.insertSession(SSOSession(idHash: SessionCookie.idHash(of: candidate), accountID: current.id, authTime: now,
                                                lastSeenAt: now, expiresAt: now + absolute, amr: ["pwd"]))
            }
            try tx.appendAudit(AuditRecord(action: LoginAuditAction.success, actor: subject, target: subject, unit: unit,
                                           sourceIP: sourceIP, result: .success, detail: ["method": "password"], time: now))
            return cookie
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

import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehouseStore

/// The browser's session before a login completes, as it bears on the new one: renewed when it
/// is a live session of the same account, ended once the new one exists when it is another's
/// (one browser holds one Gatehouse user at a time).
struct PriorSession: Sendable {
    /// The cookie of a live session of the account logging in.
    var renewable: String?
    /// The cookie of a live session of another account.
    var replaced: String?
}

extension OIDCServices {
    /// Whether `session` is unrevoked and within its absolute and idle lifetimes at `now`.
    func isLive(_ session: SSOSession, at now: Date) -> Bool {
        session.revokedAt == nil && session.expiresAt > now && session.lastSeenAt + engine.configuration.lifetimes.sessionIdle > now
    }

    /// What the browser's `previousCookie` means for a login of `accountID`.
    func priorSession(_ previousCookie: String?, accountID: UUID) async throws -> PriorSession {
        guard let previousCookie else { return PriorSession() }
        let now = clock.now()
        let previous = try await store.read { tx in try? tx.session(idHash: SessionCookie.idHash(of: previousCookie)) }
        guard let previous, isLive(previous, at: now) else { return PriorSession() }
        return previous.accountID == accountID ? PriorSession(renewable: previousCookie) : PriorSession(replaced: previousCookie)
    }

    /// Ends the other account's session a completed login replaced, with its back-channel logouts.
    func endReplaced(_ prior: PriorSession, sourceIP: String?) async throws {
        guard let replaced = prior.replaced else { return }
        let ended = try await engine.endSession(sessionCookie: replaced, sourceIP: sourceIP)
        await logoutNotifier.notify(ended.backchannel)
    }

    /// In the caller's write transaction: renews the prior session of `account` if it is still
    /// live (`auth_time` now, absolute lifetime restarted, its clients kept for back-channel
    /// logout) or creates one under `candidate`; either way with `amr` and the `acr` it earns
    /// (``AuthenticationContext``). Returns the cookie value to set.
    func openSession(_ tx: any StoreWriter, account: Account, prior: PriorSession, candidate: String, amr: [String], now: Date) throws -> String {
        let absolute = tokenPolicy.sessionAbsolute
        let acr = AuthenticationContext.acr(for: amr)
        if let reusable = prior.renewable, var session = try? tx.session(idHash: SessionCookie.idHash(of: reusable)),
           session.accountID == account.id, isLive(session, at: now) {
            session.authTime = now
            session.lastSeenAt = now
            session.expiresAt = now + absolute
            session.amr = amr
            session.acr = acr
            try tx.updateSession(session)
            return reusable
        }
        try tx.insertSession(SSOSession(idHash: SessionCookie.idHash(of: candidate), accountID: account.id, authTime: now,
                                        lastSeenAt: now, expiresAt: now + absolute, acr: acr, amr: amr))
        return candidate
    }

    /// In the caller's write transaction: replaces the verified password hash with `rehash`
    /// (Argon2id at the current parameters) if the stored hash is still the one verified, and
    /// audits it. Returns the account as stored.
    func applyRehash(_ tx: any StoreWriter, account: Account, verifiedHash: String?, rehash: String?, sourceIP: String?,
                     now: Date) throws -> Account {
        guard let rehash, let verifiedHash, account.passwordHash == verifiedHash else { return account }
        var current = account
        current.passwordHash = rehash
        current = try tx.updateAccount(current)
        let subject = current.id.uuidString.lowercased()
        try tx.appendAudit(AuditRecord(action: LoginAuditAction.passwordRehash, actor: subject, target: subject,
                                       unit: try tx.unit(id: current.unitID).path, sourceIP: sourceIP,
                                       detail: ["from": verifiedHash.hasPrefix("$argon2id$") ? "argon2id" : "legacy"], time: now))
        return current
    }
}

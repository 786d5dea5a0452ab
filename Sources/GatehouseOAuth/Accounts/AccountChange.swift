public import Foundation
public import GatehouseCore
public import GatehouseStore

/// What ``OAuthEngine/changeAccount(id:endingSessions:change:)`` did.
public struct AccountChangeResult: Sendable, Hashable {
    /// The account as stored after the change.
    public var account: Account
    /// Sessions ended by the change (empty unless it ends sessions).
    public var sessionsEnded: [SSOSession]
    /// Refresh-token families revoked by the change.
    public var refreshFamiliesRevoked: [UUID]
    /// Signed back-channel logouts for the caller's `LogoutNotifier`.
    public var backchannel: [BackchannelLogout]
}

extension OAuthEngine {
    /// Changes one account in one transaction with its audit event: `change` reads what it
    /// needs (to authorise against the account as it is now, not as it was a moment ago),
    /// edits the account and returns the audit record; the account is stored, and when
    /// `endingSessions` is true every session and refresh-token family of the account ends and
    /// the revocation feed gets its `sub` cut-off, as on ``disableAccount(id:actor:sourceIP:)``.
    /// A throw from `change` writes nothing.
    ///
    /// ```swift
    /// try await engine.changeAccount(id: id, endingSessions: true) { tx, account in
    ///     account.clearSecondFactor()
    ///     return AuditRecord(action: "account.mfa.reset", actor: admin, target: account.id.uuidString, time: now)
    /// }
    /// ```
    public func changeAccount(
        id: UUID, endingSessions: Bool,
        change: @escaping @Sendable (any StoreReader, inout Account) throws -> AuditRecord
    ) async throws -> AccountChangeResult {
        let now = clock.now()
        let minter = TokenMinter(configuration: configuration, keys: keys)
        let announcer = RevocationAnnouncer(configuration)
        let (result, pending) = try await store.write { tx in
            var account = try tx.account(id: id)
            var record = try change(tx, &account)
            account = try tx.updateAccount(account)
            var ended = AccountSessionsEnd(sessions: [], refreshFamilies: [], pending: [])
            if endingSessions {
                ended = try AccountSessionsEnd.run(accountID: account.id, at: now, minter: minter, announcer: announcer, tx: tx)
                record.detail["sessions_ended"] = "\(ended.sessions.count)"
                record.detail["refresh_families_revoked"] = "\(ended.refreshFamilies.count)"
            }
            try tx.appendAudit(record)
            let result = AccountChangeResult(account: account, sessionsEnded: ended.sessions, refreshFamiliesRevoked: ended.refreshFamilies, backchannel: [])
            return (result, ended.pending)
        }
        var out = result
        out.backchannel = pending.compactMap { $0.signed(issuer: issuer, now: now, lifetime: configuration.logoutTokenLifetime) }
        return out
    }
}

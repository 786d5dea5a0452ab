public import Foundation
public import GatehouseCore
import GatehouseStore

/// What disabling an account did.
public struct AccountDisableResult: Sendable, Hashable {
    /// The account as stored, disabled.
    public var account: Account
    /// The sessions that were live and are now revoked.
    public var sessionsEnded: [SSOSession]
    /// The refresh-token families that were live and are now revoked.
    public var refreshFamiliesRevoked: [UUID]
    /// The back-channel logouts to hand to a `LogoutNotifier`: one per client of each ended
    /// session that registered a `backchannel_logout_uri`.
    public var backchannel: [BackchannelLogout]
}

extension OAuthEngine {
    /// The audit action of ``disableAccount(username:actor:sourceIP:)``.
    public static let accountDisabledAction = "account.disable"

    /// Disables the account named `username` so that nothing it holds keeps working: in one
    /// transaction its status becomes `disabled` (it can no longer log in, refresh or pass
    /// introspection), every live session and refresh-token family is revoked, one `sub` event
    /// goes on the revocation feed (applications verifying offline refuse every token of the
    /// account issued until now), and an audit event records it. Then it signs a back-channel
    /// logout token for every client of each ended session that registered a URI; the caller
    /// hands them to its `LogoutNotifier`, as after ``endSession(idHash:sourceIP:)``.
    ///
    /// Disabling an account that is already disabled does it all again (there is simply less
    /// to revoke): the feed's cut-off moves to now.
    ///
    /// - Parameter actor: who disabled it, for the audit trail (`cli`, or an administrator's
    ///   account id).
    /// - Throws: `StoreError.notFound` when there is no such account; other store errors.
    public func disableAccount(username: Username, actor: String, sourceIP: String? = nil) async throws -> AccountDisableResult {
        try await disableAccount(actor: actor, sourceIP: sourceIP) { try $0.account(username: username) }
    }

    /// ``disableAccount(username:actor:sourceIP:)`` by the account's id.
    public func disableAccount(id: UUID, actor: String, sourceIP: String? = nil) async throws -> AccountDisableResult {
        try await disableAccount(actor: actor, sourceIP: sourceIP) { try $0.account(id: id) }
    }

    private func disableAccount(
        actor: String, sourceIP: String?, find: @escaping @Sendable (any StoreReader) throws -> Account
    ) async throws -> AccountDisableResult {
        let now = clock.now()
        let minter = TokenMinter(configuration: configuration, keys: keys)
        let announcer = RevocationAnnouncer(configuration)
        let (result, pending) = try await store.write { tx in
            var account = try find(tx)
            account.status = .disabled
            account = try tx.updateAccount(account)
            let ended = try AccountSessionsEnd.run(accountID: account.id, at: now, minter: minter, announcer: announcer, tx: tx)
            let (sessions, families, pending) = (ended.sessions, ended.refreshFamilies, ended.pending)
            let home = try tx.unit(id: account.unitID).path
            try tx.appendAudit(AuditRecord(
                action: Self.accountDisabledAction, actor: actor, target: account.id.uuidString, unit: home, sourceIP: sourceIP,
                detail: ["username": account.username.value, "sessions_ended": "\(sessions.count)", "refresh_families_revoked": "\(families.count)"],
                time: now))
            return (AccountDisableResult(account: account, sessionsEnded: sessions, refreshFamiliesRevoked: families, backchannel: []), pending)
        }
        var out = result
        out.backchannel = pending.compactMap { $0.signed(issuer: issuer, now: now, lifetime: configuration.logoutTokenLifetime) }
        return out
    }
}

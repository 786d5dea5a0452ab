public import Foundation
public import GatehouseCore
import GatehouseStore

/// What resetting an account's second factor did.
public struct SecondFactorResetResult: Sendable, Hashable {
    /// The account as stored, without a second factor.
    public var account: Account
    /// Whether it had enrolled one.
    public var wasEnrolled: Bool
    /// The sessions that were live and are now revoked.
    public var sessionsEnded: [SSOSession]
    /// The refresh-token families that were live and are now revoked.
    public var refreshFamiliesRevoked: [UUID]
    /// The back-channel logouts to hand to a `LogoutNotifier`.
    public var backchannel: [BackchannelLogout]
}

extension OAuthEngine {
    /// The audit action of ``resetSecondFactor(username:actor:sourceIP:)``.
    public static let secondFactorResetAction = "account.mfa.reset"

    /// Forgets the second factor of the account named `username`, for an official who lost
    /// the authenticator or whose secret may have leaked: in one transaction the encrypted TOTP
    /// secret, the recovery-code hashes, the replay guard and the failure count are cleared,
    /// every live session and refresh-token family is revoked and announced on the revocation
    /// feed (`sub`), and `account.mfa.reset` is audited. The account stays active; at its next
    /// login it enrolls again if its roles, its unit or an application require a second factor.
    /// The back-channel logout tokens of the ended sessions are returned for a `LogoutNotifier`,
    /// as after ``disableAccount(username:actor:sourceIP:)``.
    ///
    /// - Parameter actor: who reset it, for the audit trail (`cli`, or an administrator's id).
    /// - Throws: `StoreError.notFound` when there is no such account; other store errors.
    public func resetSecondFactor(username: Username, actor: String, sourceIP: String? = nil) async throws -> SecondFactorResetResult {
        let now = clock.now()
        let minter = TokenMinter(configuration: configuration, keys: keys)
        let announcer = RevocationAnnouncer(configuration)
        let (result, pending) = try await store.write { tx in
            var account = try tx.account(username: username)
            let wasEnrolled = account.hasSecondFactor
            account.clearSecondFactor()
            account = try tx.updateAccount(account)
            let ended = try AccountSessionsEnd.run(accountID: account.id, at: now, minter: minter, announcer: announcer, tx: tx)
            try tx.appendAudit(AuditRecord(
                action: Self.secondFactorResetAction, actor: actor, target: account.id.uuidString.lowercased(),
                unit: try tx.unit(id: account.unitID).path, sourceIP: sourceIP,
                detail: ["username": account.username.value, "was_enrolled": wasEnrolled ? "true" : "false",
                         "sessions_ended": "\(ended.sessions.count)", "refresh_families_revoked": "\(ended.refreshFamilies.count)"],
                time: now))
            let result = SecondFactorResetResult(account: account, wasEnrolled: wasEnrolled, sessionsEnded: ended.sessions,
                                                 refreshFamiliesRevoked: ended.refreshFamilies, backchannel: [])
            return (result, ended.pending)
        }
        var out = result
        out.backchannel = pending.compactMap { $0.signed(issuer: issuer, now: now, lifetime: configuration.logoutTokenLifetime) }
        return out
    }
}

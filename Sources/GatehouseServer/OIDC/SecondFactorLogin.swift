import Foundation
import GatehouseCore
import GatehouseMFA
import GatehouseOAuth
import GatehouseStore

/// The answer to a code sent at the second-factor step of a login.
enum SecondFactorOutcome: Sendable {
    /// Right: the SSO session exists (`amr` `["pwd", "otp"]`); the cookie value to set.
    case accepted(cookie: String)
    /// Wrong; the flow may try `remaining` more times.
    case refused(remaining: Int)
    /// The flow has no attempts left: the login starts again.
    case exhausted
    /// The account can no longer complete this flow (disabled, second factor reset meanwhile).
    case void
    /// The stored secret does not open with this node's `Keys/mfa.key`: a node with another
    /// key file, or a row copied from another account.
    case unreadableSecret
}

extension OIDCServices {
    /// Checks `typed` (a TOTP code or a recovery code) for `accountID` and, when it is right,
    /// grants the SSO session, all in one transaction: the accepted time step replaces the
    /// replay guard (or the recovery code's hash is removed, audited `login.mfa.recovery`), the
    /// failure count returns to zero, the session is created or renewed with `amr`
    /// `["pwd", "otp"]`, and `login.success` is audited. Because the guard is read and written
    /// in that transaction under the account's version check, two nodes racing with one code
    /// cannot both accept it. A wrong code is counted and audited instead (``SecondFactorAttempts``).
    func verifySecondFactor(accountID: UUID, typed: String, baseline: Int, previousCookie: String?, sourceIP: String?) async throws
        -> SecondFactorOutcome
    {
        guard let keys = secondFactor else { return .void }
        let now = clock.now()
        let prior = try await priorSession(previousCookie, accountID: accountID)
        let candidate = SessionCookie.generate()
        let throttle = loginThrottle
        let outcome = try await store.write { tx -> SecondFactorOutcome in
            var account = try tx.account(id: accountID)
            guard account.status == .active, let sealed = account.mfaSecret else { return .void }
            // Wrong codes count with wrong passwords (``LoginThrottle``): a stolen password buys
            // a few guesses per login, and the account's lock bounds them all. While the account
            // is locked, no code is accepted: the flow ends and the password step refuses.
            let throttleKeys = throttle.keys(accountID: account.id, username: nil, sourceIP: sourceIP)
            let standing = throttle.standing(try tx.throttleCounters(keys: throttleKeys.all), keys: throttleKeys, at: now)
            if standing.locked {
                try SecondFactorAttempts.audit(tx, account: account, reason: "locked", step: "verify", sourceIP: sourceIP, now: now)
                return .exhausted
            }
            guard let secret = try? keys.secrets.open(String(decoding: sealed, as: UTF8.self), accountID: account.id.uuidString.lowercased())
            else { return .unreadableSecret }
            guard case .allowed = SecondFactorAttempts.verdict(failures: account.mfaFailures, baseline: baseline) else {
                if account.mfaFailures >= baseline {
                    try SecondFactorAttempts.audit(tx, account: account, reason: "attempts_exhausted", step: "verify", sourceIP: sourceIP, now: now)
                }
                return .exhausted
            }
            let match = SecondFactorMatch.check(typed, secret: secret, lastStep: account.mfaLastStep, recoveryCodes: account.mfaRecoveryCodes,
                                                hasher: keys.recoveryCodes, now: now)
            let method: String
            switch match {
            case .wrong(let reason):
                try throttle.recordFailure(tx, keys: throttleKeys, standing: standing, accountKeys: true, at: now)
                let remaining = try SecondFactorAttempts.recordFailure(tx, account: account, baseline: baseline, reason: reason,
                                                                       step: "verify", sourceIP: sourceIP, now: now)
                return remaining > 0 ? .refused(remaining: remaining) : .exhausted
            case .totp(let step):
                account.mfaLastStep = step
                method = "password+totp"
            case .recoveryCode(let index):
                account.mfaRecoveryCodes.remove(at: index)
                method = "password+recovery_code"
            }
            account.mfaFailures = 0
            account = try tx.updateAccount(account)
            let subject = account.id.uuidString.lowercased()
            let unit = try tx.unit(id: account.unitID).path
            if case .recoveryCode = match {
                try tx.appendAudit(AuditRecord(action: SecondFactorAuditAction.recoveryCodeUsed, actor: subject, target: subject, unit: unit,
                                               sourceIP: sourceIP, detail: ["remaining": String(account.mfaRecoveryCodes.count)], time: now))
            }
            let cookie = try openSession(tx, account: account, prior: prior, candidate: candidate,
                                         amr: AuthenticationContext.multiFactorMethods, now: now)
            try tx.appendAudit(AuditRecord(action: LoginAuditAction.success, actor: subject, target: subject, unit: unit, sourceIP: sourceIP,
                                           result: .success, detail: ["method": method], time: now))
            return .accepted(cookie: cookie)
        }
        if case .accepted = outcome { try await endReplaced(prior, sourceIP: sourceIP) }
        return outcome
    }
}

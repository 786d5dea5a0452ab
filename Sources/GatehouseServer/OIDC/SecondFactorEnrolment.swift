import Foundation
import GatehouseCore
import GatehouseMFA
import GatehouseOAuth
import GatehouseStore

/// The answer to the first code sent at the enrolment step of a login.
enum EnrolmentOutcome: Sendable {
    /// Confirmed: the second factor is stored and the SSO session exists; the cookie value to
    /// set and the recovery codes to show, once.
    case enrolled(cookie: String, recoveryCodes: [RecoveryCode])
    /// Not a valid code of the new secret; the flow may try `remaining` more times.
    case refused(remaining: Int)
    /// The flow has no attempts left: the login starts again.
    case exhausted
    /// The account can no longer enrol in this flow (disabled, or enrolled meanwhile).
    case void
}

extension OIDCServices {
    /// A new TOTP secret for `accountID`, and its sealed form for the enrolment flow token.
    func pendingSecondFactor(accountID: UUID) -> (secret: TOTPSecret, sealed: String)? {
        guard let keys = secondFactor else { return nil }
        let secret = TOTPSecret.generate()
        let binding = SecondFactorKeys.enrolmentBinding(accountID.uuidString.lowercased())
        return (secret, keys.enrolment.seal(secret, accountID: binding))
    }

    /// The secret an enrolment flow token carries for `accountID`; `nil` when it does not open.
    func openPendingSecondFactor(_ sealed: String, accountID: UUID) -> TOTPSecret? {
        try? secondFactor?.enrolment.open(sealed, accountID: SecondFactorKeys.enrolmentBinding(accountID.uuidString.lowercased()))
    }

    /// Confirms an enrolment with the first code the authenticator app shows for `secret` and,
    /// when it is valid, in one transaction: stores the secret sealed for the account's row
    /// (AES-256-GCM bound to its id), the accepted time step as the replay guard, and the keyed
    /// hashes of ten new recovery codes; creates or renews the session with `amr`
    /// `["pwd", "otp"]`; audits `account.mfa.enrol` and `login.success`. An account that
    /// enrolled meanwhile (another tab) is not overwritten.
    func confirmEnrolment(accountID: UUID, secret: TOTPSecret, typed: String, baseline: Int, previousCookie: String?, sourceIP: String?)
        async throws -> EnrolmentOutcome
    {
        guard let keys = secondFactor else { return .void }
        let now = clock.now()
        let prior = try await priorSession(previousCookie, accountID: accountID)
        let candidate = SessionCookie.generate()
        let codes = RecoveryCode.generateSet()
        let hashes = codes.map(keys.recoveryCodes.hash)
        let outcome = try await store.write { tx -> EnrolmentOutcome in
            var account = try tx.account(id: accountID)
            guard account.status == .active, !account.hasSecondFactor else { return .void }
            guard case .allowed = SecondFactorAttempts.verdict(failures: account.mfaFailures, baseline: baseline) else {
                if account.mfaFailures >= baseline {
                    try SecondFactorAttempts.audit(tx, account: account, reason: "attempts_exhausted", step: "enrol", sourceIP: sourceIP, now: now)
                }
                return .exhausted
            }
            let compact = typed.utf8.count <= SecondFactorMatch.maximumLength ? typed.filter { !$0.isWhitespace } : ""
            guard let step = TOTP.verify(code: compact, secret: secret, at: now, lastUsedStep: nil) else {
                let remaining = try SecondFactorAttempts.recordFailure(tx, account: account, baseline: baseline, reason: "invalid_code",
                                                                       step: "enrol", sourceIP: sourceIP, now: now)
                return remaining > 0 ? .refused(remaining: remaining) : .exhausted
            }
            let subject = account.id.uuidString.lowercased()
            account.mfaSecret = Array(keys.secrets.seal(secret, accountID: subject).utf8)
            account.mfaRecoveryCodes = hashes
            account.mfaLastStep = step
            account.mfaFailures = 0
            account = try tx.updateAccount(account)
            let unit = try tx.unit(id: account.unitID).path
            try tx.appendAudit(AuditRecord(action: SecondFactorAuditAction.enrolled, actor: subject, target: subject, unit: unit,
                                           sourceIP: sourceIP, detail: ["method": "totp", "recovery_codes": String(hashes.count)], time: now))
            let cookie = try openSession(tx, account: account, prior: prior, candidate: candidate,
                                         amr: AuthenticationContext.multiFactorMethods, now: now)
            try tx.appendAudit(AuditRecord(action: LoginAuditAction.success, actor: subject, target: subject, unit: unit, sourceIP: sourceIP,
                                           result: .success, detail: ["method": "password+totp"], time: now))
            return .enrolled(cookie: cookie, recoveryCodes: codes)
        }
        if case .enrolled = outcome { try await endReplaced(prior, sourceIP: sourceIP) }
        return outcome
    }
}

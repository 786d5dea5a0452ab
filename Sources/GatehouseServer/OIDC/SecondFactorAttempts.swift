import Foundation
import GatehouseCore
import GatehouseStore

/// The attempts a login flow has at its second-factor step (code or enrolment confirmation):
/// ``limit`` wrong codes, then the login starts again from the password.
///
/// The count is the account's `mfaFailures` in the store, compared with the value the flow
/// began with (``FlowState/failureBaseline``): a replayed copy of an older flow token gains
/// nothing, and two nodes count alike. A count below the baseline means a second factor
/// succeeded or was reset since the flow began, which ends the flow too.
enum SecondFactorAttempts {
    /// Wrong codes a flow may send (NIST SP 800-63B §5.2.2 asks for a limit; the password
    /// before each new flow keeps guessing slow).
    static let limit = 5

    /// Why a flow may not try another code, if it may not.
    enum Verdict: Equatable {
        case allowed(remaining: Int)
        case exhausted
    }

    static func verdict(failures: Int, baseline: Int) -> Verdict {
        guard failures >= baseline else { return .exhausted }
        let remaining = limit - (failures - baseline)
        return remaining > 0 ? .allowed(remaining: remaining) : .exhausted
    }

    /// In the caller's transaction: counts one wrong code on `account` and audits it
    /// (`login.mfa.failure`). Returns how many attempts the flow has left.
    static func recordFailure(_ tx: any StoreWriter, account: Account, baseline: Int, reason: String, step: String, sourceIP: String?,
                              now: Date) throws -> Int {
        var counted = account
        counted.mfaFailures += 1
        counted = try tx.updateAccount(counted)
        try audit(tx, account: counted, reason: reason, step: step, sourceIP: sourceIP, now: now)
        if case .allowed(let remaining) = verdict(failures: counted.mfaFailures, baseline: baseline) { return remaining }
        return 0
    }

    /// Audits a refused second-factor attempt without counting it (the flow had none left).
    static func audit(_ tx: any StoreWriter, account: Account, reason: String, step: String, sourceIP: String?, now: Date) throws {
        let subject = account.id.uuidString.lowercased()
        try tx.appendAudit(AuditRecord(action: SecondFactorAuditAction.failure, actor: subject, target: subject,
                                       unit: try tx.unit(id: account.unitID).path, sourceIP: sourceIP, result: .failure,
                                       detail: ["reason": reason, "step": step, "failures": String(account.mfaFailures)], time: now))
    }
}

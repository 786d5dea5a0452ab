import GatehouseCore
import GatehouseOAuth
import GatehouseStore

/// What a login needs after the password, decided by the engine's ``SecondFactorPolicy``
/// (roles marked `mfa: required`, `mfa_required_units`, enrolment, `acr_values`).
enum SecondFactorStep: Sendable, Equatable {
    /// A password is enough: the session gets `amr` `["pwd"]`.
    case none
    /// The account has a second factor: its code, or a recovery code.
    case verify
    /// A second factor is required and the account has none: enrol it inside the login.
    case enrol
    /// A second factor is required and this server has no second-factor keys.
    case unmet
}

/// Audit actions of the second factor at login.
enum SecondFactorAuditAction {
    /// A wrong, replayed or stale code, or one past the flow's attempts; `detail.reason` says
    /// which and `detail.step` whether at login (`verify`) or enrolment (`enrol`).
    static let failure = "login.mfa.failure"
    /// A recovery code was used and consumed; `detail.remaining` says how many are left.
    static let recoveryCodeUsed = "login.mfa.recovery"
    /// A second factor was enrolled at login and ten recovery codes issued.
    static let enrolled = "account.mfa.enrol"
}

extension OIDCServices {
    /// The step `account` needs for `request` after its password was verified.
    func secondFactorStep(for account: Account, request: AuthorizationRequest) async throws -> SecondFactorStep {
        guard let policy = engine.configuration.secondFactor else {
            return AuthenticationContext.demandsMultiFactor(request.acrValues) ? .unmet : .none
        }
        let (home, grants) = try await store.read { tx in
            (try tx.unit(id: account.unitID).path, try tx.effectiveGrants(accountID: account.id))
        }
        guard policy.reason(account: account, home: home, grants: grants, acrValues: request.acrValues) != nil else { return .none }
        guard secondFactor != nil else { return .unmet }
        return account.hasSecondFactor ? .verify : .enrol
    }
}

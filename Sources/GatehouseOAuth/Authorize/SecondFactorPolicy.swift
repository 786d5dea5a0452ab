public import GatehouseCore

/// Who must complete a second factor (RFC 6238 TOTP) before an authorization succeeds:
/// the engine asks an SSO session without one (`amr` lacking `otp`) to log in again when the
/// policy requires it, and the login page asks for the code or leads the user through
/// enrolment for the same reasons.
///
/// A second factor is required when any of these holds, checked in this order:
/// 1. the account has enrolled one (`Account.hasSecondFactor`): it is always asked;
/// 2. the account holds a role marked `mfa: required` in `roles.yaml`, at any unit;
/// 3. its home unit lies in the subtree of a unit listed in `mfa_required_units`;
/// 4. the request's `acr_values` accept only ``AuthenticationContext/multiFactorClass``.
///
/// ```swift
/// let policy = SecondFactorPolicy(roles: policies.roles, requiredUnits: policies.mfaRequiredUnits)
/// let home = try UnitPath("/ha-noi/phuong-ba-dinh")
/// policy.reason(account: account, home: home, grants: grants, acrValues: request.acrValues)   // .role, or nil
/// ```
public struct SecondFactorPolicy: Sendable, Hashable {
    /// Roles whose holders must use a second factor.
    public var requiredRoles: Set<String>
    /// Units whose subtree's accounts must use one.
    public var requiredUnits: [UnitPath]

    public init(requiredRoles: Set<String>, requiredUnits: [UnitPath] = []) {
        self.requiredRoles = requiredRoles
        self.requiredUnits = requiredUnits
    }

    /// The roles of the catalogue marked `mfaRequired`, and `requiredUnits`.
    public init(roles: [Role], requiredUnits: [UnitPath] = []) {
        self.init(requiredRoles: Set(roles.filter(\.mfaRequired).map(\.name)), requiredUnits: requiredUnits)
    }

    /// Why a second factor is required.
    public enum Reason: String, Sendable, Hashable {
        /// The account has enrolled one.
        case enrolled
        /// It holds a role marked `mfa: required`.
        case role
        /// Its home unit is in a unit listed in `mfa_required_units`.
        case unit
        /// The client asked for it with `acr_values`.
        case requested
    }

    /// Why `account` (home unit `home`, holding `grants`) must complete a second factor for a
    /// request with `acrValues`; `nil` when a password is enough.
    public func reason(account: Account, home: UnitPath, grants: [EffectiveGrant], acrValues: [String]) -> Reason? {
        if account.hasSecondFactor { return .enrolled }
        if grants.contains(where: { requiredRoles.contains($0.role) }) { return .role }
        if requiredUnits.contains(where: { $0.contains(home) }) { return .unit }
        if AuthenticationContext.demandsMultiFactor(acrValues) { return .requested }
        return nil
    }
}

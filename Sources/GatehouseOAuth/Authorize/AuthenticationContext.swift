/// How a user authenticated: the `amr` values Gatehouse records (RFC 8176 §2) and the two
/// authentication context classes its ID tokens state in `acr` (OIDC Core §2), advertised in
/// discovery's `acr_values_supported`.
///
/// | session `amr` | `acr` |
/// |---|---|
/// | `["pwd"]` | `urn:gatehouse:acr:pwd` |
/// | `["pwd", "otp"]` | `urn:gatehouse:acr:mfa` |
///
/// ```swift
/// AuthenticationContext.acr(for: ["pwd", "otp"])                         // "urn:gatehouse:acr:mfa"
/// AuthenticationContext.demandsMultiFactor(["urn:gatehouse:acr:mfa"])    // true
/// ```
public enum AuthenticationContext {
    /// `amr` "pwd": a password (RFC 8176 §2).
    public static let password = "pwd"
    /// `amr` "otp": a one-time password, here an RFC 6238 TOTP code or a single-use recovery
    /// code (RFC 8176 §2).
    public static let oneTimePassword = "otp"

    /// `acr` of a password alone.
    public static let passwordClass = "urn:gatehouse:acr:pwd"
    /// `acr` of a password and a second factor.
    public static let multiFactorClass = "urn:gatehouse:acr:mfa"

    /// The methods of a password login, and of one completed with a second factor.
    public static let passwordMethods = [password]
    public static let multiFactorMethods = [password, oneTimePassword]

    /// The `acr` that `amr` earns.
    public static func acr(for amr: [String]) -> String {
        amr.contains(oneTimePassword) ? multiFactorClass : passwordClass
    }

    /// Whether `acr_values` (OIDC Core §3.1.2.1: acceptable values, in order of preference)
    /// accept only a second factor: they name ``multiFactorClass`` and not ``passwordClass``.
    /// Values Gatehouse does not know are ignored, as the parameter is a voluntary request
    /// (§5.5.1.1); an `acr` outside the list then reports what did happen.
    public static func demandsMultiFactor(_ acrValues: [String]) -> Bool {
        acrValues.contains(multiFactorClass) && !acrValues.contains(passwordClass)
    }
}

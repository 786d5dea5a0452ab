public import Foundation

/// Verifies a JWT end to end (RFC 7519 §7.2): the JWS against a trusted key set with an
/// algorithm allow-list, then the header `typ` and the claims.
///
/// ```swift
/// let verifier = JWTVerifier(keys: keys, allowedAlgorithms: [.es256],
///                            validator: JWTValidator(issuer: issuer, audience: "app", type: "at+jwt"))
/// let jwt = try verifier.verify(bearerToken, now: clock.now())
/// print(jwt.claims.subject ?? "")
/// ```
public struct JWTVerifier: Sendable {
    /// The trusted keys.
    public var keys: VerificationKeySet
    /// JWS rules: allowed algorithms, size limit, understood `crit` names.
    public var options: JWSVerificationOptions
    /// Claim and `typ` rules.
    public var validator: JWTValidator

    /// Creates a verifier from full JWS options.
    public init(keys: VerificationKeySet, options: JWSVerificationOptions, validator: JWTValidator) {
        self.keys = keys
        self.options = options
        self.validator = validator
    }

    /// Creates a verifier with default JWS limits (16 KiB, no `crit` extensions).
    public init(keys: VerificationKeySet, allowedAlgorithms: Set<JWSAlgorithm>, validator: JWTValidator) {
        self.init(keys: keys, options: JWSVerificationOptions(allowedAlgorithms: allowedAlgorithms), validator: validator)
    }

    /// Verifies `token` at time `now` and returns its header and claims.
    /// - Throws: ``JOSEError``: a JWS error from ``JWS/verify(_:keys:options:)``,
    ///   ``JOSEError/Code/invalidJSON`` or ``JOSEError/Code/invalidClaims`` for a bad payload,
    ///   or a validation error from ``JWTValidator/validate(claims:header:now:)``.
    public func verify(_ token: String, now: Date) throws -> VerifiedJWT {
        let jws = try JWS.verify(token, keys: keys, options: options)
        let claims = try JWTClaims(json: jws.payload)
        try validator.validate(claims: claims, header: jws.header, now: now)
        return VerifiedJWT(header: jws.header, claims: claims, keyID: jws.key.keyID)
    }
}

/// A JWT whose signature and claims were verified.
public struct VerifiedJWT: Sendable, Hashable {
    /// The protected header.
    public let header: JWSHeader
    /// The claims.
    public let claims: JWTClaims
    /// The `kid` of the key that verified it.
    public let keyID: String
}

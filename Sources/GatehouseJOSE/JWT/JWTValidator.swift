public import Foundation

/// Validates a verified JWT's header `typ` and claims (RFC 7519 §7.2, RFC 9068 §4, RFC 8725 §3).
///
/// Time always comes from the caller: pass the injected clock's `now`.
///
/// ```swift
/// let validator = JWTValidator(issuer: "https://sso.example.gov.vn", audience: "app", type: "at+jwt")
/// try validator.validate(claims: claims, header: header, now: clock.now())
/// ```
public struct JWTValidator: Sendable, Hashable {
    /// Expected `iss`; `nil` skips the check.
    public var issuer: String?
    /// An audience that `aud` must contain; `nil` skips the check.
    public var audience: String?
    /// Expected header `typ`, e.g. `at+jwt` (RFC 9068 §2.1) or `JWT`; `nil` skips the check.
    /// Compared case-insensitively, with an optional `application/` prefix (RFC 7515 §4.1.9).
    public var type: String?
    /// Clock skew tolerated on `exp` and `nbf`, in seconds.
    public var leeway: TimeInterval
    /// Claims that must be present. `exp` by default: a token without expiry is never accepted silently.
    public var requiredClaims: Set<String>

    /// The default leeway: 30 seconds.
    public static let defaultLeeway: TimeInterval = 30

    /// Creates a validator.
    public init(
        issuer: String? = nil, audience: String? = nil, type: String? = nil,
        leeway: TimeInterval = JWTValidator.defaultLeeway, requiredClaims: Set<String> = ["exp"]
    ) {
        self.issuer = issuer
        self.audience = audience
        self.type = type
        self.leeway = leeway
        self.requiredClaims = requiredClaims
    }

    /// Throws the first failed check: `typ`, required claims, `exp`, `nbf`, `iss`, `aud`.
    public func validate(claims: JWTClaims, header: JWSHeader, now: Date) throws {
        if let type {
            guard let actual = header.type, JWTValidator.normalizedMediaType(actual) == JWTValidator.normalizedMediaType(type) else {
                throw JOSEError(.wrongType, "typ is \(header.type ?? "absent"), expected \(type)")
            }
        }
        if !requiredClaims.allSatisfy(claims.contains) {
            let missing = requiredClaims.filter { !claims.contains($0) }.sorted()
            throw JOSEError(.missingClaim, "required claim \(missing.joined(separator: ", ")) is absent")
        }
        if let exp = claims.expiresAt, now.timeIntervalSince(exp) >= leeway {
            throw JOSEError(.expired, "token expired at \(JWTValidator.seconds(exp))")
        }
        if let nbf = claims.notBefore, nbf.timeIntervalSince(now) > leeway {
            throw JOSEError(.notYetValid, "token is not valid before \(JWTValidator.seconds(nbf))")
        }
        if let issuer, claims.issuer != issuer {
            throw JOSEError(.wrongIssuer, "iss is \(claims.issuer ?? "absent"), expected \(issuer)")
        }
        if let audience, claims.audience?.contains(audience) != true {
            throw JOSEError(.wrongAudience, "aud does not contain \(audience)")
        }
    }

    /// A NumericDate for an error message, in whole seconds. RFC 7519 §2 sets no range, so a
    /// signed `exp` or `nbf` of 1e300 must not trap in a conversion to `Int64`.
    static func seconds(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        return Int64(exactly: seconds).map(String.init) ?? "\(seconds)"
    }

    /// Lowercases and drops an `application/` prefix when no other `/` follows (RFC 7515 §4.1.9).
    static func normalizedMediaType(_ value: String) -> String {
        let lower = value.lowercased()
        let prefix = "application/"
        if lower.hasPrefix(prefix) {
            let rest = lower.dropFirst(prefix.count)
            if !rest.contains("/") { return String(rest) }
        }
        return lower
    }
}

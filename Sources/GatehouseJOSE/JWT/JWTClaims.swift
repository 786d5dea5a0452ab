public import Foundation

/// A JWT Claims Set (RFC 7519 §4): the registered claims plus any others.
///
/// Times are NumericDate values (RFC 7519 §2): seconds since the epoch, written as integers
/// when whole. Other claims, such as RFC 9068's `client_id` and `scope` or Gatehouse's `sid`
/// and `roles`, live in ``additional``.
///
/// ```swift
/// var claims = JWTClaims(issuer: "https://sso.example.gov.vn", subject: accountID, audience: "app",
///                        expiresAt: now + 300, issuedAt: now, jwtID: SecureRandom.token())
/// claims.additional["client_id"] = "app"
/// ```
public struct JWTClaims: Sendable, Hashable, Codable {
    /// `iss` (RFC 7519 §4.1.1).
    public var issuer: String?
    /// `sub` (RFC 7519 §4.1.2).
    public var subject: String?
    /// `aud` (RFC 7519 §4.1.3).
    public var audience: Audience?
    /// `exp` (RFC 7519 §4.1.4).
    public var expiresAt: Date?
    /// `nbf` (RFC 7519 §4.1.5).
    public var notBefore: Date?
    /// `iat` (RFC 7519 §4.1.6).
    public var issuedAt: Date?
    /// `jti` (RFC 7519 §4.1.7).
    public var jwtID: String?
    /// Every other claim. Keys that name a registered claim are ignored when encoding.
    public var additional: [String: JSONValue]

    /// Registered claim names (RFC 7519 §4.1).
    public static let registeredNames: Set<String> = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]

    /// Creates a claims set.
    public init(
        issuer: String? = nil, subject: String? = nil, audience: Audience? = nil, expiresAt: Date? = nil,
        notBefore: Date? = nil, issuedAt: Date? = nil, jwtID: String? = nil, additional: [String: JSONValue] = [:]
    ) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.expiresAt = expiresAt
        self.notBefore = notBefore
        self.issuedAt = issuedAt
        self.jwtID = jwtID
        self.additional = additional
    }

    /// Any claim by name, registered or not, as JSON.
    public subscript(name: String) -> JSONValue? {
        switch name {
        case "iss": issuer.map(JSONValue.string)
        case "sub": subject.map(JSONValue.string)
        case "aud": audience?.json
        case "exp": expiresAt.map(JWTClaims.numericDate)
        case "nbf": notBefore.map(JWTClaims.numericDate)
        case "iat": issuedAt.map(JWTClaims.numericDate)
        case "jti": jwtID.map(JSONValue.string)
        default: additional[name]
        }
    }

    /// True when the claim is present.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Whole seconds, rounded down (RFC 7519 §2 allows fractions, but many verifiers compare
    /// `iat` with an integer clock and would see a fractional `iat` as issued in the future).
    static func numericDate(_ date: Date) -> JSONValue {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        if abs(seconds) < 9_007_199_254_740_992 { return .integer(Int64(seconds)) }
        return .number(seconds)
    }
}

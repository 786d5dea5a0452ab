public import Foundation
public import GatehouseJOSE

/// Who a verified Gatehouse token speaks for: a typed view of its claims (RFC 9068 §2.2,
/// OpenID Connect Core 1.0 §2, and Gatehouse's `unit`, `roles` and `gid`).
///
/// Each property reads the claims when asked, so building an identity costs nothing on the
/// request path. Claims of the wrong type read as absent, and `roles` entries that are not
/// `ROLE@UNIT-PATH` are skipped: a grant is never guessed from a malformed string.
///
/// ```swift
/// let identity = try await verifier.verify(token)
/// if identity.hasRole("clerk", at: "/ha-noi/phuong-ba-dinh") { … }
/// print(identity.subject, identity.unit ?? .root, identity.scopes)
/// ```
public struct VerifiedIdentity: Sendable, Hashable {
    /// Every claim, as verified.
    public let claims: JWTClaims

    /// A view of verified claims (an access token's or an ID token's).
    public init(claims: JWTClaims) { self.claims = claims }

    /// `sub`: the account (or, for `client_credentials`, the client). Empty only when the claims
    /// lack it, which ``TokenVerifier`` never accepts.
    public var subject: String { claims.subject ?? "" }
    /// `client_id` (RFC 9068 §2.2): the client the token was issued to.
    public var clientID: String? { string("client_id") }
    /// `sid`: the SSO session (OpenID Connect Front-Channel Logout 1.0 §3).
    public var sessionID: String? { string("sid") }
    /// `jti` (RFC 7519 §4.1.7).
    public var tokenID: String? { claims.jwtID }
    /// `gid`: the grant (refresh-token family) the token came from.
    public var grantID: String? { string("gid") }
    /// `unit`: the account's home unit.
    public var unit: UnitPath? { string("unit").flatMap(UnitPath.init) }
    /// `roles`: the grants the token carries, well-formed entries only.
    public var roles: [RoleGrant] { roleStrings.compactMap(RoleGrant.init) }
    /// `scope`, split on spaces (RFC 6749 §3.3, RFC 9068 §2.2.3).
    public var scopes: [String] { string("scope").map(VerifiedIdentity.scopes(in:)) ?? [] }
    /// `iat` (RFC 7519 §4.1.6).
    public var issuedAt: Date? { claims.issuedAt }
    /// `exp` (RFC 7519 §4.1.4).
    public var expiresAt: Date? { claims.expiresAt }
    /// `auth_time`: when the person last authenticated (OpenID Connect Core 1.0 §2).
    public var authenticationTime: Date? { claims.additional["auth_time"]?.doubleValue.map(Date.init(timeIntervalSince1970:)) }
    /// `acr` (OpenID Connect Core 1.0 §2).
    public var authenticationContext: String? { string("acr") }
    /// `amr`, e.g. `["pwd", "otp"]` (RFC 8176).
    public var authenticationMethods: [String] { claims.additional["amr"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// True when a grant gives `role` at `unit`: granted there or at a unit above it. Only the
    /// entries naming `role` are parsed.
    public func hasRole(_ role: String, at unit: UnitPath) -> Bool {
        roleStrings.contains { entry in
            let bytes = entry.utf8
            guard bytes.count > role.utf8.count, bytes.starts(with: role.utf8),
                  bytes[bytes.index(bytes.startIndex, offsetBy: role.utf8.count)] == UInt8(ascii: "@") else { return false }
            return RoleGrant(entry)?.holds(role, at: unit) ?? false
        }
    }

    /// ``hasRole(_:at:)`` for a written path; `false` when the path is malformed.
    public func hasRole(_ role: String, at unit: String) -> Bool {
        UnitPath(unit).map { hasRole(role, at: $0) } ?? false
    }

    /// True when `scope` was granted.
    public func hasScope(_ scope: String) -> Bool { scopes.contains(scope) }

    private func string(_ name: String) -> String? { claims.additional[name]?.stringValue }

    private var roleStrings: [String] { claims.additional["roles"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// The space-separated scope tokens (RFC 6749 §3.3), split on bytes rather than characters.
    static func scopes(in value: String) -> [String] {
        value.utf8.split(separator: UInt8(ascii: " ")).map { String(Substring($0)) }
    }
}

/// Why an access token was refused. It always answers `invalid_token` (RFC 6750 §3.1);
/// ``message`` is what the person or client is told, ``detail`` what the logs keep. Neither
/// ever contains the token.
///
/// Two rejections compare equal when their reasons are equal, so tests read
/// `#expect(throws: TokenRejection(.expired)) { … }`.
///
/// ```swift
/// do { _ = try await verifier.verify(token) }
/// catch { logger.info("refused: \(error.detail)"); print(error.message) }
/// ```
public struct TokenRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong with the token.
    public enum Reason: String, Sendable, CaseIterable {
        /// Not a compact JWS, too large, bad base64url or JSON, or a claim of the wrong type.
        case malformed
        /// `alg` is `none`, an HMAC, unknown, outside the allow-list, or does not fit the key (RFC 8725 §3.1).
        case algorithmNotAllowed
        /// No key of the provider has the token's `kid`, even after a refetch.
        case unknownKey
        /// The signature does not verify.
        case invalidSignature
        /// The header `typ` is not `at+jwt` (RFC 9068 §2.1, §4 step 1).
        case wrongType
        /// `exp` has passed, beyond the leeway.
        case expired
        /// `nbf` is in the future, beyond the leeway.
        case notYetValid
        /// `iss` is another provider (RFC 9068 §4 step 3).
        case wrongIssuer
        /// `aud` does not name this application (RFC 9068 §4 step 4).
        case wrongAudience
        /// A required claim is absent or empty.
        case missingClaim
        /// The session, subject, token or grant was revoked.
        case revoked
    }

    /// What was wrong.
    public let reason: Reason
    /// For logs: which check failed and why. Never compared.
    public let detail: String

    /// Creates a rejection; `detail` defaults to the reason's name.
    public init(_ reason: Reason, _ detail: String? = nil) {
        self.reason = reason
        self.detail = detail ?? reason.rawValue
    }

    /// The OAuth error code: always `invalid_token` (RFC 6750 §3.1).
    public var error: String { "invalid_token" }

    /// A sentence for the person or client, safe in `error_description` (RFC 6750 §3).
    public var message: String {
        switch reason {
        case .malformed: "The access token is malformed."
        case .algorithmNotAllowed: "The access token is signed with an algorithm this service does not accept."
        case .unknownKey: "The access token is signed with a key this service does not know."
        case .invalidSignature: "The access token's signature is not valid."
        case .wrongType: "This token is not an access token."
        case .expired: "The access token has expired. Sign in again or refresh it."
        case .notYetValid: "The access token is not valid yet. Check the clocks."
        case .wrongIssuer: "The access token was issued by another sign-in service."
        case .wrongAudience: "The access token was issued for another application."
        case .missingClaim: "The access token lacks information this service requires."
        case .revoked: "The access token has been revoked. Sign in again."
        }
    }

    /// Equal when the reasons are equal.
    public static func == (lhs: TokenRejection, rhs: TokenRejection) -> Bool { lhs.reason == rhs.reason }
    /// Hashes the reason only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(reason) }

    /// `reason: detail`.
    public var description: String { "\(reason.rawValue): \(detail)" }
}

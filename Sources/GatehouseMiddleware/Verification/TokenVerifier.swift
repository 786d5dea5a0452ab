public import Foundation
import GatehouseJOSE
public import Logging

/// Verifies Gatehouse access tokens (RFC 9068 §4) offline, on every request.
///
/// In order: the JWS against the provider's keys with the algorithm allow-list (never `none`
/// or an HMAC; embedded keys never used); header `typ` `at+jwt`; `exp` (required) and `nbf`
/// with the leeway; `iss`; `aud`; the other required claims, with a non-empty `sub`; then the
/// ``RevocationList``. Only an unknown `kid` reaches the network: one refetch of the JWK Set,
/// shared and rate-limited by the ``JWKSCache``.
///
/// ```swift
/// let verifier = TokenVerifier(configuration: configuration, keys: cache, revocations: list)
/// let identity = try await verifier.verify(token)
/// print(identity.subject, identity.roles)
/// ```
public final class TokenVerifier: Sendable {
    /// What is accepted.
    public let configuration: GatehouseVerifierConfiguration
    /// The provider's keys.
    public let keys: JWKSCache
    /// Revoked sessions, subjects, tokens and grants.
    public let revocations: RevocationList
    let logger: Logger
    private let template: JWTVerifier

    /// Creates a verifier.
    public init(configuration: GatehouseVerifierConfiguration, keys: JWKSCache, revocations: RevocationList,
                logger: Logger = Logger(label: "gatehouse.verifier")) {
        self.configuration = configuration
        self.keys = keys
        self.revocations = revocations
        self.logger = logger
        let options = JWSVerificationOptions(allowedAlgorithms: configuration.allowedAlgorithms,
                                             maximumTokenLength: configuration.maximumTokenLength)
        // RFC 9068 §2.1: `at+jwt`, which JWTValidator also accepts as `application/at+jwt`.
        let validator = JWTValidator(issuer: configuration.issuer, audience: configuration.audience, type: "at+jwt",
                                     leeway: configuration.leeway, requiredClaims: configuration.requiredClaims.union(["exp", "sub"]))
        template = JWTVerifier(keys: VerificationKeySet([]), options: options, validator: validator)
    }

    /// The `realm` of this verifier's challenges (RFC 6750 §3).
    public var realm: String { configuration.realm }

    /// Verifies `token` at `now` and returns whom it speaks for.
    ///
    /// ```swift
    /// let identity = try await verifier.verify(token, now: clock.now())
    /// ```
    /// - Throws: ``TokenRejection`` naming the first check that failed.
    public func verify(_ token: String, now: Date = Date()) async throws(TokenRejection) -> VerifiedIdentity {
        var verifier = template
        let held = keys.keysForVerification()
        verifier.keys = held.keys
        let verified: VerifiedJWT
        do {
            verified = try verifier.verify(token, now: now)
        } catch let error as JOSEError where error.code == .keyNotFound {
            let refreshed = await keys.keysAfterUnknownKey(seen: held.generation)
            guard refreshed.generation != held.generation else { throw TokenRejection(error) }
            verifier.keys = refreshed.keys
            do { verified = try verifier.verify(token, now: now) } catch { throw TokenRejection.from(error) }
        } catch {
            throw TokenRejection.from(error)
        }
        return try accept(verified.claims)
    }

    /// The checks after the signature: a non-empty `sub`, then the revocation list.
    private func accept(_ claims: JWTClaims) throws(TokenRejection) -> VerifiedIdentity {
        guard let subject = claims.subject, !subject.isEmpty else { throw TokenRejection(.missingClaim, "sub is empty") }
        if revocations.isRevoked(subject: subject, sessionID: claims.additional["sid"]?.stringValue, tokenID: claims.jwtID,
                                 grantID: claims.additional["gid"]?.stringValue, issuedAt: claims.issuedAt) {
            throw TokenRejection(.revoked, "the session, subject, token or grant of this token was revoked")
        }
        return VerifiedIdentity(claims: claims)
    }
}

extension TokenRejection {
    static func from(_ error: any Error) -> TokenRejection {
        (error as? JOSEError).map(TokenRejection.init) ?? TokenRejection(.malformed, "\(error)")
    }
}

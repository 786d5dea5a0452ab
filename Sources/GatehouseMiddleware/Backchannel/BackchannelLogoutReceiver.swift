public import Foundation
public import GatehouseJOSE
import Synchronization

/// The relying party's end of OpenID Connect Back-Channel Logout 1.0: Gatehouse `POST`s a
/// logout token (`logout_token=…`, form-encoded, §2.5) to the application's registered
/// `backchannel_logout_uri` when a session ends; the receiver validates it (§2.6) and records
/// the session (`sid`) or, for a token with only `sub`, every session of the subject up to
/// the token's `iat`, in the ``RevocationList`` that every request is checked against (§2.7).
///
/// ```swift
/// let receiver = BackchannelLogoutReceiver(issuer: issuer, clientID: "notices",
///                                          keys: { kid in try await cache.keys(forKeyID: kid) },
///                                          revocations: list)
/// router.post("/backchannel-logout") { request, context in
///     try await receiver.response(to: request, context: context)
/// }
/// ```
public final class BackchannelLogoutReceiver: Sendable {
    /// The logout event's member name in `events` (§2.4).
    public static let logoutEvent = "http://schemas.openid.net/event/backchannel-logout"

    public let issuer: String
    public let clientID: String
    /// Algorithms accepted; never `none` or an HMAC.
    public let allowedAlgorithms: Set<JWSAlgorithm>
    /// Clock skew tolerated on `iat` and `exp`.
    public let leeway: TimeInterval
    /// A logout token issued longer ago than this is refused (§2.6 step 4, `iat`).
    public let maximumAge: TimeInterval
    /// How long a logged-out session is remembered: at least the longest session or token
    /// lifetime of the issuer.
    public let sessionRetention: TimeInterval

    private let keys: @Sendable (String?) async throws -> VerificationKeySet
    private let revocations: RevocationList
    /// `jti`s seen, until they could no longer be replayed (§2.6 step 8).
    private let seen = Mutex<[String: Date]>([:])
    private static let maximumSeen = 100_000

    /// - Parameters:
    ///   - keys: the issuer's verification keys for a `kid`, refreshed when the `kid` is unknown
    ///     (the JWKS cache).
    public init(issuer: String, clientID: String, keys: @escaping @Sendable (String?) async throws -> VerificationKeySet,
                revocations: RevocationList, allowedAlgorithms: Set<JWSAlgorithm> = [.es256, .edDSA, .rs256, .ps256],
                leeway: TimeInterval = 30, maximumAge: TimeInterval = 300, sessionRetention: TimeInterval = 24 * 3600) {
        self.issuer = issuer
        self.clientID = clientID
        self.keys = keys
        self.revocations = revocations
        self.allowedAlgorithms = allowedAlgorithms
        self.leeway = leeway
        self.maximumAge = maximumAge
        self.sessionRetention = sessionRetention
    }

    /// Validates a logout request's form body and applies it: `200` with `Cache-Control:
    /// no-store` when the token is valid, else `400` with an `invalid_request` JSON error
    /// (§2.8). A replayed token is answered `200` and changes nothing.
    public func receive(formBody: String, now: Date = Date()) async -> BackchannelLogoutResponse {
        let parameters = FormEncoding.decode(Substring(formBody))
        let tokens = parameters.filter { $0.0 == "logout_token" }.map(\.1)
        guard tokens.count == 1, let token = tokens.first, !token.isEmpty else {
            return .failure("the request must carry exactly one logout_token")
        }
        do {
            let logout = try await validate(token, now: now)
            apply(logout, now: now)
            return .success
        } catch {
            return .failure(error.description)
        }
    }

    /// The validation of §2.6. Returns what the token logs out.
    public func validate(_ token: String, now: Date = Date()) async throws(BackchannelLogoutError) -> LogoutTokenContent {
        let keyID: String?
        do {
            keyID = try JWS.unverifiedHeader(token).keyID
        } catch {
            throw BackchannelLogoutError("the logout token is not a signed JWT")
        }
        let keySet: VerificationKeySet
        do { keySet = try await keys(keyID) } catch {
            throw BackchannelLogoutError("the issuer's keys are not available: \(error)")
        }
        let verified: VerifiedJWT
        do {
            // Steps 2–4: signature and algorithm as for an ID token; iss, aud; typ logout+jwt
            // (§2.4), so that no other JWT of the issuer can pass as a logout token.
            let validator = JWTValidator(issuer: issuer, audience: clientID, type: "logout+jwt", leeway: leeway, requiredClaims: ["iat", "jti"])
            verified = try JWTVerifier(keys: keySet, allowedAlgorithms: allowedAlgorithms, validator: validator).verify(token, now: now)
        } catch let error as JOSEError {
            throw BackchannelLogoutError("the logout token is not valid: \(error.reason)")
        } catch {
            throw BackchannelLogoutError("the logout token is not valid")
        }
        let claims = verified.claims
        guard let issuedAt = claims.issuedAt, now.timeIntervalSince(issuedAt) <= maximumAge + leeway,
              issuedAt.timeIntervalSince(now) <= leeway else {
            throw BackchannelLogoutError("the logout token was not issued within the last \(Int(maximumAge)) seconds")
        }
        // Step 5: sub, sid or both.
        let sessionID = claims["sid"]?.stringValue
        guard claims.subject != nil || sessionID != nil else {
            throw BackchannelLogoutError("the logout token names neither a subject (sub) nor a session (sid)")
        }
        // Step 6: the logout event, whose value is a JSON object.
        guard case .object(let events)? = claims["events"], case .object? = events[Self.logoutEvent] else {
            throw BackchannelLogoutError("the logout token lacks the back-channel logout event")
        }
        // Step 7: no nonce, so that an ID token cannot be replayed as a logout token.
        guard claims["nonce"] == nil else { throw BackchannelLogoutError("a logout token must not carry a nonce") }
        return LogoutTokenContent(subject: claims.subject, sessionID: sessionID, tokenID: claims.jwtID ?? "", issuedAt: issuedAt)
    }

    private func apply(_ logout: LogoutTokenContent, now: Date) {
        // Step 8: a jti seen recently changes nothing more.
        let fresh = seen.withLock { seen -> Bool in
            if seen.count >= Self.maximumSeen { seen = seen.filter { $0.value > now } }
            if let until = seen[logout.tokenID], until > now { return false }
            seen[logout.tokenID] = now + maximumAge + 2 * leeway
            return true
        }
        guard fresh else { return }
        let expires = now + sessionRetention
        if let sessionID = logout.sessionID {
            revocations.add(Revocation(kind: .session, value: sessionID, time: logout.issuedAt, expires: expires))
        } else if let subject = logout.subject {
            // §2.7: with only `sub`, every session of the subject at this RP ends.
            revocations.add(Revocation(kind: .subject, value: subject, time: max(logout.issuedAt, now), expires: expires))
        }
    }
}

/// What a valid logout token logs out.
public struct LogoutTokenContent: Sendable, Hashable {
    public var subject: String?
    public var sessionID: String?
    public var tokenID: String
    public var issuedAt: Date
}

/// Why a logout token was refused; the message is safe to send back (§2.8).
public struct BackchannelLogoutError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The answer to a back-channel logout request (§2.8).
public struct BackchannelLogoutResponse: Sendable, Hashable {
    /// `200` or `400`.
    public var status: Int
    /// `{"error":"invalid_request","error_description":…}` for a failure, else empty.
    public var body: String
    /// The reason, for logs; `nil` on success.
    public var failure: String?

    static let success = BackchannelLogoutResponse(status: 200, body: "", failure: nil)

    static func failure(_ reason: String) -> BackchannelLogoutResponse {
        let body = JSONValue.object(["error": "invalid_request", "error_description": .string(reason)]).jsonText
        return BackchannelLogoutResponse(status: 400, body: body, failure: reason)
    }
}

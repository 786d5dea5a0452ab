import Foundation
public import GatehouseCore
public import GatehouseKeys
public import GatehouseStore
import GatehouseJOSE
import Synchronization

/// The OAuth 2.0 / OpenID Connect protocol engine, free of HTTP: plain values in (parsed
/// parameters, the `Authorization` header, the client address), plain values out (a redirect,
/// a JSON response, a decision for the login page). Each endpoint and grant lives in a file
/// of its own; this type holds what they share.
///
/// | endpoint | call |
/// |---|---|
/// | `GET /authorize` | ``validateAuthorization(_:)`` then ``authorize(_:sessionCookie:freshAuthentication:consentGiven:sourceIP:)`` |
/// | `POST /token` | ``token(_:)`` |
/// | `GET/POST /userinfo` | ``userInfo(authorization:)`` |
/// | `POST /introspect` | ``introspect(_:)`` |
/// | `POST /revoke` | ``revoke(_:)`` |
/// | `POST /revocations` | ``revocationFeed(_:)`` |
/// | `GET /.well-known/openid-configuration` | ``discoveryResponse()`` |
/// | `GET /jwks` | ``jwksResponse()`` |
/// | `GET /logout` | ``validateLogout(_:)`` then ``endSession(sessionCookie:sourceIP:)`` |
///
/// Decisions this engine makes where the specifications leave a choice:
/// - **Refresh tokens and `offline_access`.** A client registered for `refresh_token` gets a
///   refresh token with every code redemption. Its family lives inside the SSO session: it
///   expires with the session's absolute lifetime at the latest and is revoked with it, so
///   there is no offline access; `offline_access` is an ordinary scope with no effect, not
///   advertised. Rotation is strict: presenting a rotated-out token revokes the family and
///   the session, even when two requests of the same client race.
/// - **Access-token revocation** is supported by `jti` (RFC 7009): UserInfo and introspection
///   refuse a revoked token at once; applications verifying offline learn it from the
///   revocation feed, which also announces ended sessions (`sid`), disabled accounts (`sub`)
///   and revoked refresh-token families (`gid`, a claim of the access tokens issued with one).
/// - **`at_hash` for EdDSA** uses SHA-512 (Ed25519's hash), the OpenID convention.
/// - **`sid`** is the session's stored id, the SHA-256 of the cookie: it names the session in
///   tokens and back-channel logout without revealing the cookie.
/// - **Introspection** answers only about tokens issued to, or addressed to, the asking client;
///   **revocation** of another client's token is answered `200` and changes nothing.
/// - **Consent**: clients are registered centrally and need no consent screen, except when
///   the request says `prompt=consent`.
///
/// ```swift
/// let engine = OAuthEngine(configuration: configuration, store: store, keys: keyRing, clock: SystemClock())
/// let response = await engine.token(EndpointRequest(parameters: try FormParameters.parse(body),
///                                                    authorization: request.headers[.authorization], sourceIP: peer))
/// ```
public struct OAuthEngine: Sendable {
    public let configuration: OAuthConfiguration
    public let store: any Store
    public let keys: KeyRing
    public let clock: any Clock
    /// The verification keys built from the published JWKS, rebuilt when it changes.
    let verificationKeys: VerificationKeyCache

    public init(configuration: OAuthConfiguration, store: any Store, keys: KeyRing, clock: any Clock = SystemClock()) {
        self.configuration = configuration
        self.store = store
        self.keys = keys
        self.clock = clock
        self.verificationKeys = VerificationKeyCache()
    }

    var issuer: String { configuration.issuer }
    var lifetimes: TokenLifetimes { configuration.lifetimes }

    /// How long the JWKS keeps a retired key: every token it signed has expired, plus leeway.
    var keyRetention: TimeInterval { lifetimes.longestSignedToken + configuration.clockSkew }

    /// Runs `body` in a write transaction; errors that escape it (the store's) become
    /// `server_error` or `temporarily_unavailable`.
    func write<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws(OAuthError) -> T {
        do {
            return try await store.write { tx in try body(StoreTransaction(tx: tx)) }
        } catch {
            throw OAuthError.wrapping(error)
        }
    }
}

/// A request to the token, introspection or revocation endpoint.
public struct EndpointRequest: Sendable, Hashable {
    /// The form body's parameters (``FormParameters/parse(_:)``).
    public var parameters: [String: String]
    /// The `Authorization` header, if any.
    public var authorization: String?
    /// The client's address, for the audit trail.
    public var sourceIP: String?

    public init(parameters: [String: String], authorization: String? = nil, sourceIP: String? = nil) {
        self.parameters = parameters
        self.authorization = authorization
        self.sourceIP = sourceIP
    }
}

/// `VerificationKeySet`s for the published JWKS, kept while the set of `kid`s stays the same
/// (building OpenSSL keys from JWKs on every request would dominate token verification).
final class VerificationKeyCache: Sendable {
    private let cached = Mutex<(kids: [String], keys: VerificationKeySet)?>(nil)

    func keys(for jwks: JWKSet) throws -> VerificationKeySet {
        let kids = jwks.keys.map { $0.keyID ?? "" }
        if let hit = cached.withLock({ $0 }), hit.kids == kids { return hit.keys }
        let fresh = try VerificationKeySet(jwks)
        cached.withLock { $0 = (kids, fresh) }
        return fresh
    }
}

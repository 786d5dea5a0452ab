import Foundation
import GatehouseJOSE
import GatehouseMiddleware
import Synchronization

/// A provider with no network: its JWK Set comes from memory, fetches are counted, and time
/// comes from a ``TestClock``. For tests of the verification rules themselves.
final class LocalProvider: Sendable {
    static let issuer = "https://sso.example.gov.vn"
    static let audience = "cong-van"

    /// What the provider publishes, and how often it was fetched.
    final class Published: Sendable {
        let keys: Mutex<[SigningKey]>
        let fetches = Mutex(0)
        init(_ keys: [SigningKey]) { self.keys = Mutex(keys) }
    }

    let clock: TestClock
    let published: Published
    let cache: JWKSCache
    let revocations = RevocationList()
    let verifier: TokenVerifier

    /// Publishes `keys`, loads them once, and builds a verifier.
    init(keys: [SigningKey], clock: TestClock = TestClock(),
         configure: (inout GatehouseVerifierConfiguration) -> Void = { _ in }) async throws {
        var configuration = GatehouseVerifierConfiguration(issuer: LocalProvider.issuer, audience: LocalProvider.audience)
        configure(&configuration)
        let published = Published(keys)
        self.clock = clock
        self.published = published
        cache = JWKSCache(policy: configuration.keyCache, now: clock.closure) {
            published.fetches.withLock { $0 += 1 }
            let jwks = try JWKSet(keys: published.keys.withLock { $0 }.map(\.publicJWK)).jsonData()
            return FetchedDocument(body: Array(jwks), cacheControl: "max-age=300")
        }
        verifier = TokenVerifier(configuration: configuration, keys: cache, revocations: revocations)
        try await cache.refresh()
    }

    convenience init(_ algorithm: JWSAlgorithm = .es256, clock: TestClock = TestClock()) async throws {
        try await self.init(keys: [SigningKey.generate(algorithm)], clock: clock)
    }

    var now: Date { clock.now() }
    var key: SigningKey { published.keys.withLock { $0[0] } }

    /// Valid claims at the clock's time.
    func claims(subject: String = TokenMinting.subject, sessionID: String = "sid-1", grantID: String? = "gid-1") -> JWTClaims {
        TokenMinting.claims(issuer: LocalProvider.issuer, audience: LocalProvider.audience, now: now, subject: subject,
                            sessionID: sessionID, grantID: grantID)
    }

    /// A valid token signed with the first key.
    func token(_ edit: (inout JWTClaims) -> Void = { _ in }) throws -> String {
        var claims = claims()
        edit(&claims)
        return try TokenMinting.sign(claims, key: key)
    }
}

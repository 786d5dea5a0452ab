import Foundation
import GatehouseJOSE
import GatehouseMiddleware
import Synchronization
import Testing

/// The lifetime rules (RFC 9111 §5.2) and the cache's handling of documents, without a network.
@Suite struct KeyCachePolicyTests {
    let policy = KeyCachePolicy()

    @Test func maxAgeIsBoundedAndAgeSubtracted() {
        #expect(policy.timeToLive(cacheControl: "public, max-age=600", age: nil) == 600)
        #expect(policy.timeToLive(cacheControl: "MAX-AGE=\"900\"", age: nil) == 900)
        #expect(policy.timeToLive(cacheControl: "max-age=600", age: 100) == 500)
        #expect(policy.timeToLive(cacheControl: "max-age=600", age: 590) == 60)
        #expect(policy.timeToLive(cacheControl: "max-age=10", age: nil) == 60)
        #expect(policy.timeToLive(cacheControl: "max-age=99999999999999999999", age: nil) == 86_400)
        #expect(policy.timeToLive(cacheControl: "max-age=600, max-age=120", age: nil) == 120)
        #expect(policy.timeToLive(cacheControl: "max-age=600", age: .nan) == 600)
        #expect(policy.timeToLive(cacheControl: "max-age=600", age: .infinity) == 600)
    }

    @Test func noStoreNoCacheAndNonsense() {
        #expect(policy.timeToLive(cacheControl: "no-store", age: nil) == 60)
        #expect(policy.timeToLive(cacheControl: "max-age=600, no-cache", age: nil) == 60)
        #expect(policy.timeToLive(cacheControl: nil, age: nil) == 300)
        #expect(policy.timeToLive(cacheControl: "public", age: nil) == 300)
        #expect(policy.timeToLive(cacheControl: "max-age=-5", age: nil) == 300)
        #expect(policy.timeToLive(cacheControl: "max-age=1e9", age: nil) == 300)
        #expect(policy.timeToLive(cacheControl: "max-age=", age: nil) == 300)
    }

    @Test func aSetWithPrivateMembersNeverReplacesTheGoodOne() async throws {
        let key = try SigningKey.generate(.es256)
        let leaking = Mutex(false)
        let cache = JWKSCache(now: TestClock().closure) {
            let body = leaking.withLock { $0 } ? TestIssuer.leakingJWKS([key]) : try JWKSet(keys: [key.publicJWK]).jsonData()
            return FetchedDocument(body: Array(body))
        }
        try await cache.refresh()
        leaking.withLock { $0 = true }
        await #expect(throws: ProviderError(.privateKeyMaterial)) { try await cache.refresh() }
        #expect(cache.current[keyID: key.keyID] != nil)
        #expect(cache.status.generation == 1)
    }

    @Test func anEmptyCacheReportsWhyItHasNoKeys() async throws {
        let cache = JWKSCache(now: TestClock().closure) { throw ProviderError(.unreachable, "down") }
        await #expect(throws: ProviderError(.unreachable)) { try await cache.keys(forKeyID: "k1") }
        await #expect(throws: ProviderError(.unreachable)) { try await cache.refresh() }
        #expect(cache.status.keyCount == 0 && cache.status.fetches == 2)
    }

    @Test func aTokenArrivingBeforeAnyKeysLoadedFetchesThem() async throws {
        let key = try SigningKey.generate(.es256)
        let clock = TestClock()
        let cache = JWKSCache(now: clock.closure) { FetchedDocument(body: Array(try JWKSet(keys: [key.publicJWK]).jsonData())) }
        let configuration = GatehouseVerifierConfiguration(issuer: LocalProvider.issuer, audience: LocalProvider.audience)
        let verifier = TokenVerifier(configuration: configuration, keys: cache, revocations: RevocationList())
        let claims = TokenMinting.claims(issuer: LocalProvider.issuer, audience: LocalProvider.audience, now: clock.now())
        _ = try await verifier.verify(TokenMinting.sign(claims, key: key), now: clock.now())
        #expect(cache.status.fetches == 1)
    }
}

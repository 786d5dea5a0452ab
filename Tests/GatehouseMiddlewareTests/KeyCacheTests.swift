import Foundation
import GatehouseCrypto
import GatehouseJOSE
import GatehouseMiddleware
import Synchronization
import Testing

/// The JWK Set cache against a live test issuer: lifetimes, refetch limits, rotation, outages.
/// Time is a ``TestClock``; only the flood test with the real clock measures elapsed time,
/// and only to loosen its bound.
@Suite struct KeyCacheTests {
    /// Starts a test issuer and an application verifier on the test clock.
    static func withVerifier(
        keys: [SigningKey]? = nil, cacheControl: String? = "public, max-age=300", clock: TestClock = TestClock(),
        configure: (inout GatehouseVerifierConfiguration) -> Void = { _ in },
        _ body: (TestIssuer, GatehouseApplicationVerifier, TestClock) async throws -> Void
    ) async throws {
        try await TestIssuer.withRunning(keys: keys, cacheControl: cacheControl) { issuer in
            var configuration = issuer.configuration
            configure(&configuration)
            let gatehouse = try await GatehouseApplicationVerifier.discover(configuration, httpClient: .shared, now: clock.closure)
            try await body(issuer, gatehouse, clock)
        }
    }

    /// Verifies `count` tokens concurrently; returns how many were refused.
    static func verifyConcurrently(_ verifier: TokenVerifier, count: Int, now: Date, token: @escaping @Sendable () throws -> String) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<count {
                group.addTask {
                    guard let token = try? token() else { return false }
                    return (try? await verifier.verify(token, now: now)) != nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 0 : 1) }
        }
    }

    @Test func aFloodOfUnknownKidsCostsOneFetchPerInterval() async throws {
        try await Self.withVerifier { issuer, gatehouse, clock in
            #expect(issuer.jwksRequests == 1)
            let forger = try SigningKey.generate(.es256)
            let claims = issuer.claims(now: clock.now())
            let forged: @Sendable () throws -> String = { try issuer.sign(claims, with: forger, keyID: SecureRandom.token(byteCount: 9)) }

            // Within the interval of the start-up fetch: no fetch at all.
            #expect(await Self.verifyConcurrently(gatehouse.verifier, count: 250, now: clock.now(), token: forged) == 250)
            #expect(issuer.jwksRequests == 1)

            // One interval later: 250 concurrent unknown kids share a single fetch.
            clock.advance(by: gatehouse.configuration.keyCache.unknownKeyRefetchInterval)
            #expect(await Self.verifyConcurrently(gatehouse.verifier, count: 250, now: clock.now(), token: forged) == 250)
            #expect(issuer.jwksRequests == 2)

            // The real key still verifies, without a fetch.
            let identity = try await gatehouse.verifier.verify(issuer.sign(issuer.claims(now: clock.now())), now: clock.now())
            #expect(identity.subject == TokenMinting.subject)
            #expect(issuer.jwksRequests == 2)
            await #expect(throws: TokenRejection(.unknownKey)) { try await gatehouse.verifier.verify(forged(), now: clock.now()) }
        }
    }

    @Test func aFloodOnTheRealClockStaysWithinOneFetchPerInterval() async throws {
        try await TestIssuer.withRunning { issuer in
            var configuration = issuer.configuration
            configuration.keyCache.unknownKeyRefetchInterval = 0.05
            let start = Date()
            let gatehouse = try await GatehouseApplicationVerifier.discover(configuration, httpClient: .shared)
            let forger = try SigningKey.generate(.es256)
            let claims = issuer.claims(now: Date())
            let refused = await Self.verifyConcurrently(gatehouse.verifier, count: 500, now: Date()) {
                try issuer.sign(claims, with: forger, keyID: SecureRandom.token(byteCount: 9))
            }
            let elapsed = Date().timeIntervalSince(start)
            #expect(refused == 500)
            #expect(issuer.jwksRequests <= 1 + Int(elapsed / 0.05) + 1)
            _ = try await gatehouse.verifier.verify(issuer.sign(issuer.claims(now: Date())))
        }
    }

    @Test func keyRotationDuringARunLosesNoVerification() async throws {
        let first = try SigningKey.generate(.es256), second = try SigningKey.generate(.es256)
        try await Self.withVerifier(keys: [first], cacheControl: "max-age=60") { issuer, gatehouse, clock in
            var refused = 0
            for step in 0..<40 {
                if step == 8 { issuer.publish(second) }        // published ahead of use, as Gatehouse does
                if step == 24 { issuer.signWith(second) }      // then used
                if step == 32 { issuer.withdraw(first.keyID) } // and the old key retired
                let claims = issuer.claims(now: clock.now())
                let key = issuer.signingKey
                refused += await Self.verifyConcurrently(gatehouse.verifier, count: 8, now: clock.now()) {
                    try issuer.sign(claims, with: key)
                }
                await gatehouse.keys.waitForPendingFetch()   // so that each fetch completes at the step that began it
                clock.advance(by: 5)
            }
            await gatehouse.keys.waitForPendingFetch()
            #expect(refused == 0)
            #expect(gatehouse.keys.current[keyID: second.keyID] != nil)
            #expect(gatehouse.keys.current[keyID: first.keyID] == nil)
            #expect(issuer.jwksRequests <= 6)
        }
    }

    @Test func aKeyUsedAsSoonAsPublishedIsFetchedOnItsFirstToken() async throws {
        // Twenty verifications wait on one fetch: a generous HTTP timeout, so a busy machine
        // slows the fetch down rather than failing it.
        try await Self.withVerifier(configure: { $0.httpTimeout = 30 }) { issuer, gatehouse, clock in
            clock.advance(by: 30)
            let next = try SigningKey.generate(.edDSA)
            issuer.publish(next)
            issuer.signWith(next)
            let claims = issuer.claims(now: clock.now())
            #expect(await Self.verifyConcurrently(gatehouse.verifier, count: 20, now: clock.now()) { try issuer.sign(claims) } == 0)
            #expect(issuer.jwksRequests == 2)
        }
    }

    @Test func anOutageAfterWarmUpKeepsTheCachedKeysVerifying() async throws {
        // The client retries a refused connection until the timeout, so the last step waits it
        // out; it stays generous so that discovery and the other outages get their answers on a
        // machine busy with the rest of the suite.
        try await Self.withVerifier(configure: { $0.httpTimeout = 20 }) { issuer, gatehouse, clock in
            let outages: [TestIssuer.Outage?] = [.serverError, .garbage, .privateKeyMembers, .emptySet]
            let expected: [ProviderError.Code] = [.httpStatus, .invalidDocument, .privateKeyMaterial, .noUsableKeys]
            for (outage, code) in zip(outages, expected) {
                issuer.setOutage(outage)
                clock.advance(by: 301)                       // stale: a background fetch starts, and fails
                _ = try await gatehouse.verifier.verify(issuer.sign(issuer.claims(now: clock.now())), now: clock.now())
                await gatehouse.keys.waitForPendingFetch()
                #expect(gatehouse.keys.status.lastError?.code == code)
                #expect(gatehouse.keys.status.keyCount == 1)
                _ = try await gatehouse.verifier.verify(issuer.sign(issuer.claims(now: clock.now())), now: clock.now())
                await #expect(throws: ProviderError(code)) { try await gatehouse.keys.refresh() }
            }
            await issuer.stop()                              // connection refused from now on
            clock.advance(by: 301)
            _ = try await gatehouse.verifier.verify(issuer.sign(issuer.claims(now: clock.now())), now: clock.now())
            await gatehouse.keys.waitForPendingFetch()
            #expect(gatehouse.keys.status.lastError?.code == .unreachable)
            let claims = issuer.claims(now: clock.now())
            #expect(await Self.verifyConcurrently(gatehouse.verifier, count: 50, now: clock.now()) { try issuer.sign(claims) } == 0)
        }
    }

    @Test func maxAgeIsHonouredWithinItsBounds() async throws {
        let cases: [(header: String?, lifetime: TimeInterval)] = [
            ("public, max-age=120", 120), ("no-store", 60), ("max-age=5", 60), ("max-age=999999999", 86_400), (nil, 300),
        ]
        for (header, lifetime) in cases {
            try await Self.withVerifier(cacheControl: header) { issuer, gatehouse, clock in
                let verify = { @Sendable () async throws in
                    _ = try await gatehouse.verifier.verify(issuer.sign(issuer.claims(now: clock.now())), now: clock.now())
                    await gatehouse.keys.waitForPendingFetch()
                }
                clock.advance(by: lifetime - 1)
                try await verify()
                #expect(issuer.jwksRequests == 1, "\(header ?? "none"): fetched before \(lifetime) s")
                clock.advance(by: 1)
                try await verify()
                #expect(issuer.jwksRequests == 2, "\(header ?? "none"): not fetched at \(lifetime) s")
                try await verify()
                #expect(issuer.jwksRequests == 2)
            }
        }
    }

    @Test func aFailedBackgroundFetchIsRetriedOncePerInterval() async throws {
        try await Self.withVerifier { issuer, gatehouse, clock in
            issuer.setOutage(.serverError)
            clock.advance(by: 300)
            for _ in 0..<20 {
                _ = try await gatehouse.verifier.verify(issuer.sign(issuer.claims(now: clock.now())), now: clock.now())
                await gatehouse.keys.waitForPendingFetch()
            }
            #expect(issuer.jwksRequests == 2)
            issuer.setOutage(nil)
            clock.advance(by: 10)
            _ = try await gatehouse.verifier.verify(issuer.sign(issuer.claims(now: clock.now())), now: clock.now())
            await gatehouse.keys.waitForPendingFetch()
            #expect(issuer.jwksRequests == 3)
            #expect(gatehouse.keys.status.lastError == nil)
        }
    }

    @Test func keysForAKidServeTheBackChannelAndRelyingParty() async throws {
        try await Self.withVerifier { issuer, gatehouse, clock in
            let known = try await gatehouse.keys.keys(forKeyID: issuer.signingKey.keyID)
            #expect(known[keyID: issuer.signingKey.keyID] != nil)
            clock.advance(by: 10)
            let next = try SigningKey.generate(.rs256)
            issuer.publish(next)
            let fetched = try await gatehouse.keySource(next.keyID)
            #expect(fetched[keyID: next.keyID] != nil)
            #expect(issuer.jwksRequests == 2)
            let unknown = try await gatehouse.keys.keys(forKeyID: "nope")   // within the interval: no fetch
            #expect(unknown[keyID: "nope"] == nil)
            #expect(issuer.jwksRequests == 2)
        }
    }
}

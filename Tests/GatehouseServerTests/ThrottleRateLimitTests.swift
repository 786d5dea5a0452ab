import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehousePolicy
@testable import GatehouseServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The per-client token bucket of the token, introspection, revocation and revocation-feed
/// endpoints (``ClientRateLimiter``), attacked over HTTP.
@Suite("Client rate limit")
struct ThrottleRateLimitTests {
    @Test("a client past its bucket gets 429 with Retry-After and an OAuth error; other clients go on")
    func tokenEndpoint() async throws {
        try await OIDCHarness.withServer { h, _ in
            let limit = ClientRateLimitPolicy(perSecond: 1, burst: 3)
            let services = OIDCServices(engine: h.services.engine, passwords: h.passwords, passwordPolicy: .defaults,
                                        logoutNotifier: h.notifier, clientRateLimit: limit)
            let app = Application(router: GatehouseServer.router(readiness: [], oidc: services))
            try await app.test(.live) { client in
                let browser = Browser(client: client)
                func redeem(_ clientID: String) async throws -> Browser.Reply {
                    try await browser.post("/token", form: [
                        ("grant_type", "authorization_code"), ("code", "not-a-code"), ("code_verifier", String(repeating: "v", count: 43)),
                        ("redirect_uri", OIDCHarness.redirect(clientID)),
                    ], headers: [.authorization: OIDCHarness.basic(clientID)])
                }
                for _ in 0..<limit.burst {
                    let reply = try await redeem("portal")
                    #expect(reply.status == .badRequest && reply.body.contains("invalid_grant"), "the engine answers: \(reply.body)")
                }
                let refused = try await redeem("portal")
                #expect(refused.status == .tooManyRequests)
                #expect(refused.headers[.retryAfter] == "1")
                #expect(refused.headers[.cacheControl] == "no-store")
                #expect(refused.headers[.contentType]?.hasPrefix("application/json") == true)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(refused.body.utf8)) as? [String: Any])
                #expect(body["error"] as? String == "temporarily_unavailable")
                // The same bucket at the other endpoints, client_id in the body this time.
                let introspect = try await browser.post("/introspect", form: [("token", "x"), ("client_id", "portal"), ("client_secret", OIDCHarness.secret)])
                #expect(introspect.status == .tooManyRequests)
                let revoke = try await browser.post("/revoke", form: [("token", "x")], headers: [.authorization: OIDCHarness.basic("portal")])
                #expect(revoke.status == .tooManyRequests)

                // Another client is not held back.
                let other = try await redeem("mail")
                #expect(other.status == .badRequest && other.body.contains("invalid_grant"))

                // After Retry-After, the client is served again.
                h.clock.advance(by: 1)
                #expect(try await redeem("portal").status == .badRequest)
                #expect(try await redeem("portal").status == .tooManyRequests)
            }
        }
    }

    @Test("an attacker posting under a client's id from elsewhere empties only their own bucket")
    func keyedByClientAndAddress() {
        let clock = ManualClock()
        let limiter = ClientRateLimiter(policy: ClientRateLimitPolicy(perSecond: 2, burst: 4), clock: clock)
        for _ in 0..<4 { #expect(limiter.take(clientID: "portal", sourceIP: "198.51.100.66") == nil) }
        #expect(limiter.take(clientID: "portal", sourceIP: "198.51.100.66") == 1)
        #expect(limiter.take(clientID: "portal", sourceIP: "10.0.0.5") == nil, "the client's own server")
        #expect(limiter.take(clientID: nil, sourceIP: "198.51.100.66") == nil, "no client: the address's own bucket")
        clock.advance(by: 0.5)
        #expect(limiter.take(clientID: "portal", sourceIP: "198.51.100.66") == nil, "refilled at per_second")
        #expect(limiter.take(clientID: "portal", sourceIP: "198.51.100.66") == 1)
    }

    @Test("the number of buckets is bounded")
    func bounded() {
        let clock = ManualClock()
        let limiter = ClientRateLimiter(policy: ClientRateLimitPolicy(perSecond: 1, burst: 2), clock: clock, maximumBuckets: 100)
        for i in 0..<1_000 { _ = limiter.take(clientID: "c\(i)", sourceIP: "10.0.0.1") }
        #expect(limiter.bucketCount <= 100)
        // A busy client keeps its (recently used) bucket state.
        _ = limiter.take(clientID: "busy", sourceIP: "10.0.0.1")
        _ = limiter.take(clientID: "busy", sourceIP: "10.0.0.1")
        #expect(limiter.take(clientID: "busy", sourceIP: "10.0.0.1") == 1)
    }

    @Test("the client a request names is read from client_id, Basic credentials or an assertion's subject")
    func claimedClient() {
        #expect(ClientRateLimiter.claimedClient(EndpointRequest(parameters: ["client_id": "portal"])) == "portal")
        #expect(ClientRateLimiter.claimedClient(EndpointRequest(parameters: [:], authorization: OIDCHarness.basic("ứng dụng"))) == "ứng dụng")
        let payload = Data(#"{"sub":"mail","iss":"mail"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        #expect(ClientRateLimiter.claimedClient(EndpointRequest(parameters: ["client_assertion": "e30.\(payload).sig"])) == "mail")
        #expect(ClientRateLimiter.claimedClient(EndpointRequest(parameters: [:], authorization: "Bearer abc")) == nil)
    }
}

@Suite("Throttle keys")
struct ThrottleKeyTests {
    @Test("source networks: IPv4 /24, IPv6 /64, mapped IPv4, zones, junk")
    func networks() {
        #expect(SourceNetwork("203.0.113.77").address == "203.0.113.77" && SourceNetwork("203.0.113.77").network == "203.0.113.0/24")
        #expect(SourceNetwork("2001:DB8:0:0:1::1").address == "2001:db8::1:0:0:1")
        #expect(SourceNetwork("2001:db8::1").network == "2001:db8:0:0::/64")
        #expect(SourceNetwork("2001:db8:0:0:ffff::9").network == SourceNetwork("2001:db8::1").network)
        #expect(SourceNetwork("2001:db8:0:1::1").network != SourceNetwork("2001:db8::1").network)
        #expect(SourceNetwork("::ffff:203.0.113.77") == SourceNetwork("203.0.113.77"))
        #expect(SourceNetwork("fe80::1%eth0").address == "fe80::1")
        #expect(SourceNetwork(nil).address == "unknown" && SourceNetwork("not an address").network == "unknown")
        #expect(SourceNetwork("203.0.113.077").address == "unknown", "no octal or other loose IPv4 spellings")
    }

    @Test("the delay grows from the first past the free failures, is capped, then becomes the lock")
    func delays() {
        let p = LockoutPolicy.defaults
        #expect((1...p.freeFailures).allSatisfy { p.wait(afterFailures: $0) == nil })
        #expect((4...9).map { p.wait(afterFailures: $0) } == [1, 2, 4, 8, 16, 32])
        #expect(p.wait(afterFailures: 10) == p.lockDuration && p.wait(afterFailures: 1_000) == p.lockDuration)
        var capped = p
        capped.lockAfter = 100
        #expect(capped.wait(afterFailures: 99) == p.maxDelay)
    }

    @Test("account keys fold the username and hide it; the network is part of the per-network key")
    func keys() throws {
        let throttle = LoginThrottle(policy: .defaults)
        let a = throttle.keys(accountID: nil, username: try Username("Trần.Thị.Ánh"), sourceIP: "198.51.100.1")
        let b = throttle.keys(accountID: nil, username: try Username("trần.thị.ánh".decomposedStringWithCanonicalMapping.uppercased()), sourceIP: "198.51.100.200")
        #expect(a.account == b.account && a.accountNetwork == b.accountNetwork, "same account, same /24")
        #expect(!a.all.contains { $0.contains("tr") && $0.hasPrefix("acct") })
        let other = throttle.keys(accountID: nil, username: try Username("trần.thị.ánh"), sourceIP: "198.51.101.1")
        #expect(other.account == a.account && other.accountNetwork != a.accountNetwork)
        let id = UUID()
        #expect(throttle.keys(accountID: id, username: nil, sourceIP: nil).account == throttle.keys(accountID: id, username: try Username("x"), sourceIP: nil).account)
        #expect(throttle.keys(accountID: nil, username: nil, sourceIP: "10.0.0.1").all == ["ip:10.0.0.1", "net:10.0.0.0/24"])
    }
}

import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehouseServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The revocation feed over HTTP: advertised in discovery, served at its path, fed by a logout.
@Suite("Revocation feed over HTTP")
struct RevocationFeedHTTPTests {
    func json(_ reply: Browser.Reply) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
    }

    @Test("discovery advertises the feed; a logout shows up in it for every confidential client")
    func logoutShowsUpInTheFeed() async throws {
        try await OIDCHarness.withServer { h, browser in
            let discovery = try json(try await browser.get("/.well-known/openid-configuration"))
            #expect(discovery["gatehouse_revocation_feed_endpoint"] as? String == OIDCHarness.issuer + "/revocations")

            let empty = try await browser.post("/revocations", form: [], headers: [.authorization: OIDCHarness.basic("portal")])
            #expect(empty.status == .ok)
            #expect(try json(empty)["latest"] as? Int == 0)

            let (verifier, challenge) = OIDCHarness.pkce()
            let callback = try await browser.login(OIDCHarness.authorizeURI(challenge: challenge))
            let tokens = try await browser.redeem(try #require(callback.redirectParameters["code"]), verifier: verifier)
            let idToken = try #require(tokens["id_token"] as? String)
            let cookie = try #require(browser.cookies["__Host-gh_session"])
            let logout = try await browser.get("/logout?" + FormParameters.encode([("id_token_hint", idToken)]))
            #expect(logout.status == .ok, "signed out: \(logout.status)")
            #expect(try await h.store.read { try $0.session(idHash: SessionCookie.idHash(of: cookie)) }.revokedAt != nil)

            for client in ["portal", "mail"] {
                let reply = try await browser.post("/revocations", form: [("after", "0"), ("limit", "10")],
                                                   headers: [.authorization: OIDCHarness.basic(client)])
                #expect(reply.status == .ok, "\(client): \(reply.body)")
                #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(reply.headers[.cacheControl] == "no-store")
                let page = try json(reply)
                let events = try #require(page["events"] as? [[String: Any]])
                #expect(events.count == 1)
                #expect(events.first?["kind"] as? String == "sid")
                #expect(events.first?["value"] as? String == SessionCookie.idHash(of: cookie))
                #expect(events.first?["seq"] as? Int == 1 && page["next"] as? Int == 1 && page["latest"] as? Int == 1 && page["oldest"] as? Int == 1)
            }

            let refused = try await browser.post("/revocations", form: [], headers: [.authorization: "Basic cG9ydGFsOndyb25n"])
            #expect(refused.status == .unauthorized && refused.body.contains("invalid_client"))
            let badLimit = try await browser.post("/revocations", form: [("limit", "5000")], headers: [.authorization: OIDCHarness.basic("portal")])
            #expect(badLimit.status == .badRequest && badLimit.body.contains("invalid_request"))
        }
    }
}

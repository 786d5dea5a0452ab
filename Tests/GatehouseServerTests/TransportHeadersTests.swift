import Foundation
import GatehouseServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Security headers on every kind of response, and the cookies' names and attributes over
/// https and plain http.
@Suite("Security headers and cookies")
struct TransportHeadersTests {
    @Test("JSON, plain text and unknown paths carry nosniff, a no-frame CSP and HSTS over https")
    func nonDocuments() async throws {
        try await OIDCHarness.withServer { _, browser in
            let discovery = try await browser.get("/.well-known/openid-configuration")
            let jwks = try await browser.get("/jwks")
            let token = try await browser.post("/token", form: [("grant_type", "authorization_code")])
            let missing = try await browser.get("/no/such/page")
            let health = try await browser.get("/health/live")
            #expect(missing.status == .notFound)
            for reply in [discovery, jwks, token, missing, health] {
                #expect(reply.headers[.xContentTypeOptions] == "nosniff")
                #expect(reply.header("Referrer-Policy") == "no-referrer")
                #expect(reply.headers[.strictTransportSecurity] == "max-age=31536000")
                let csp = try #require(reply.headers[.contentSecurityPolicy])
                #expect(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"))
                #expect(!csp.contains("script-src") && !csp.contains("unsafe-inline"))
            }
        }
    }

    @Test("pages over https: __Host- cookies, Secure, HttpOnly, SameSite, no Domain; a CSP without script")
    func httpsCookies() async throws {
        try await OIDCHarness.withServer { _, browser in
            let start = try await browser.get(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            let cookie = try #require(start.setCookies.first { $0.hasPrefix("__Host-gh_csrf=") })
            let attributes = Set(cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(attributes == ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"])
            #expect(!cookie.lowercased().contains("domain="), "__Host- cookies never name a domain (RFC 6265bis §4.1.3.2)")
            let page = try await browser.get(try #require(start.location))
            let csp = try #require(page.headers[.contentSecurityPolicy])
            #expect(csp.hasPrefix("default-src 'none'; style-src 'sha256-"))
            #expect(csp.contains("frame-ancestors 'none'") && !csp.contains("script-src"))
            #expect(page.header("X-Frame-Options") == "DENY")
            #expect(!page.body.contains("<script"))
        }
    }

    @Test("pages over plain http: no __Host- prefix, no Secure, no HSTS")
    func httpCookies() async throws {
        try await OIDCHarness.withServer(issuer: "http://127.0.0.1:8080") { _, browser in
            let start = try await browser.get(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            #expect(start.setCookies.contains { $0.hasPrefix("gh_csrf=") })
            #expect(!start.setCookies.contains { $0.hasPrefix("__Host-") || $0.contains("Secure") })
            #expect(start.headers[.strictTransportSecurity] == nil)
            let page = try await browser.get(try #require(start.location))
            #expect(page.status == .ok)
            #expect(page.headers[.strictTransportSecurity] == nil)
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
        }
    }

    @Test("without the provider (health and metrics only) there is no HSTS, the other headers stay")
    func healthOnly() async throws {
        let app = Application(router: GatehouseServer.router(readiness: []))
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.headers[.strictTransportSecurity] == nil)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.contentSecurityPolicy] == "default-src 'none'; frame-ancestors 'none'")
            }
        }
    }
}

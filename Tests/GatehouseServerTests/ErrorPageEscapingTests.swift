import Foundation
import GatehouseOAuth
import GatehouseServer
import HTTPTypes
import Hummingbird
import Testing

/// Hostile input in every parameter that can reach an error page or a form comes back as text,
/// never as markup: `<`, `>`, `"`, `'` and `&` are escaped wherever a value is shown.
@Suite("Error pages never echo input unescaped")
struct ErrorPageEscapingTests {
    /// Breaks out of an attribute, opens a script, and tries an event handler.
    static let payload = #""'><script>alert(1)</script><img src=x onerror=alert(2)>"#

    /// No raw markup from `payload` anywhere in `reply`, and it is an HTML page when it is one.
    static func expectInert(_ reply: Browser.Reply, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!reply.body.contains("<script"), "\(what): raw <script>", sourceLocation: sourceLocation)
        #expect(!reply.body.contains("<img"), "\(what): raw <img>", sourceLocation: sourceLocation)
        #expect(!reply.body.contains("'>"), "\(what): attribute break-out", sourceLocation: sourceLocation)
        #expect(reply.headers[.xContentTypeOptions] == "nosniff", "\(what)", sourceLocation: sourceLocation)
        #expect(reply.headers[.contentSecurityPolicy]?.contains("script-src") == false, "\(what)", sourceLocation: sourceLocation)
        if let location = reply.location {
            #expect(!location.contains("<") && !location.contains("\""), "\(what): Location carries it encoded", sourceLocation: sourceLocation)
        }
    }

    @Test("authorize: client_id, redirect_uri, state and parameter names")
    func authorize() async throws {
        try await OIDCHarness.withServer { _, browser in
            let challenge = OIDCHarness.pkce().challenge
            let unknownClient = try await browser.get("/authorize?" + FormParameters.encode([
                ("response_type", "code"), ("client_id", Self.payload), ("redirect_uri", OIDCHarness.redirect("portal")),
                ("state", Self.payload), ("code_challenge", challenge), ("code_challenge_method", "S256"),
            ]))
            #expect(unknownClient.status == .badRequest)
            Self.expectInert(unknownClient, "unknown client_id")

            let foreignRedirect = try await browser.get("/authorize?" + FormParameters.encode([
                ("response_type", "code"), ("client_id", "portal"), ("redirect_uri", "https://evil.example/" + Self.payload),
                ("state", Self.payload), ("code_challenge", challenge), ("code_challenge_method", "S256"),
            ]))
            #expect(foreignRedirect.status == .badRequest, "a redirect URI that is not registered gets a page, not a redirect")
            #expect(foreignRedirect.location == nil)
            Self.expectInert(foreignRedirect, "unregistered redirect_uri")

            // A valid client and redirect URI with a bad request: the error goes back to the client
            // with state, encoded in the Location.
            let badScope = try await browser.get("/authorize?" + FormParameters.encode([
                ("response_type", "token"), ("client_id", "portal"), ("redirect_uri", OIDCHarness.redirect("portal")),
                ("state", Self.payload), ("code_challenge", challenge), ("code_challenge_method", "S256"),
            ]))
            Self.expectInert(badScope, "error redirect with state")

            // A repeated parameter whose name is the payload: the description names it.
            let name = Self.payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let repeated = try await browser.get("/authorize?\(name)=1&\(name)=2&client_id=portal")
            #expect(repeated.status == .badRequest)
            Self.expectInert(repeated, "repeated parameter name")
            #expect(repeated.body.contains("&lt;script&gt;") || !repeated.body.contains("script"))

            // The same through POST.
            let posted = try await browser.post("/authorize", form: [("client_id", Self.payload), ("redirect_uri", Self.payload), ("state", Self.payload)])
            Self.expectInert(posted, "POST authorize")
        }
    }

    @Test("login: username, flow and lang")
    func login() async throws {
        try await OIDCHarness.withServer { _, browser in
            let page = try await browser.openLogin(OIDCHarness.authorizeURI(challenge: OIDCHarness.pkce().challenge))
            let failed = try await browser.submitLogin(page, username: Self.payload, password: "sai mật khẩu")
            #expect(failed.status == .ok)
            Self.expectInert(failed, "username after a failed login")
            #expect(failed.body.contains("value=\"&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;\""))

            let badFlow = try await browser.get("/login?" + FormParameters.encode([("flow", Self.payload), ("lang", Self.payload)]))
            #expect(badFlow.status == .badRequest)
            Self.expectInert(badFlow, "flow and lang")

            let badPost = try await browser.post("/login", form: [
                ("flow", Self.payload), ("csrf", page.field("csrf") ?? ""), ("lang", Self.payload), ("username", Self.payload), ("password", "x"),
            ])
            Self.expectInert(badPost, "posted flow")
        }
    }

    @Test("logout, consent and token: every value shown or returned is inert")
    func others() async throws {
        try await OIDCHarness.withServer { _, browser in
            let logout = try await browser.get("/logout?" + FormParameters.encode([
                ("client_id", Self.payload), ("post_logout_redirect_uri", Self.payload), ("state", Self.payload), ("id_token_hint", Self.payload),
            ]))
            Self.expectInert(logout, "logout")
            let consent = try await browser.get("/consent?" + FormParameters.encode([("flow", Self.payload)]))
            Self.expectInert(consent, "consent")
            // JSON errors: never served as HTML, never sniffed.
            let token = try await browser.post("/token", form: [("grant_type", Self.payload), ("client_id", Self.payload)])
            #expect(token.status.code >= 400)
            #expect(token.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(token.headers[.xContentTypeOptions] == "nosniff")
            #expect(token.headers[.contentSecurityPolicy] == "default-src 'none'; frame-ancestors 'none'")
        }
    }
}

import Foundation
import GatehouseJOSE
import GatehouseMiddleware
import Hummingbird
import HummingbirdTesting
import Testing

/// The Hummingbird middleware, driven through the router.
@Suite struct MiddlewareTests {
    typealias Context = BasicIdentityRequestContext

    /// An application with: `/me` (token required), `/board` (anonymous allowed; `/board/mine` not),
    /// `/units/**` (clerk in the unit), `/by-unit/{unit}` (clerk, unit as a parameter),
    /// `/admin` (admin at the root), `/write` (scope notices.write).
    static func app(_ verifier: TokenVerifier) -> some ApplicationProtocol {
        let router = Router(context: Context.self)
        let board = router.group("/board").add(middleware: verifier.bearerMiddleware(for: Context.self, allowsAnonymous: true))
        board.get { _, context in context.identity?.subject ?? "anonymous" }
        board.get("mine") { _, context in try context.requireIdentity().subject }
        let secured = router.group().add(middleware: BearerTokenMiddleware<Context>(verifier: verifier))
        secured.get("/me") { _, context in try context.requireIdentity().subject }
        secured.group("/units").add(middleware: verifier.requireRole("clerk", at: .catchAll, for: Context.self))
            .get("**") { _, context in "clerk at \(context.parameters.getCatchAll().joined(separator: "/"))" }
        secured.group("/by-unit").add(middleware: verifier.requireRole("clerk", at: .parameter("unit"), for: Context.self))
            .get("{unit}") { _, _ in "ok" }
        secured.group("/admin").add(middleware: RequireRoleMiddleware<Context>("admin", at: .fixed(.root), realm: verifier.realm))
            .get { _, _ in "admin" }
        secured.group("/write").add(middleware: verifier.requireScopes(["notices.write"], for: Context.self))
            .get { _, _ in "written" }
        return Application(router: router)
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer " + token }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    @Test func missingValidAndInvalidTokens() async throws {
        let provider = try await LocalProvider(.es256, clock: TestClock(Date()))
        let token = try provider.token()
        try await Self.app(provider.verifier).test(.router) { client in
            let missing = try await Self.get(client, "/me")
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == #"Bearer realm="cong-van""#)

            let bad = try await Self.get(client, "/me", token: TokenMinting.tampered(token))
            #expect(bad.status == .unauthorized)
            #expect(bad.headers[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true)
            #expect(bad.headers[.wwwAuthenticate]?.contains(#"error_description="The access token's signature is not valid.""#) == true)
            #expect(String(buffer: bad.body).contains("invalid_token"))

            let malformed = try await client.execute(uri: "/me", method: .get, headers: [.authorization: "Bearer"])
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers[.wwwAuthenticate]?.contains(#"error="invalid_request""#) == true)

            let good = try await Self.get(client, "/me", token: token)
            #expect(good.status == .ok)
            #expect(String(buffer: good.body) == TokenMinting.subject)
        }
    }

    @Test func anonymousRequestsPassWhereAllowedButBadTokensNever() async throws {
        let provider = try await LocalProvider(.es256, clock: TestClock(Date()))
        let token = try provider.token()
        try await Self.app(provider.verifier).test(.router) { client in
            #expect(String(buffer: try await Self.get(client, "/board").body) == "anonymous")
            #expect(String(buffer: try await Self.get(client, "/board", token: token).body) == TokenMinting.subject)
            let bad = try await Self.get(client, "/board", token: TokenMinting.tampered(token))
            #expect(bad.status == .unauthorized)
            let expired = try provider.token { $0.expiresAt = Date() - 3600 }
            #expect(try await Self.get(client, "/board", token: expired).status == .unauthorized)
            let mine = try await Self.get(client, "/board/mine")
            #expect(mine.status == .unauthorized)
            #expect(mine.headers[.wwwAuthenticate] == "Bearer")
            #expect(String(buffer: try await Self.get(client, "/board/mine", token: token).body) == TokenMinting.subject)
        }
    }

    @Test func aRoleHoldsInItsUnitsSubtreeOnly() async throws {
        let provider = try await LocalProvider(.es256, clock: TestClock(Date()))
        let token = try provider.token()          // clerk@/ha-noi, admin@/ha-noi/phuong-ba-dinh
        try await Self.app(provider.verifier).test(.router) { client in
            for allowed in ["/units/ha-noi", "/units/ha-noi/phuong-ba-dinh", "/by-unit/%2Fha-noi%2Fphuong-ba-dinh", "/by-unit/ha-noi"] {
                #expect(try await Self.get(client, allowed, token: token).status == .ok, "\(allowed)")
            }
            for refused in ["/units/hue", "/units/ha-noi-2", "/units/ha-noi-2/phuong-ba-dinh", "/by-unit/%2Fhue", "/admin"] {
                let response = try await Self.get(client, refused, token: token)
                #expect(response.status == .forbidden, "\(refused)")
                #expect(response.headers[.wwwAuthenticate]?.contains(#"error="insufficient_scope""#) == true)
            }
            #expect(try await Self.get(client, "/by-unit/%2Fha-noi%2F..%2Fhue", token: token).status == .badRequest)
            #expect(try await Self.get(client, "/units/ha-noi%2Fx", token: token).status == .badRequest)
            #expect(try await Self.get(client, "/units/hue").status == .unauthorized)
        }
    }

    @Test func aMissingScopeIsForbiddenAndNamed() async throws {
        let provider = try await LocalProvider(.es256, clock: TestClock(Date()))
        try await Self.app(provider.verifier).test(.router) { client in
            let response = try await Self.get(client, "/write", token: try provider.token())
            #expect(response.status == .forbidden)
            #expect(response.headers[.wwwAuthenticate]?.contains(#"scope="notices.write""#) == true)
            let granted = try provider.token { $0.additional["scope"] = "openid notices.write" }
            #expect(try await Self.get(client, "/write", token: granted).status == .ok)
        }
    }
}

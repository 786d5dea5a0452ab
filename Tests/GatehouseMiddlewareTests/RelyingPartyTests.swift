import AsyncHTTPClient
import Foundation
import GatehouseCrypto
import GatehouseJOSE
@testable import GatehouseMiddleware
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A stand-in for Gatehouse's token endpoint: checks client authentication, the code, the
/// redirect URI and the PKCE verifier, and answers with an ID token the test shapes.
final class FakeTokenEndpoint: Sendable {
    struct State {
        var challenge: String?
        var idToken: @Sendable (_ nonce: String) throws -> String = { _ in "" }
        var nonce = ""
        var requests = 0
    }
    let state = Mutex(State())
    static let credentials = FormEncoding.basicAuthorization(clientID: "notices", clientSecret: "notices-secret")

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/token") { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 8192))
            let form = Dictionary(FormEncoding.decode(Substring(body)), uniquingKeysWith: { a, _ in a })
            let (challenge, make, nonce) = self.state.withLock { s in s.requests += 1; return (s.challenge, s.idToken, s.nonce) }
            func error(_ code: String) -> Response {
                Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: #"{"error":"\#(code)"}"#)))
            }
            guard request.headers[.authorization] == Self.credentials else { return error("invalid_client") }
            guard form["grant_type"] == "authorization_code", form["code"] == "good-code",
                  form["redirect_uri"] == "http://127.0.0.1/callback" else { return error("invalid_grant") }
            guard let verifier = form["code_verifier"], Base64URL.encode(Digest.sha256(verifier)) == challenge else {
                return error("invalid_grant")
            }
            let json = #"{"access_token":"at","token_type":"Bearer","expires_in":300,"id_token":"\#(try make(nonce))"}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        return router
    }

    func listen<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let app = Application(router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in try await body("http://127.0.0.1:\(try #require(client.port))") }
    }
}

@Suite struct RelyingPartyTests {
    static let issuer = "https://sso.example.gov.vn"
    static let key = try! SigningKey.generate(.rs256)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func relyingParty(_ base: String, list: RevocationList = RevocationList()) -> RelyingParty {
        let keys = VerificationKeySet([Self.key.verificationKey])
        return RelyingParty(
            configuration: RelyingPartyConfiguration(
                clientID: "notices", clientSecret: "notices-secret", redirectURI: "http://127.0.0.1/callback",
                postLogoutRedirectURI: "http://127.0.0.1/", cookieKey: Array(repeating: 7, count: 32)),
            issuer: Self.issuer, authorizationEndpoint: Self.issuer + "/authorize", tokenEndpoint: base + "/token",
            endSessionEndpoint: Self.issuer + "/logout", httpClient: .shared, keys: { _ in keys }, revocations: list)
    }

    func idToken(nonce: String, aud: String = "notices", iss: String = issuer, sid: String = "sid-1") throws -> String {
        var claims = JWTClaims(issuer: iss, subject: "user-1", audience: .single(aud), expiresAt: now + 300, issuedAt: now)
        claims.additional = ["nonce": .string(nonce), "sid": .string(sid), "unit": "/ha-noi", "roles": ["clerk@/ha-noi"], "name": "Nguyễn Văn An"]
        return try JWTSigner(key: Self.key).sign(claims)
    }

    /// Starts a login and returns the authorization request's parameters and the cookie header.
    func start(_ rp: RelyingParty, endpoint: FakeTokenEndpoint, returnTo: String = "/notices") throws -> ([String: String], String) {
        let redirect = rp.startLogin(returnTo: returnTo, now: now)
        let query = try #require(redirect.location.split(separator: "?", maxSplits: 1).last)
        let parameters = Dictionary(FormEncoding.decode(query), uniquingKeysWith: { a, _ in a })
        endpoint.state.withLock { $0.challenge = parameters["code_challenge"]; $0.nonce = parameters["nonce"] ?? "" }
        let cookie = try #require(redirect.setCookies.first?.split(separator: ";").first).description
        return (parameters, cookie)
    }

    @Test func theAuthorizationRequestCarriesPKCEStateAndNonce() throws {
        let rp = relyingParty("http://127.0.0.1:9")
        let redirect = rp.startLogin(returnTo: "/notices", now: now)
        #expect(redirect.location.hasPrefix(Self.issuer + "/authorize?response_type=code&client_id=notices&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback"))
        for parameter in ["scope=openid+profile", "code_challenge_method=S256", "state=", "nonce=", "code_challenge="] {
            #expect(redirect.location.contains(parameter), "\(parameter)")
        }
        let cookie = try #require(redirect.setCookies.first)
        #expect(cookie.hasPrefix("gatehouse_session_login=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
        let other = rp.startLogin(returnTo: "/notices", now: now)
        #expect(other.location != redirect.location, "state, nonce and verifier are fresh for every login")
    }

    @Test func aCompletedLoginOpensASessionThatTheCookieCarries() async throws {
        let endpoint = FakeTokenEndpoint()
        endpoint.state.withLock { $0.idToken = { nonce in try self.idToken(nonce: nonce) } }
        try await endpoint.listen { base in
            let list = RevocationList()
            let rp = relyingParty(base, list: list)
            let (parameters, cookie) = try start(rp, endpoint: endpoint)
            let login = try await rp.finishLogin(query: "code=good-code&state=\(parameters["state"]!)&iss=\(FormEncoding.encode(Self.issuer))",
                                                 cookieHeader: cookie, now: now)
            #expect(login.returnTo == "/notices")
            #expect(login.session.identity.subject == "user-1" && login.session.identity.sessionID == "sid-1")
            #expect(login.session.identity.hasRole("clerk", at: "/ha-noi/phuong-ba-dinh"))
            #expect(login.setCookies.count == 2 && login.setCookies[1].contains("Max-Age=0"), "the login cookie is removed")
            let session = try #require(login.setCookies[0].split(separator: ";").first).description
            #expect(rp.session(cookieHeader: "other=1; " + session, now: now + 60)?.identity.subject == "user-1")
            #expect(rp.session(cookieHeader: session, now: now + 9 * 3600) == nil, "past the session lifetime")
            // An altered cookie is refused.
            var tampered = Array(session.utf8)
            tampered[tampered.count / 2] = tampered[tampered.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            #expect(rp.session(cookieHeader: String(decoding: tampered, as: UTF8.self), now: now + 60) == nil)
            // The session ends when Gatehouse reports its sid revoked.
            list.add(Revocation(kind: .session, value: "sid-1", time: now + 100, expires: now + 3600))
            #expect(rp.session(cookieHeader: session, now: now + 120) == nil)
        }
    }

    @Test func loginResponsesThatDoNotBelongToThisLoginAreRefused() async throws {
        let endpoint = FakeTokenEndpoint()
        endpoint.state.withLock { $0.idToken = { nonce in try self.idToken(nonce: nonce) } }
        try await endpoint.listen { base in
            let rp = relyingParty(base)
            let (parameters, cookie) = try start(rp, endpoint: endpoint)
            let state = parameters["state"]!, iss = FormEncoding.encode(Self.issuer)
            func expect(_ code: RelyingPartyError.Code, query: String, cookie: String?, at time: Date? = nil) async {
                do {
                    _ = try await rp.finishLogin(query: query, cookieHeader: cookie, now: time ?? now)
                    Issue.record("\(query) was accepted")
                } catch {
                    #expect(error.code == code, "\(query): \(error)")
                }
            }
            await expect(.stateMismatch, query: "code=good-code&state=forged&iss=\(iss)", cookie: cookie)
            await expect(.stateMismatch, query: "code=good-code&iss=\(iss)", cookie: cookie)
            await expect(.loginExpired, query: "code=good-code&state=\(state)&iss=\(iss)", cookie: nil)
            await expect(.loginExpired, query: "code=good-code&state=\(state)&iss=\(iss)", cookie: cookie, at: now + 3600)
            await expect(.issuerMismatch, query: "code=good-code&state=\(state)", cookie: cookie)
            await expect(.issuerMismatch, query: "code=good-code&state=\(state)&iss=https%3A%2F%2Fevil.example", cookie: cookie)
            await expect(.authorizationFailed, query: "error=access_denied&state=\(state)&iss=\(iss)", cookie: cookie)
            await expect(.authorizationFailed, query: "code=stolen-code&state=\(state)&iss=\(iss)", cookie: cookie)
            // Another browser's login cookie does not fit this state.
            let (_, otherCookie) = try start(rp, endpoint: endpoint)
            await expect(.stateMismatch, query: "code=good-code&state=\(state)&iss=\(iss)", cookie: otherCookie)
        }
    }

    @Test func idTokensThatAreNotForThisLoginAreRefused() async throws {
        let cases: [(String, @Sendable (RelyingPartyTests, String) throws -> String)] = [
            ("another nonce", { t, _ in try t.idToken(nonce: "replayed") }),
            ("another audience", { t, n in try t.idToken(nonce: n, aud: "payroll") }),
            ("another issuer", { t, n in try t.idToken(nonce: n, iss: "https://evil.example") }),
            ("signed by another key", { t, n in
                var claims = JWTClaims(issuer: Self.issuer, subject: "u", audience: .single("notices"), expiresAt: t.now + 300, issuedAt: t.now)
                claims.additional["nonce"] = .string(n)
                return try JWTSigner(key: try SigningKey.generate(.rs256)).sign(claims)
            }),
        ]
        for (name, make) in cases {
            let endpoint = FakeTokenEndpoint()
            endpoint.state.withLock { $0.idToken = { nonce in try make(self, nonce) } }
            try await endpoint.listen { base in
                let rp = relyingParty(base)
                let (parameters, cookie) = try start(rp, endpoint: endpoint)
                do throws(RelyingPartyError) {
                    _ = try await rp.finishLogin(query: "code=good-code&state=\(parameters["state"]!)&iss=\(FormEncoding.encode(Self.issuer))",
                                                 cookieHeader: cookie, now: now)
                    Issue.record("\(name) was accepted")
                } catch {
                    #expect(error.code == .invalidIDToken, "\(name): \(error)")
                }
            }
        }
    }

    @Test func logoutClearsTheCookieAndEndsTheSSOSessionWithAHint() async throws {
        let endpoint = FakeTokenEndpoint()
        endpoint.state.withLock { $0.idToken = { nonce in try self.idToken(nonce: nonce) } }
        try await endpoint.listen { base in
            let rp = relyingParty(base)
            let (parameters, cookie) = try start(rp, endpoint: endpoint)
            let login = try await rp.finishLogin(query: "code=good-code&state=\(parameters["state"]!)&iss=\(FormEncoding.encode(Self.issuer))",
                                                 cookieHeader: cookie, now: now)
            let session = try #require(login.setCookies[0].split(separator: ";").first).description
            let logout = rp.logout(cookieHeader: session)
            #expect(logout.location.hasPrefix(Self.issuer + "/logout?id_token_hint=" + login.session.idToken))
            #expect(logout.location.contains("post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%2F"))
            #expect(logout.setCookies == ["gatehouse_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"])
            #expect(rp.logout(cookieHeader: nil).location == "http://127.0.0.1/")
        }
    }

    @Test func returnToIsAlwaysALocalPath() {
        #expect(RelyingParty.localPath("/notices?x=1") == "/notices?x=1")
        for hostile in ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "", "/a\nb"] {
            #expect(RelyingParty.localPath(hostile) == "/", "\(hostile)")
        }
    }
}

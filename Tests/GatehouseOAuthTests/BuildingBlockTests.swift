import Foundation
import GatehouseCrypto
import GatehouseJOSE
import GatehouseOAuth
import Testing

@Suite("Building blocks")
struct BuildingBlockTests {
    @Test("client secrets: 256 bits, keyed hash, constant-time verification")
    func clientSecrets() {
        let pepper = ClientSecrets.generatePepper()
        let secret = ClientSecrets.generate()
        #expect(Base64URL.decode(secret)?.count == 32)
        #expect(ClientSecrets.generate() != secret)
        let hash = ClientSecrets.hash(secret: secret, pepper: pepper)
        #expect(hash.hasPrefix("hmac-sha256:") && !hash.contains(secret))
        #expect(hash == "hmac-sha256:" + Base64URL.encode(Digest.hmacSHA256(key: pepper, message: Array(secret.utf8))))
        #expect(ClientSecrets.verify(secret, hash: hash, pepper: pepper))
        #expect(!ClientSecrets.verify(secret + "x", hash: hash, pepper: pepper))
        #expect(!ClientSecrets.verify(secret, hash: hash, pepper: ClientSecrets.generatePepper()), "the pepper keys the hash")
        #expect(!ClientSecrets.verify(secret, hash: nil, pepper: pepper))
    }

    @Test("form parameters: decoding, repeated names refused (RFC 6749 §3.1)")
    func form() throws {
        let parsed = try FormParameters.parse("grant_type=authorization_code&redirect_uri=https%3A%2F%2Fa.example%2Fcb&scope=openid+profile&empty=")
        #expect(parsed == ["grant_type": "authorization_code", "redirect_uri": "https://a.example/cb", "scope": "openid profile", "empty": ""])
        #expect(throws: OAuthError(.invalidRequest)) { try FormParameters.parse("code=a&code=b") }
        #expect(throws: OAuthError(.invalidRequest)) { try FormParameters.parse("code=%zz") }
        #expect(throws: OAuthError(.invalidRequest)) { try FormParameters.collect([("state", "1"), ("state", "2")]) }
        #expect(FormParameters.encode([("a b", "ü/&=")]) == "a%20b=%C3%BC%2F%26%3D")
    }

    @Test("error responses: status, no-store, description limited to the RFC 6749 character set")
    func errors() {
        let error = OAuthError(.invalidGrant, "Quoted \"text\" with a \\ and ü", debug: "code 1234")
        #expect(error.description == "Quoted ?text? with a ? and ?")
        #expect(error.debugDescription == "invalid_grant: Quoted ?text? with a ? and ? (code 1234)")
        let response = error.httpResponse(realm: "https://sso.example.gov.vn")
        #expect(response.status == 400 && response.headers["Cache-Control"] == "no-store")
        #expect(response.jsonObject == ["error": "invalid_grant", "error_description": "Quoted ?text? with a ? and ?"])
        #expect(!String(decoding: response.body, as: UTF8.self).contains("1234"), "debug detail stays in the logs")
        #expect(OAuthError(.serverError).httpResponse(realm: "r").status == 500)
        #expect(OAuthError(.temporarilyUnavailable).httpResponse(realm: "r").status == 503)
        let bare = OAuthError(.invalidRequest, challenge: .bearer(includeError: false)).httpResponse(realm: "r")
        #expect(bare.status == 401 && bare.headers["WWW-Authenticate"] == "Bearer realm=\"r\"" && bare.body.isEmpty)
    }

    @Test("UserInfo without a token or with a malformed one")
    func userInfoChallenges() async throws {
        try await Harness.with { h in
            let none = await h.engine.userInfo(authorization: nil)
            #expect(none.status == 401 && none.headers["WWW-Authenticate"] == "Bearer realm=\"https://sso.example.gov.vn\"")
            let basic = await h.engine.userInfo(authorization: Harness.basic("a", "b"))
            #expect(basic.status == 401)
            let garbage = await h.engine.userInfo(authorization: "Bearer abc.def.ghi")
            #expect(garbage.status == 401 && garbage.errorCode == "invalid_token")
            // An ID token is not an access token (typ).
            let (json, _) = try await h.tokens()
            let id = await h.engine.userInfo(authorization: "Bearer \(json["id_token"]!.stringValue!)")
            #expect(id.errorCode == "invalid_token")
            let (plain, _) = try await h.tokens(scope: "documents.read")
            let noOpenID = await h.engine.userInfo(authorization: "Bearer \(plain["access_token"]!.stringValue!)")
            #expect(noOpenID.status == 403 && noOpenID.errorCode == "insufficient_scope")
        }
    }

    @Test("purging keeps what replay detection still needs")
    func purge() async throws {
        try await Harness.with { h in
            let cookie = try await h.login()
            let (code, verifier) = try await h.code(cookie: cookie)
            #expect(try await h.redeem(code, verifier: verifier).status == 200)
            h.clock.advance(by: 3600)
            #expect(try await h.engine.purgeExpired().authorizationCodes == 0, "a consumed code is kept to recognise replays")
            h.clock.advance(by: 12 * 3600)
            let purged = try await h.engine.purgeExpired()
            #expect(purged.authorizationCodes == 1 && purged.sessions == 1)
        }
    }
}

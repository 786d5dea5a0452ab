import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseJOSE
import GatehouseOAuth
import Testing

/// The authorization code flow end to end, without HTTP: authorize → code → tokens →
/// UserInfo → refresh → introspection → revocation.
@Suite("Code flow")
struct CodeFlowTests {
    @Test("authorize, redeem, verify every claim, userinfo, refresh, introspect, revoke")
    func endToEnd() async throws {
        try await Harness.with { h in
            let cookie = try await h.login(amr: ["pwd", "otp"])
            let (verifier, challenge) = Harness.pkce()

            // Authorization endpoint: success redirect with code, state and iss (RFC 9207).
            let redirect = try await h.authorizeRedirect(Harness.authorizeParameters(challenge: challenge), cookie: cookie)
            #expect(redirect.redirectURI == Harness.portalRedirect)
            #expect(redirect["state"] == "af0ifjsldkj")
            #expect(redirect["iss"] == Harness.issuer)
            let code = try #require(redirect["code"])
            #expect(Base64URL.decode(code)?.count == 32, "256-bit code")
            #expect(redirect.location.hasPrefix(Harness.portalRedirect + "?code="))
            let stored = try await h.store.read { try $0.authorizationCode(hash: Digest.sha256(code).hexString) }
            #expect(stored.clientID == Harness.Clients.portal && stored.codeChallenge == challenge && stored.nonce == "n-0S6_WzA2Mj")
            #expect(stored.expiresAt == h.clock.now() + 60)
            #expect(try await h.session(cookie).clients == [Harness.Clients.portal], "client recorded for back-channel logout")

            // Token endpoint.
            h.clock.advance(by: 2)
            let response = try await h.redeem(code, verifier: verifier)
            #expect(response.status == 200)
            #expect(response.headers["Cache-Control"] == "no-store")
            #expect(response.headers["Pragma"] == "no-cache")
            let json = try #require(response.jsonObject)
            #expect(json["token_type"] == "Bearer")
            #expect(json["expires_in"] == 300)
            #expect(json["scope"] == "openid profile email")
            let accessToken = try #require(json["access_token"]?.stringValue)
            let idToken = try #require(json["id_token"]?.stringValue)
            let refreshToken = try #require(json["refresh_token"]?.stringValue)

            // Access token: RFC 9068, verified against the published JWKS.
            let sid = SessionCookie.idHash(of: cookie)
            let sub = h.official.id.uuidString.lowercased()
            let now = h.clock.now()
            let access = try h.verify(accessToken, type: "at+jwt", audience: Harness.Clients.portal)
            #expect(access.header.algorithm == .es256)
            #expect(access.header.type == "at+jwt")
            let a = access.claims
            #expect(a.issuer == Harness.issuer && a.subject == sub)
            #expect(a.audience == .single(Harness.Clients.portal))
            #expect(a.issuedAt == now && a.expiresAt == now + 300)
            #expect((a.jwtID?.count ?? 0) >= 16)
            #expect(a["client_id"] == "portal" && a["scope"] == "openid profile email" && a["sid"] == .string(sid))
            #expect(a["auth_time"] == .integer(Int64(now.timeIntervalSince1970) - 2))
            #expect(a["acr"] == "urn:gatehouse:loa:pwd" && a["amr"] == ["pwd", "otp"])
            #expect(a["unit"] == "/ha-noi/phuong-ba-dinh")
            #expect(a["roles"] == ["auditor@/ha-noi", "clerk@/ha-noi/phuong-ba-dinh"], "retired-role is in no catalogue")

            // ID token: OIDC Core §2 and §3.1.3.6, at_hash computed here.
            let id = try h.verify(idToken, type: "JWT", audience: Harness.Clients.portal)
            #expect(id.header.algorithm == .rs256)
            let i = id.claims
            #expect(i.issuer == Harness.issuer && i.subject == sub && i.audience == .single("portal"))
            #expect(i.issuedAt == now && i.expiresAt == now + 300)
            #expect(i["auth_time"] == a["auth_time"] && i["nonce"] == "n-0S6_WzA2Mj" && i["sid"] == .string(sid))
            #expect(i["acr"] == "urn:gatehouse:loa:pwd" && i["amr"] == ["pwd", "otp"])
            let hash = Digest.sha256(Array(accessToken.utf8))
            #expect(i["at_hash"] == .string(Base64URL.encode(hash[0..<16])))
            #expect(i["name"] == "Nguyễn Văn A" && i["preferred_username"] == "nguyen.van.a" && i["email"] == "nguyen.van.a@example.gov.vn")
            #expect(i["unit"] == "/ha-noi/phuong-ba-dinh" && i["roles"] == a["roles"])
            #expect(i["azp"] == nil && i["client_id"] == nil)

            // UserInfo.
            let info = await h.engine.userInfo(authorization: "Bearer \(accessToken)")
            #expect(info.status == 200)
            let claims = try #require(info.jsonObject)
            #expect(claims["sub"] == .string(sub) && claims["name"] == "Nguyễn Văn A" && claims["email"] == "nguyen.van.a@example.gov.vn")
            #expect(claims["unit"] == "/ha-noi/phuong-ba-dinh" && claims["roles"] == a["roles"])

            // Refresh: rotation.
            h.clock.advance(by: 60)
            let refreshed = try await h.refresh(refreshToken)
            #expect(refreshed.status == 200)
            let next = try #require(refreshed.string("refresh_token"))
            #expect(next != refreshToken)
            #expect(next.hasPrefix(String(refreshToken.prefix(37))), "same family")
            let family = try await h.store.read { try $0.refreshFamily(id: UUID(uuidString: String(refreshToken.prefix(36)))!) }
            #expect(family.generation == 1 && family.revokedAt == nil)
            let newID = try h.verify(try #require(refreshed.string("id_token")), type: "JWT", audience: "portal").claims
            #expect(newID["nonce"] == nil && newID["auth_time"] == a["auth_time"])

            // Introspection by the client itself.
            let introspectAccess = await h.engine.introspect(try h.tokenRequest(["token": accessToken]))
            #expect(introspectAccess.status == 200)
            let ia = try #require(introspectAccess.jsonObject)
            #expect(ia["active"] == true && ia["client_id"] == "portal" && ia["sub"] == .string(sub) && ia["username"] == "nguyen.van.a")
            #expect(ia["scope"] == "openid profile email" && ia["token_type"] == "Bearer" && ia["iss"] == .string(Harness.issuer))
            let introspectRefresh = try #require(await h.engine.introspect(try h.tokenRequest(["token": next])).jsonObject)
            #expect(introspectRefresh["active"] == true && introspectRefresh["client_id"] == "portal")
            let stale = try #require(await h.engine.introspect(try h.tokenRequest(["token": refreshToken])).jsonObject)
            #expect(stale == ["active": false], "a rotated-out token is inactive and says nothing more")

            // Revocation of the refresh token revokes the family.
            let revoked = await h.engine.revoke(try h.tokenRequest(["token": next, "token_type_hint": "refresh_token"]))
            #expect(revoked.status == 200 && revoked.body.isEmpty)
            #expect(try #require(await h.engine.introspect(try h.tokenRequest(["token": next])).jsonObject) == ["active": false])
            #expect(try await h.refresh(next).errorCode == "invalid_grant")

            // Revocation of the access token (by jti).
            #expect(await h.engine.revoke(try h.tokenRequest(["token": accessToken])).status == 200)
            let afterRevoke = await h.engine.userInfo(authorization: "Bearer \(accessToken)")
            #expect(afterRevoke.status == 401)
            #expect(afterRevoke.headers["WWW-Authenticate"]?.hasPrefix("Bearer realm=\"https://sso.example.gov.vn\", error=\"invalid_token\"") == true)
            #expect(try #require(await h.engine.introspect(try h.tokenRequest(["token": accessToken])).jsonObject) == ["active": false])

            // The audit trail, each event in the transaction of its change.
            let actions = try await h.auditEvents().map(\.record.action)
            #expect(actions == ["oauth.code.issue", "oauth.token.issue", "oauth.token.issue", "oauth.token.revoke", "oauth.token.revoke"])
            let issue = try #require(try await h.auditEvents().first { $0.record.action == "oauth.token.issue" }).record
            #expect(issue.actor == sub && issue.clientID == "portal" && issue.sourceIP == "10.1.2.3" && issue.result == .success)
            #expect(issue.unit?.description == "/ha-noi/phuong-ba-dinh" && issue.detail["grant_type"] == "authorization_code")
            #expect(issue.detail.values.allSatisfy { !$0.contains(accessToken) && !$0.contains(refreshToken) && !$0.contains(code) })
        }
    }

    @Test("a public client redeems with PKCE and refreshes without a secret")
    func publicClient() async throws {
        try await Harness.with { h in
            let (json, _) = try await h.tokens(client: Harness.Clients.spa)
            let refresh = try #require(json["refresh_token"]?.stringValue)
            let refreshed = try await h.refresh(refresh, client: Harness.Clients.spa)
            #expect(refreshed.status == 200)
        }
    }

    @Test("client_secret_post and private_key_jwt authenticate their clients")
    func otherAuthMethods() async throws {
        try await Harness.with { h in
            let (post, _) = try await h.tokens(client: Harness.Clients.post)
            #expect(post["refresh_token"] == nil, "the client is not registered for refresh_token")
            let (jwt, _) = try await h.tokens(client: Harness.Clients.jwt)
            #expect(jwt["refresh_token"] != nil)
            let events = try await h.auditEvents().filter { $0.record.action == "oauth.client.authentication" }
            #expect(events.isEmpty)
        }
    }

    @Test("a scope without openid gets no ID token; refresh may narrow the scope, never widen it")
    func scopes() async throws {
        try await Harness.with { h in
            let (plain, _) = try await h.tokens(scope: "documents.read")
            #expect(plain["id_token"] == nil && plain["scope"] == "documents.read")

            let (json, _) = try await h.tokens(scope: "openid profile")
            let refresh = try #require(json["refresh_token"]?.stringValue)
            let wider = try await h.refresh(refresh, scope: "openid profile email")
            #expect(wider.errorCode == "invalid_scope")
            let narrower = try await h.refresh(refresh, scope: "openid")
            #expect(narrower.status == 200 && narrower.string("scope") == "openid")
            let family = try await h.store.read { try $0.refreshFamily(id: UUID(uuidString: String(refresh.prefix(36)))!) }
            #expect(family.scope == "openid profile", "the family keeps the original scope (RFC 6749 §6)")
        }
    }

    @Test("EdDSA ID tokens carry at_hash over SHA-512")
    func edDSAIDToken() async throws {
        try await Harness.with { h in
            _ = try h.keys.generate(.edDSA, now: h.clock.now())
            let (json, _) = try await h.tokens(client: Harness.Clients.edwards)
            let accessToken = try #require(json["access_token"]?.stringValue)
            let id = try h.verify(try #require(json["id_token"]?.stringValue), type: "JWT", audience: Harness.Clients.edwards)
            #expect(id.header.algorithm == .edDSA)
            let hash = Digest.hash(.sha512, Array(accessToken.utf8))
            #expect(id.claims["at_hash"] == .string(Base64URL.encode(hash[0..<32])))
        }
    }

    @Test("client_credentials: sub is the client, no refresh token, no ID token")
    func clientCredentials() async throws {
        try await Harness.with { h in
            let response = await h.engine.token(try h.tokenRequest(["grant_type": "client_credentials"], client: Harness.Clients.service))
            #expect(response.status == 200)
            let json = try #require(response.jsonObject)
            #expect(json["refresh_token"] == nil && json["id_token"] == nil && json["scope"] == "documents.read")
            let token = try h.verify(try #require(json["access_token"]?.stringValue), type: "at+jwt", audience: Harness.Clients.service)
            #expect(token.claims.subject == "service" && token.claims["client_id"] == "service")
            #expect(token.claims["sid"] == nil && token.claims["roles"] == nil)
            let introspected = try #require(await h.engine.introspect(try h.tokenRequest(["token": json["access_token"]!.stringValue!], client: Harness.Clients.service)).jsonObject)
            #expect(introspected["active"] == true && introspected["sub"] == "service")
            // UserInfo is for users.
            #expect(await h.engine.userInfo(authorization: "Bearer \(json["access_token"]!.stringValue!)").status == 403)

            let openid = await h.engine.token(try h.tokenRequest(["grant_type": "client_credentials", "scope": "openid"], client: Harness.Clients.service))
            #expect(openid.errorCode == "invalid_scope")
            let jwtClient = await h.engine.token(try h.tokenRequest(["grant_type": "client_credentials"], client: Harness.Clients.jwt))
            #expect(jwtClient.status == 200)
            let portal = await h.engine.token(try h.tokenRequest(["grant_type": "client_credentials"]))
            #expect(portal.errorCode == "unauthorized_client")
            let audit = try await h.auditEvents().first { $0.record.action == "oauth.token.issue" }
            #expect(audit?.record.actor == "client:service")
        }
    }

    @Test("roles are shown only to the clients their role allows")
    func roleVisibility() async throws {
        try await Harness.with { h in
            let (json, _) = try await h.tokens(client: Harness.Clients.mail)
            let token = try h.verify(try #require(json["access_token"]?.stringValue), type: "at+jwt", audience: Harness.Clients.mail)
            #expect(token.claims["roles"] == ["clerk@/ha-noi/phuong-ba-dinh"])
        }
    }
}

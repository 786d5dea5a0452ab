import Foundation
import GatehouseCore
import GatehouseJOSE
import GatehouseOAuth
import GatehouseStore
import Testing

/// The revocation feed: what each revocation announces, the `gid` claim it relies on, the
/// endpoint's cursor, paging and authentication, and pruning.
@Suite("Revocation feed")
struct RevocationFeedTests {
    /// One page of the feed, read as `client`.
    func feed(_ h: Harness, after: String? = nil, limit: String? = nil, client: String = Harness.Clients.portal) async throws -> OAuthHTTPResponse {
        var form: [String: String] = [:]
        if let after { form["after"] = after }
        if let limit { form["limit"] = limit }
        return await h.engine.revocationFeed(try h.tokenRequest(form, client: client))
    }

    /// The feed's events (everything after 0), failing the test unless the page is a 200.
    func events(_ h: Harness, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [[String: JSONValue]] {
        let response = try await feed(h)
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))", sourceLocation: sourceLocation)
        let page = try #require(response.jsonObject, sourceLocation: sourceLocation)
        guard case .array(let items)? = page["events"] else { Issue.record("no events in \(page)", sourceLocation: sourceLocation); return [] }
        return items.compactMap(\.objectValue)
    }

    func seconds(_ date: Date) -> JSONValue { .integer(Int64(date.timeIntervalSince1970.rounded(.down))) }

    func claims(_ h: Harness, _ json: [String: JSONValue], client: String = Harness.Clients.portal) throws -> JWTClaims {
        try h.verify(try #require(json["access_token"]?.stringValue), type: "at+jwt", audience: client).claims
    }

    @Test("discovery advertises the feed (an RFC 8414 extension member)")
    func discovery() async throws {
        try await Harness.with { h in
            #expect(h.engine.discoveryDocument()["gatehouse_revocation_feed_endpoint"] == "https://sso.example.gov.vn/revocations")
        }
    }

    @Test("logout announces the session's sid, kept until the session's absolute expiry plus skew")
    func logoutAnnouncesSid() async throws {
        try await Harness.with { h in
            let (json, cookie) = try await h.tokens()
            let access = try claims(h, json)
            let session = try await h.session(cookie)
            #expect(try await events(h).isEmpty, "issuing tokens announces nothing")
            h.clock.advance(by: 30)
            _ = try await h.engine.endSession(sessionCookie: cookie)
            let announced = try await events(h)
            #expect(announced == [[
                "seq": 1, "kind": "sid", "value": .string(session.idHash), "time": seconds(h.clock.now()),
                "expires": seconds(session.expiresAt + 60),
            ]])
            #expect(announced.first?["value"] == access["sid"], "the value is what the access token carries in sid")
            _ = try await h.engine.endSession(sessionCookie: cookie)
            #expect(try await events(h).count == 1, "ending it again announces nothing")
        }
    }

    @Test("refresh-token reuse announces the family (gid) and the session (sid)")
    func reuseAnnouncesGidAndSid() async throws {
        try await Harness.with { h in
            let (json, cookie) = try await h.tokens()
            let grant = try #require(try claims(h, json)["gid"])
            let first = try #require(json["refresh_token"]?.stringValue)
            let rotated = try await h.refresh(first)
            #expect(try claims(h, try #require(rotated.jsonObject))["gid"] == grant, "rotation keeps the family, so the gid")
            #expect(try await events(h).isEmpty, "a rotation revokes nothing")
            h.clock.advance(by: 5)
            #expect(try await h.refresh(first).errorCode == "invalid_grant")
            let now = h.clock.now()
            let announced = try await events(h)
            #expect(announced.map { $0["kind"] } == ["sid", "gid"])
            #expect(announced.map { $0["seq"] } == [1, 2])
            #expect(announced[0]["value"] == .string(SessionCookie.idHash(of: cookie)))
            #expect(announced[1]["value"] == grant && announced[1]["time"] == seconds(now))
            #expect(announced[1]["expires"] == seconds(now + 300 + 60), "a gid is kept for an access-token lifetime plus skew")
        }
    }

    @Test("a replayed authorization code announces what it revokes")
    func codeReplayAnnounces() async throws {
        try await Harness.with { h in
            let cookie = try await h.login()
            let (code, verifier) = try await h.code(cookie: cookie)
            let first = try #require(try await h.redeem(code, verifier: verifier).jsonObject)
            let grant = try #require(try claims(h, first)["gid"])
            #expect(try await h.redeem(code, verifier: verifier).errorCode == "invalid_grant")
            let announced = try await events(h)
            #expect(announced.map { $0["kind"] } == ["gid", "sid"])
            #expect(announced.map { $0["value"] } == [grant, .string(SessionCookie.idHash(of: cookie))])
        }
    }

    @Test("RFC 7009: an access token announces its jti, a refresh token its family; repeats announce nothing")
    func revocationAnnounces() async throws {
        try await Harness.with { h in
            let (json, _) = try await h.tokens()
            let accessToken = try #require(json["access_token"]?.stringValue)
            let refresh = try #require(json["refresh_token"]?.stringValue)
            let access = try claims(h, json)
            #expect(await h.engine.revoke(try h.tokenRequest(["token": accessToken])).status == 200)
            #expect(await h.engine.revoke(try h.tokenRequest(["token": accessToken])).status == 200)
            var announced = try await events(h)
            #expect(announced == [[
                "seq": 1, "kind": "jti", "value": .string(try #require(access.jwtID)), "time": seconds(h.clock.now()),
                "expires": seconds(try #require(access.expiresAt) + 60),
            ]])

            h.clock.advance(by: 10)
            #expect(await h.engine.revoke(try h.tokenRequest(["token": refresh])).status == 200)
            announced = try await events(h)
            #expect(announced.count == 2)
            #expect(announced.last?["kind"] == "gid" && announced.last?["value"] == access["gid"])
        }
    }

    @Test("revoking the refresh token refuses the access tokens of its family (RFC 7009 §2.1)")
    func refreshRevocationEndsItsAccessTokens() async throws {
        try await Harness.with { h in
            let (json, _) = try await h.tokens()
            let accessToken = try #require(json["access_token"]?.stringValue)
            let introspect = { try #require(await h.engine.introspect(try h.tokenRequest(["token": accessToken])).jsonObject) }
            #expect(try await introspect()["active"] == true)
            #expect(await h.engine.revoke(try h.tokenRequest(["token": try #require(json["refresh_token"]?.stringValue)])).status == 200)
            #expect(try await introspect() == ["active": false])
            #expect(await h.engine.userInfo(authorization: "Bearer \(accessToken)").status == 401)
        }
    }

    @Test("another client's token is left alone and announces nothing")
    func otherClientsTokenAnnouncesNothing() async throws {
        try await Harness.with { h in
            let (json, _) = try await h.tokens()
            for name in ["access_token", "refresh_token"] {
                let token = try #require(json[name]?.stringValue)
                #expect(await h.engine.revoke(try h.tokenRequest(["token": token], client: Harness.Clients.mail)).status == 200)
            }
            #expect(try await events(h).isEmpty)
        }
    }

    @Test("disabling an account revokes everything, announces its sub and queues back-channel logouts")
    func disableAnnouncesSub() async throws {
        try await Harness.with { h in
            let (json, cookie) = try await h.tokens()
            let accessToken = try #require(json["access_token"]?.stringValue)
            h.clock.advance(by: 20)
            let result = try await h.engine.disableAccount(username: h.official.username, actor: "cli", sourceIP: "10.9.9.9")
            let now = h.clock.now()
            let subject = h.official.id.uuidString.lowercased()
            #expect(result.account.status == .disabled)
            #expect(result.sessionsEnded.map(\.idHash) == [SessionCookie.idHash(of: cookie)])
            let gid = try #require(try claims(h, json)["gid"]?.stringValue)
            #expect(result.refreshFamiliesRevoked.map { $0.uuidString.lowercased() } == [gid])
            #expect(result.backchannel.map(\.clientID) == ["portal"])
            let logout = try h.verify(try #require(result.backchannel.first).logoutToken, type: "logout+jwt", audience: "portal").claims
            #expect(logout.subject == subject && logout["sid"] == .string(SessionCookie.idHash(of: cookie)))

            // The longest of the session (12 h, from the refresh lifetime), refresh and access lifetimes, plus skew.
            #expect(try await events(h) == [[
                "seq": 1, "kind": "sub", "value": .string(subject), "time": seconds(now), "expires": seconds(now + 12 * 3600 + 60),
            ]])
            let audit = try #require(try await h.auditEvents().last).record
            #expect(audit.action == "account.disable" && audit.actor == "cli" && audit.sourceIP == "10.9.9.9")
            #expect(audit.detail == ["username": "nguyen.van.a", "sessions_ended": "1", "refresh_families_revoked": "1"])
            #expect(await h.engine.userInfo(authorization: "Bearer \(accessToken)").status == 401)
            #expect(try await h.refresh(try #require(json["refresh_token"]?.stringValue)).errorCode == "invalid_grant")
            await #expect(throws: StoreError.self) { try await h.engine.disableAccount(username: try Username("no.such.user"), actor: "cli") }
        }
    }

    @Test("gid: on tokens issued with a refresh token, absent from client_credentials and code-only clients")
    func gidClaim() async throws {
        try await Harness.with { h in
            let (json, _) = try await h.tokens()
            let gid = try #require(try claims(h, json)["gid"]?.stringValue)
            #expect(UUID(uuidString: gid) != nil && gid == gid.lowercased(), "a lowercase family UUID")
            let accessToken = try #require(json["access_token"]?.stringValue)
            let introspected = try #require(await h.engine.introspect(try h.tokenRequest(["token": accessToken])).jsonObject)
            #expect(introspected["active"] == true)

            let service = try #require(await h.engine.token(try h.tokenRequest(["grant_type": "client_credentials"], client: Harness.Clients.service)).jsonObject)
            #expect(try claims(h, service, client: Harness.Clients.service)["gid"] == nil)
            let (codeOnly, _) = try await h.tokens(client: Harness.Clients.post)
            #expect(codeOnly["refresh_token"] == nil)
            #expect(try claims(h, codeOnly, client: Harness.Clients.post)["gid"] == nil)
        }
    }

    @Test("paging: after and limit, with next, latest and oldest")
    func paging() async throws {
        try await Harness.with { h in
            var page = try #require(try await feed(h).jsonObject)
            #expect(page == ["events": [], "next": 0, "latest": 0, "oldest": 0], "an empty feed")
            let now = h.clock.now()
            try await h.store.write { tx in
                for i in 1...5 { try tx.appendRevocation(kind: .token, value: "jti-\(i)", time: now, expires: now + 600) }
            }
            let response = try await feed(h, after: "0", limit: "2")
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"]?.hasPrefix("application/json") == true)
            #expect(response.headers["Cache-Control"] == "no-store")
            page = try #require(response.jsonObject)
            #expect(page["events"]?.arrayValue?.map { $0.objectValue?["value"] } == ["jti-1", "jti-2"])
            #expect(page["next"] == 2 && page["latest"] == 5 && page["oldest"] == 1)
            page = try #require(try await feed(h, after: "2", limit: "2").jsonObject)
            #expect(page["events"]?.arrayValue?.map { $0.objectValue?["seq"] } == [3, 4] && page["next"] == 4)
            page = try #require(try await feed(h, after: "4").jsonObject)
            #expect(page["events"]?.arrayValue?.count == 1 && page["next"] == 5)
            page = try #require(try await feed(h, after: "5").jsonObject)
            #expect(page["events"] == [] && page["next"] == 5, "nothing new: the cursor stays")
            page = try #require(try await feed(h, after: "99").jsonObject)
            #expect(page["events"] == [] && page["next"] == 5 && page["latest"] == 5, "a cursor past the end comes back to latest")
            page = try #require(try await feed(h, limit: "1000").jsonObject)
            #expect(page["events"]?.arrayValue?.count == 5, "limit 1000 and the default after")
        }
    }

    @Test("bad after or limit is invalid_request")
    func badParameters() async throws {
        try await Harness.with { h in
            for (after, limit, named) in [
                (nil, "0", "limit"), (nil, "1001", "limit"), (nil, "ten", "limit"), (nil, "-5", "limit"), (nil, "1.5", "limit"),
                ("-1", nil, "after"), ("abc", nil, "after"), ("99999999999999999999", nil, "after"), ("1e3", nil, "after"),
            ] as [(String?, String?, String)] {
                let response = try await feed(h, after: after, limit: limit)
                #expect(response.status == 400 && response.errorCode == "invalid_request", "after=\(after ?? "-") limit=\(limit ?? "-")")
                #expect(response.string("error_description")?.contains(named) == true, "\(response.string("error_description") ?? "")")
            }
            let unauthenticated = await h.engine.revocationFeed(EndpointRequest(parameters: ["limit": "0"]))
            #expect(unauthenticated.errorCode == "invalid_client", "authentication is checked before the parameters")
        }
    }

    @Test("only authenticated confidential clients read the feed, by their registered method")
    func authentication() async throws {
        try await Harness.with { h in
            let publicClient = try await feed(h, client: Harness.Clients.spa)
            #expect(publicClient.errorCode == "invalid_client", "public clients are refused")
            let wrongSecret = await h.engine.revocationFeed(EndpointRequest(parameters: [:], authorization: Harness.basic(Harness.Clients.portal, "wrong")))
            #expect(wrongSecret.status == 401 && wrongSecret.errorCode == "invalid_client")
            #expect(wrongSecret.headers["WWW-Authenticate"]?.hasPrefix("Basic ") == true)
            #expect(await h.engine.revocationFeed(EndpointRequest(parameters: [:])).errorCode == "invalid_client", "no credentials")
            #expect(await h.engine.revocationFeed(EndpointRequest(parameters: ["client_id": Harness.Clients.portal])).errorCode == "invalid_client",
                    "a confidential client without its secret")
            let failures = try await h.auditEvents().filter { $0.record.action == "oauth.client.authentication" }
            #expect(failures.count == 4, "each failure is audited")

            // Every confidential client sees the whole feed, whoever's tokens it names.
            let (json, _) = try await h.tokens(client: Harness.Clients.mail)
            #expect(await h.engine.revoke(try h.tokenRequest(["token": try #require(json["access_token"]?.stringValue)], client: Harness.Clients.mail)).status == 200)
            for client in [Harness.Clients.portal, Harness.Clients.post, Harness.Clients.jwt, Harness.Clients.service] {
                let response = try await feed(h, client: client)
                #expect(response.status == 200, "\(client): \(String(decoding: response.body, as: UTF8.self))")
                #expect(response.jsonObject?["latest"] == 1, "\(client) sees mail's revocation")
            }
        }
    }

    @Test("pruning removes only the events that expired")
    func prune() async throws {
        try await Harness.with { h in
            let (json, _) = try await h.tokens()
            #expect(await h.engine.revoke(try h.tokenRequest(["token": try #require(json["access_token"]?.stringValue)])).status == 200)
            let now = h.clock.now()
            _ = try await h.store.write { try $0.appendRevocation(kind: .subject, value: "long-lived", time: now, expires: now + 3600) }
            h.clock.advance(by: 300 + 60)
            #expect(try await h.engine.purgeExpired().revocationEvents == 0, "the jti is kept until exp plus skew")
            h.clock.advance(by: 1)
            #expect(try await h.engine.purgeExpired().revocationEvents == 1)
            let page = try #require(try await feed(h).jsonObject)
            #expect(page["events"]?.arrayValue?.map { $0.objectValue?["value"] } == ["long-lived"])
            #expect(page["oldest"] == 2 && page["latest"] == 2)
        }
    }
}

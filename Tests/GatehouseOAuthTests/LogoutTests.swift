import Foundation
import GatehouseCore
import GatehouseJOSE
import GatehouseOAuth
import Testing

/// Logout: ending the session, back-channel logout tokens, RP-initiated logout requests.
@Suite("Logout")
struct LogoutTests {
    @Test("ending a session revokes it and its families, and yields a logout token per back-channel client")
    func endSession() async throws {
        try await Harness.with { h in
            let cookie = try await h.login()
            for client in [Harness.Clients.portal, Harness.Clients.mail, Harness.Clients.spa] {
                let (code, verifier) = try await h.code(client: client, cookie: cookie)
                #expect(try await h.redeem(code, verifier: verifier, client: client).status == 200)
            }
            h.clock.advance(by: 10)
            let ended = try await h.engine.endSession(sessionCookie: cookie, sourceIP: "10.1.2.3")
            #expect(ended.session?.revokedAt == h.clock.now())
            #expect(ended.refreshFamiliesRevoked == 3)
            #expect(ended.backchannel.map(\.clientID) == ["mail", "portal"], "spa registered no back-channel URI")
            let portal = try #require(ended.backchannel.first { $0.clientID == "portal" })
            #expect(portal.uri == "https://portal.example.gov.vn/backchannel")

            // OIDC Back-Channel Logout §2.4, checked with GatehouseJOSE.
            let token = try h.verify(portal.logoutToken, type: "logout+jwt", audience: "portal")
            #expect(token.header.type == "logout+jwt" && token.header.algorithm == .rs256)
            let c = token.claims
            #expect(c.issuer == Harness.issuer && c.subject == h.official.id.uuidString.lowercased())
            #expect(c.issuedAt == h.clock.now() && c.expiresAt == h.clock.now() + 120 && c.jwtID != nil)
            #expect(c["sid"] == .string(SessionCookie.idHash(of: cookie)))
            #expect(c["events"] == ["http://schemas.openid.net/event/backchannel-logout": [:]])
            #expect(c["nonce"] == nil)

            let event = try #require(try await h.auditEvents().last).record
            #expect(event.action == "oauth.session.end" && event.detail["refresh_families_revoked"] == "3")

            let again = try await h.engine.endSession(sessionCookie: cookie)
            #expect(again.session == nil && again.backchannel.isEmpty, "ending twice changes nothing")
        }
    }

    @Test("RP-initiated logout: id_token_hint and exact post_logout_redirect_uri")
    func rpInitiated() async throws {
        try await Harness.with { h in
            let (json, _) = try await h.tokens()
            let hint = try #require(json["id_token"]?.stringValue)
            h.clock.advance(by: 3600)
            let validation = await h.engine.validateLogout([
                "id_token_hint": hint, "post_logout_redirect_uri": "https://portal.example.gov.vn/bye", "state": "xyz",
            ])
            guard case .valid(let request) = validation else { Issue.record("\(validation)"); return }
            #expect(request.clientID == "portal" && request.hintSubject == h.official.id.uuidString.lowercased())
            #expect(request.postLogoutRedirect == "https://portal.example.gov.vn/bye?state=xyz")

            for (name, parameters) in [
                ("unregistered uri", ["id_token_hint": hint, "post_logout_redirect_uri": "https://portal.example.gov.vn/bye/"]),
                ("uri without client", ["post_logout_redirect_uri": "https://portal.example.gov.vn/bye"]),
                ("hint for another client", ["id_token_hint": hint, "client_id": "mail"]),
                ("forged hint", ["id_token_hint": String(hint.dropLast(4)) + "AAAA"]),
                ("another client's uri", ["client_id": "mail", "post_logout_redirect_uri": "https://portal.example.gov.vn/bye"]),
            ] {
                guard case .showError = await h.engine.validateLogout(parameters) else { Issue.record("\(name) accepted"); continue }
            }
            guard case .valid(let bare) = await h.engine.validateLogout([:]) else { Issue.record("bare logout refused"); return }
            #expect(bare.postLogoutRedirect == nil && bare.clientID == nil)
        }
    }
}

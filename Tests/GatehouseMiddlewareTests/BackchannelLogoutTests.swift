import Foundation
@testable import GatehouseMiddleware
import GatehouseCrypto
import GatehouseJOSE
import Testing

/// OpenID Connect Back-Channel Logout 1.0 §2.6: what a valid logout token does, and every
/// forgery or mix-up that must be refused.
@Suite struct BackchannelLogoutTests {
    static let issuer = "https://sso.example.gov.vn"
    static let key = try! SigningKey.generate(.es256)
    static let otherKey = try! SigningKey.generate(.es256)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func receiver(_ list: RevocationList) -> BackchannelLogoutReceiver {
        let keys = VerificationKeySet([Self.key.verificationKey])
        return BackchannelLogoutReceiver(issuer: Self.issuer, clientID: "notices", keys: { _ in keys }, revocations: list)
    }

    func claims(sub: String? = "user-1", sid: String? = "session-1", aud: String = "notices", iss: String = issuer,
                iat: Date? = nil, events: JSONValue? = .object([BackchannelLogoutReceiver.logoutEvent: .object([:])]),
                extra: [String: JSONValue] = [:]) -> JWTClaims {
        var claims = JWTClaims(issuer: iss, subject: sub, audience: .single(aud), expiresAt: now + 120, issuedAt: iat ?? now,
                               jwtID: UUID().uuidString)
        if let sid { claims.additional["sid"] = .string(sid) }
        if let events { claims.additional["events"] = events }
        for (k, v) in extra { claims.additional[k] = v }
        return claims
    }

    func token(_ claims: JWTClaims, key: SigningKey = key, type: String? = "logout+jwt") throws -> String {
        try JWTSigner(key: key, type: type).sign(claims)
    }

    func post(_ receiver: BackchannelLogoutReceiver, _ token: String) async -> BackchannelLogoutResponse {
        await receiver.receive(formBody: "logout_token=" + FormEncoding.encode(token), now: now)
    }

    @Test func aValidLogoutTokenEndsTheSessionItNames() async throws {
        let list = RevocationList()
        let response = await post(receiver(list), try token(claims()))
        #expect(response.status == 200 && response.failure == nil)
        #expect(list.isRevoked(subject: "user-1", sessionID: "session-1", tokenID: nil, grantID: nil, issuedAt: now + 60))
        #expect(!list.isRevoked(subject: "user-1", sessionID: "session-2", tokenID: nil, grantID: nil, issuedAt: now + 60),
                "with a sid, only that session ends")
    }

    @Test func aTokenWithOnlyASubjectEndsEverySessionOfTheSubjectIssuedBeforeIt() async throws {
        let list = RevocationList()
        #expect(await post(receiver(list), try token(claims(sid: nil))).status == 200)
        #expect(list.isRevoked(subject: "user-1", sessionID: "any", tokenID: nil, grantID: nil, issuedAt: now - 10))
        #expect(!list.isRevoked(subject: "user-1", sessionID: "any", tokenID: nil, grantID: nil, issuedAt: now + 10))
    }

    func invalidClaims(_ name: String) -> JWTClaims {
        switch name {
        case "no events claim": claims(events: nil)
        case "events without the logout member": claims(events: .object(["http://example.com/other": .object([:])]))
        case "logout event that is not an object": claims(events: .object([BackchannelLogoutReceiver.logoutEvent: .string("x")]))
        case "neither sub nor sid": claims(sub: nil, sid: nil)
        case "a nonce, like an ID token": claims(extra: ["nonce": "n-1"])
        case "another audience": claims(aud: "payroll")
        case "another issuer": claims(iss: "https://evil.example")
        case "issued an hour ago": claims(iat: now - 3600)
        case "issued in the future": claims(iat: now + 3600)
        default: fatalError(name)
        }
    }

    @Test(arguments: [
        "no events claim", "events without the logout member", "logout event that is not an object", "neither sub nor sid",
        "a nonce, like an ID token", "another audience", "another issuer", "issued an hour ago", "issued in the future",
    ])
    func invalidLogoutTokensAreRefusedWith400(_ name: String) async throws {
        let list = RevocationList()
        let response = await post(receiver(list), try token(invalidClaims(name)))
        #expect(response.status == 400, "\(name)")
        #expect(response.body.contains("\"error\":\"invalid_request\""), "\(name): \(response.body)")
        #expect(list.count == 0, "\(name) must change nothing")
    }

    @Test func forgeriesAndMixUpsAreRefused() async throws {
        let list = RevocationList()
        let r = receiver(list)
        // Signed by a key the issuer never published.
        #expect(await post(r, try token(claims(), key: Self.otherKey)).status == 400)
        // An ID token or access token of the issuer (another typ) cannot pass as a logout token.
        #expect(await post(r, try token(claims(), type: "JWT")).status == 400)
        #expect(await post(r, try token(claims(), type: "at+jwt")).status == 400)
        #expect(await post(r, try token(claims(), type: nil)).status == 400)
        // alg none: the header says none and there is no signature.
        let header = Base64URL.encodeString(#"{"alg":"none","typ":"logout+jwt"}"#)
        let payload = try token(claims()).split(separator: ".")[1]
        #expect(await post(r, "\(header).\(payload).").status == 400)
        // A valid signature over altered claims.
        let parts = try token(claims()).split(separator: ".")
        let altered = Base64URL.encodeString(#"{"iss":"\#(Self.issuer)","aud":"notices","sub":"admin","iat":1800000000,"jti":"x","events":{"\#(BackchannelLogoutReceiver.logoutEvent)":{}}}"#)
        #expect(await post(r, "\(parts[0]).\(altered).\(parts[2])").status == 400)
        #expect(list.count == 0)
    }

    @Test func malformedRequestsAreRefused() async throws {
        let r = receiver(RevocationList())
        #expect(await r.receive(formBody: "", now: now).status == 400)
        #expect(await r.receive(formBody: "logout_token=", now: now).status == 400)
        #expect(await r.receive(formBody: "logout_token=abc", now: now).status == 400)
        let t = FormEncoding.encode(try token(claims()))
        #expect(await r.receive(formBody: "logout_token=\(t)&logout_token=\(t)", now: now).status == 400, "two tokens")
    }

    @Test func aReplayedTokenIsAcceptedOnceAndChangesNothingMore() async throws {
        let list = RevocationList()
        let r = receiver(list)
        let t = try token(claims())
        #expect(await post(r, t).status == 200)
        #expect(await post(r, t).status == 200)
        #expect(list.count == 1)
    }
}

extension Base64URL {
    static func encodeString(_ s: String) -> String { encode(Array(s.utf8)) }
}

import Foundation
import GatehouseJOSE
import GatehouseMiddleware
import Testing

/// Valid tokens, with every algorithm Gatehouse signs with, and what the identity reads from them.
@Suite struct TokenAcceptanceTests {
    @Test(arguments: [JWSAlgorithm.es256, .edDSA, .rs256, .ps256])
    func aValidTokenVerifies(algorithm: JWSAlgorithm) async throws {
        let provider = try await LocalProvider(algorithm)
        let identity = try await provider.verifier.verify(provider.token(), now: provider.now)
        #expect(identity.subject == TokenMinting.subject)
        #expect(identity.clientID == LocalProvider.audience)
    }

    @Test func theIdentityCarriesTheClaims() async throws {
        let provider = try await LocalProvider()
        var claims = provider.claims(sessionID: "sid-42", grantID: "gid-42")
        claims.jwtID = "jti-42"
        claims.additional["roles"] = ["clerk@/ha-noi", "not-a-grant", "auditor@hue", "@/x", "admin@/ha-noi/phuong-ba-dinh", 7]
        let identity = try await provider.verifier.verify(TokenMinting.sign(claims, key: provider.key), now: provider.now)
        #expect(identity.sessionID == "sid-42")
        #expect(identity.tokenID == "jti-42")
        #expect(identity.grantID == "gid-42")
        #expect(identity.unit == "/ha-noi/phuong-ba-dinh")
        #expect(identity.roles == [RoleGrant("clerk@/ha-noi")!, RoleGrant("admin@/ha-noi/phuong-ba-dinh")!])
        #expect(identity.scopes == ["openid", "profile", "notices.read"])
        #expect(identity.hasScope("notices.read") && !identity.hasScope("notices.write"))
        #expect(identity.issuedAt == provider.now)
        #expect(identity.expiresAt == provider.now + 300)
        #expect(identity.authenticationTime == provider.now - 60)
        #expect(identity.authenticationContext == "urn:gatehouse:pwd")
        #expect(identity.authenticationMethods == ["pwd"])
        #expect(identity.claims.jwtID == "jti-42")
    }

    @Test func rolesHoldInTheirSubtreeOnly() async throws {
        let provider = try await LocalProvider()
        let identity = try await provider.verifier.verify(provider.token(), now: provider.now)
        #expect(identity.hasRole("clerk", at: "/ha-noi"))
        #expect(identity.hasRole("clerk", at: "/ha-noi/phuong-ba-dinh/to-1"))
        #expect(!identity.hasRole("clerk", at: "/hue"))
        #expect(!identity.hasRole("clerk", at: "/ha-noi-2"))
        #expect(!identity.hasRole("clerk", at: "/"))
        #expect(identity.hasRole("admin", at: "/ha-noi/phuong-ba-dinh"))
        #expect(!identity.hasRole("admin", at: "/ha-noi"))
        #expect(!identity.hasRole("auditor", at: "/ha-noi"))
        #expect(!identity.hasRole("clerk", at: "/ha-noi/../hue"))
    }

    @Test func anIdentityCanBeReadFromIDTokenClaims() {
        var claims = JWTClaims(issuer: LocalProvider.issuer, subject: "u-1", audience: "cong-van", issuedAt: Date(timeIntervalSince1970: 10))
        claims.additional = ["sid": "s-1", "unit": "/hue", "roles": ["clerk@/hue"], "amr": ["pwd", "otp"], "sid2": 3]
        let identity = VerifiedIdentity(claims: claims)
        #expect(identity.subject == "u-1" && identity.sessionID == "s-1" && identity.unit == "/hue")
        #expect(identity.hasRole("clerk", at: "/hue/phu-hoi"))
        #expect(identity.authenticationMethods == ["pwd", "otp"])
        #expect(identity.clientID == nil && identity.scopes.isEmpty)
    }
}

import Foundation
import GatehouseCrypto
import GatehouseJOSE
import GatehouseMiddleware
import Testing

/// Tokens an attacker would try. Each must be refused, for the reason stated.
@Suite struct TokenAttackTests {
    @Test func unsecuredAlgNoneIsRefused() async throws {
        let provider = try await LocalProvider()
        let claims = provider.claims()
        for signature in [[], Array("x".utf8)] as [[UInt8]] {
            let token = TokenMinting.handmade(header: #"{"alg":"none","typ":"at+jwt"}"#, claims: claims) { _ in signature }
            await #expect(throws: TokenRejection(.algorithmNotAllowed)) { try await provider.verifier.verify(token, now: provider.now) }
        }
    }

    /// RFC 8725 §2.1: a verifier that lets `alg` pick the algorithm would check an HMAC keyed
    /// with the public key, which anyone can compute.
    @Test func hmacKeyedWithThePublicKeyIsRefused() async throws {
        let provider = try await LocalProvider()
        let key = provider.key
        let jwk = try JSONEncoder().encode(key.publicJWK)
        let x = Base64URL.decode(key.publicJWK.x!)!, y = Base64URL.decode(key.publicJWK.y!)!
        for secret in [Array(jwk), [0x04] + x + y] {
            let header = #"{"alg":"HS256","kid":"\#(key.keyID)","typ":"at+jwt"}"#
            let token = TokenMinting.handmade(header: header, claims: provider.claims()) { input in
                Digest.hmacSHA256(key: secret, message: input)
            }
            await #expect(throws: TokenRejection(.algorithmNotAllowed)) { try await provider.verifier.verify(token, now: provider.now) }
        }
    }

    @Test func anIDTokenOrPlainJWTIsNotAnAccessToken() async throws {
        let provider = try await LocalProvider()
        for type in ["JWT", "logout+jwt", nil] as [String?] {
            let token = try TokenMinting.sign(provider.claims(), key: provider.key, type: type)
            await #expect(throws: TokenRejection(.wrongType)) { try await provider.verifier.verify(token, now: provider.now) }
        }
        let mediaType = try TokenMinting.sign(provider.claims(), key: provider.key, type: "application/at+jwt")
        #expect(try await provider.verifier.verify(mediaType, now: provider.now).subject == TokenMinting.subject)
    }

    @Test func expiredBeyondTheLeewayIsRefusedWithinItAccepted() async throws {
        let provider = try await LocalProvider()
        let token = try provider.token()               // exp = now + 300, leeway 30
        _ = try await provider.verifier.verify(token, now: provider.now + 329)
        await #expect(throws: TokenRejection(.expired)) { try await provider.verifier.verify(token, now: provider.now + 330) }
        await #expect(throws: TokenRejection(.expired)) { try await provider.verifier.verify(token, now: provider.now + 86_400) }
    }

    @Test func notYetValidBeyondTheLeewayIsRefused() async throws {
        let provider = try await LocalProvider()
        let token = try provider.token { $0.notBefore = provider.now + 120 }
        await #expect(throws: TokenRejection(.notYetValid)) { try await provider.verifier.verify(token, now: provider.now) }
        _ = try await provider.verifier.verify(token, now: provider.now + 95)
    }

    @Test func aTokenWithoutExpiryOrSubjectIsRefused() async throws {
        let provider = try await LocalProvider()
        let noExpiry = try provider.token { $0.expiresAt = nil }
        await #expect(throws: TokenRejection(.missingClaim)) { try await provider.verifier.verify(noExpiry, now: provider.now) }
        let noSubject = try provider.token { $0.subject = nil }
        await #expect(throws: TokenRejection(.missingClaim)) { try await provider.verifier.verify(noSubject, now: provider.now) }
        let emptySubject = try provider.token { $0.subject = "" }
        await #expect(throws: TokenRejection(.missingClaim)) { try await provider.verifier.verify(emptySubject, now: provider.now) }
        let noClientID = try provider.token { $0.additional["client_id"] = nil }
        await #expect(throws: TokenRejection(.missingClaim)) { try await provider.verifier.verify(noClientID, now: provider.now) }
    }

    @Test func anotherIssuerIsRefusedEvenWithTheRightKey() async throws {
        let provider = try await LocalProvider()
        for issuer in ["https://evil.example", "https://sso.example.gov.vn/", "HTTPS://SSO.EXAMPLE.GOV.VN"] {
            let token = try provider.token { $0.issuer = issuer }
            await #expect(throws: TokenRejection(.wrongIssuer)) { try await provider.verifier.verify(token, now: provider.now) }
        }
    }

    @Test func anotherAudienceIsRefused() async throws {
        let provider = try await LocalProvider()
        for audience in [Audience.single("bao-cao"), .multiple(["bao-cao", "thu-vien"]), .single("Cong-Van")] {
            let token = try provider.token { $0.audience = audience }
            await #expect(throws: TokenRejection(.wrongAudience)) { try await provider.verifier.verify(token, now: provider.now) }
        }
        let shared = try provider.token { $0.audience = .multiple(["bao-cao", LocalProvider.audience]) }
        _ = try await provider.verifier.verify(shared, now: provider.now)
    }

    @Test func aTamperedSignatureOrPayloadIsRefused() async throws {
        let provider = try await LocalProvider()
        let token = try provider.token()
        await #expect(throws: TokenRejection(.invalidSignature)) {
            try await provider.verifier.verify(TokenMinting.tampered(token), now: provider.now)
        }
        // A payload swapped for one granting more, under the original signature.
        let parts = token.split(separator: ".")
        var richer = provider.claims()
        richer.additional["roles"] = ["admin@/"]
        let forged = parts[0] + "." + Base64URL.encode(richer.encoded()) + "." + parts[2]
        await #expect(throws: TokenRejection(.invalidSignature)) { try await provider.verifier.verify(forged, now: provider.now) }
    }

    @Test func aTokenSignedByAnUnpublishedKeyWithAPublishedKidIsRefused() async throws {
        let provider = try await LocalProvider()
        let impostor = try SigningKey.generate(.es256)
        let token = try TokenMinting.sign(provider.claims(), key: impostor, keyID: provider.key.keyID)
        await #expect(throws: TokenRejection(.invalidSignature)) { try await provider.verifier.verify(token, now: provider.now) }
    }

    @Test func anAlgorithmOutsideTheAllowListIsRefused() async throws {
        let clock = TestClock()
        let key = try SigningKey.generate(.edDSA)
        let provider = try await LocalProvider(keys: [key], clock: clock) { $0.allowedAlgorithms = [.es256] }
        await #expect(throws: TokenRejection(.algorithmNotAllowed)) { try await provider.verifier.verify(provider.token(), now: provider.now) }
    }

    @Test func garbageIsMalformedAndTheMessageNeverEchoesTheToken() async throws {
        let provider = try await LocalProvider()
        let secretLooking = "eyJhbGciOiJFUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJl"
        for junk in ["", "abc", "a.b.c", "a.b.c.d", String(repeating: "A", count: 20_000), secretLooking] {
            do {
                _ = try await provider.verifier.verify(junk, now: provider.now)
                Issue.record("\(junk.prefix(20)) was accepted")
            } catch {
                #expect(error.error == "invalid_token")
                if junk.count > 5 { #expect(!error.message.contains(junk) && !error.detail.contains(junk)) }
            }
        }
        await #expect(throws: TokenRejection(.malformed)) { try await provider.verifier.verify("a.b.c.d", now: provider.now) }
        await #expect(throws: TokenRejection(.malformed)) {
            try await provider.verifier.verify(String(repeating: "A", count: 20_000), now: provider.now)
        }
    }
}

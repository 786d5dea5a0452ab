import Foundation
import GatehouseJOSE
import GatehouseMiddleware
import Testing

/// The verifier consults the ``RevocationList`` after the signature: every kind of revocation
/// refuses the tokens it names, and only those.
@Suite struct RevocationCheckTests {
    @Test(arguments: RevocationKind.allCases)
    func eachKindOfRevocationRefusesTheToken(kind: RevocationKind) async throws {
        let provider = try await LocalProvider()
        var claims = provider.claims(sessionID: "sid-7", grantID: "gid-7")
        claims.jwtID = "jti-7"
        let token = try TokenMinting.sign(claims, key: provider.key)
        let other = try provider.token { $0.subject = "someone-else" }
        _ = try await provider.verifier.verify(token, now: provider.now)
        let value = switch kind {
        case .session: "sid-7"
        case .subject: TokenMinting.subject
        case .token: "jti-7"
        case .grant: "gid-7"
        }
        provider.revocations.add(Revocation(kind: kind, value: value, time: provider.now, expires: provider.now + 3600))
        await #expect(throws: TokenRejection(.revoked)) { try await provider.verifier.verify(token, now: provider.now) }
        _ = try await provider.verifier.verify(other, now: provider.now)   // another sid, sub, jti and gid
    }

    /// A subject revoked at T (account disabled, all sessions ended) refuses what was issued at
    /// or before T, and nothing issued after: the person can sign in again.
    @Test func aSubjectRevocationRefusesOnlyTokensIssuedUpToItsTime() async throws {
        let clock = TestClock()
        let provider = try await LocalProvider(.es256, clock: clock)
        let before = try provider.token()
        let revokedAt = clock.now() + 10
        provider.revocations.add(Revocation(kind: .subject, value: TokenMinting.subject, time: revokedAt, expires: revokedAt + 3600))
        clock.advance(by: 10)
        let atTheSameSecond = try provider.token()
        clock.advance(by: 1)
        let after = try provider.token()
        await #expect(throws: TokenRejection(.revoked)) { try await provider.verifier.verify(before, now: clock.now()) }
        await #expect(throws: TokenRejection(.revoked)) { try await provider.verifier.verify(atTheSameSecond, now: clock.now()) }
        let identity = try await provider.verifier.verify(after, now: clock.now())
        #expect(identity.subject == TokenMinting.subject)
    }

    @Test func aSubjectRevocationRefusesATokenWithoutIssuedAt() async throws {
        let clock = TestClock()
        let provider = try await LocalProvider(keys: [SigningKey.generate(.es256)], clock: clock) {
            $0.requiredClaims.remove("iat")
        }
        let token = try provider.token { $0.issuedAt = nil }
        _ = try await provider.verifier.verify(token, now: clock.now())
        provider.revocations.add(Revocation(kind: .subject, value: TokenMinting.subject, time: clock.now() - 3600, expires: clock.now() + 3600))
        await #expect(throws: TokenRejection(.revoked)) { try await provider.verifier.verify(token, now: clock.now()) }
    }
}

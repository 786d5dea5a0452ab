import Foundation
import GatehouseJOSE
import Testing
@testable import GatehouseKeys

@Suite("Key lifecycle: publish, activate, rotate, retire")
struct LifecycleTests {
    @Test("the first key of an algorithm signs at once and is published")
    func firstKey() throws {
        try KeyFolder.with { folder in
            let ring = try KeyRing.load(directory: folder.path)
            #expect(ring.list().isEmpty)
            #expect(throws: KeyRingError(.noActiveKey)) { try ring.signingKey(for: .es256, at: T.t0) }
            let info = try ring.generate(.es256, now: T.t0)
            #expect(info.activatesAt == T.t0 && info.createdAt == T.t0 && info.retiredAt == nil)
            #expect(info.keyID == (try info.publicJWK.thumbprint()))
            #expect(try ring.signingKey(for: .es256, at: T.t0).keyID == info.keyID)
            #expect(ring.publishedJWKS(at: T.t0, maxTokenLifetime: T.hour).keys.map(\.keyID) == [info.keyID])
            #expect(ring.status(of: info, at: T.t0, maxTokenLifetime: T.hour) == .signing)
            #expect(throws: KeyRingError(.noActiveKey)) { try ring.signingKey(for: .edDSA, at: T.t0) }
        }
    }

    @Test("a key made while another signs is published first and signs only after the delay")
    func rotation() throws {
        try KeyFolder.with { folder in
            let ring = try KeyRing.load(directory: folder.path)
            let old = try ring.generate(.es256, now: T.t0)
            let new = try ring.generate(.es256, now: T.t0 + T.hour)
            #expect(new.activatesAt == T.t0 + T.hour + KeyRing.defaultActivationDelay)
            #expect(KeyRing.defaultActivationDelay == T.day)

            let before = T.t0 + 2 * T.hour
            #expect(ring.publishedJWKS(at: before, maxTokenLifetime: T.hour).keys.map(\.keyID) == [old.keyID, new.keyID])
            #expect(try ring.signingKey(for: .es256, at: before).keyID == old.keyID)
            #expect(ring.status(of: new, at: before, maxTokenLifetime: T.hour) == .pending)

            let after = new.activatesAt
            #expect(try ring.signingKey(for: .es256, at: after).keyID == new.keyID)
            #expect(try ring.signingKey(for: .es256, at: after - 1).keyID == old.keyID)
            #expect(ring.status(of: new, at: after, maxTokenLifetime: T.hour) == .signing)
            #expect(ring.status(of: old, at: after, maxTokenLifetime: T.hour) == .standby)
        }
    }

    @Test("the activation delay is configurable; other algorithms are independent")
    func customDelay() throws {
        try KeyFolder.with { folder in
            let ring = try KeyRing.load(directory: folder.path)
            _ = try ring.generate(.es256, now: T.t0)
            let next = try ring.generate(.es256, now: T.t0, activationDelay: 2 * T.hour)
            #expect(next.activatesAt == T.t0 + 2 * T.hour)
            let ed = try ring.generate(.edDSA, now: T.t0)
            #expect(ed.activatesAt == T.t0)
        }
    }

    @Test("a retired key stops signing and stays published for the longest token lifetime")
    func retire() throws {
        try KeyFolder.with { folder in
            let ring = try KeyRing.load(directory: folder.path)
            let old = try ring.generate(.es256, now: T.t0)
            let new = try ring.generate(.es256, now: T.t0, activationDelay: T.hour)
            let retiredAt = T.t0 + 2 * T.hour
            let retired = try ring.retire(keyID: old.keyID, at: retiredAt)
            #expect(retired.retiredAt == retiredAt)
            #expect(try ring.signingKey(for: .es256, at: retiredAt - 1).keyID == new.keyID)  // newest wins anyway
            #expect(try ring.signingKey(for: .es256, at: retiredAt).keyID == new.keyID)

            let lifetime = 10 * 60.0
            #expect(ring.publishedJWKS(at: retiredAt + lifetime - 1, maxTokenLifetime: lifetime).keys.map(\.keyID) == [old.keyID, new.keyID])
            #expect(ring.publishedJWKS(at: retiredAt + lifetime, maxTokenLifetime: lifetime).keys.map(\.keyID) == [new.keyID])
            #expect(ring.status(of: retired, at: retiredAt, maxTokenLifetime: lifetime) == .retired)
            #expect(ring.status(of: retired, at: retiredAt + lifetime, maxTokenLifetime: lifetime) == .expired)

            // Retiring again later keeps the first time; unknown keys are an error.
            #expect(try ring.retire(keyID: old.keyID, at: retiredAt + T.day).retiredAt == retiredAt)
            #expect(throws: KeyRingError(.unknownKey)) { try ring.retire(keyID: "nope", at: retiredAt) }

            // Survives a reload from disk.
            let reread = try KeyRing.load(directory: folder.path)
            #expect(reread.list() == ring.list())
        }
    }

    @Test("retiring the only key leaves nothing to sign; the next key then activates at once")
    func retireOnly() throws {
        try KeyFolder.with { folder in
            let ring = try KeyRing.load(directory: folder.path)
            let only = try ring.generate(.es256, now: T.t0)
            try ring.retire(keyID: only.keyID, at: T.t0 + T.hour)
            let error = #expect(throws: KeyRingError(.noActiveKey)) { try ring.signingKey(for: .es256, at: T.t0 + T.hour) }
            #expect(error?.description.contains("gatehouse keys generate --alg ES256") == true)
            let replacement = try ring.generate(.es256, now: T.t0 + T.hour)
            #expect(replacement.activatesAt == T.t0 + T.hour)
        }
    }

    @Test("ensureKeys creates RS256 and ES256 when missing, and nothing the second time")
    func ensure() throws {
        try KeyFolder.with { folder in
            let ring = try KeyRing.load(directory: folder.path)
            let made = try ring.ensureKeys(for: [.rs256, .es256], now: T.t0)
            #expect(made.map(\.algorithm) == [.rs256, .es256])
            #expect(try ring.ensureKeys(for: [.rs256, .es256], now: T.t0 + T.day).isEmpty)
            #expect(try ring.signingKey(for: .rs256, at: T.t0).bits == 2048)
        }
    }

    @Test("tokens signed with the ring's key verify against its published JWKS")
    func endToEnd() throws {
        try KeyFolder.with { folder in
            let ring = try KeyRing.load(directory: folder.path)
            try ring.ensureKeys(for: [.es256], now: T.t0)
            let token = try JWTSigner(key: ring.signingKey(for: .es256, at: T.t0), type: "at+jwt")
                .sign(JWTClaims(issuer: "https://sso", expiresAt: T.t0 + 300))
            let keys = try VerificationKeySet(JWKSet(json: ring.publishedJWKS(at: T.t0, maxTokenLifetime: T.hour).jsonData()))
            let verifier = JWTVerifier(keys: keys, allowedAlgorithms: [.es256], validator: JWTValidator(issuer: "https://sso", type: "at+jwt"))
            #expect(try verifier.verify(token, now: T.t0).claims.issuer == "https://sso")
        }
    }
}

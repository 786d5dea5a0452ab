import Foundation
import GatehouseCrypto
import Testing
@testable import GatehouseJOSE

@Suite("JWT sign, verify and validate")
struct JWTTests {
    let issuer = "https://sso.example.gov.vn"
    let now = Instants.t0

    private func claims(exp: TimeInterval = 300, nbf: TimeInterval? = nil, aud: Audience? = "app") -> JWTClaims {
        JWTClaims(issuer: issuer, subject: "9f1c", audience: aud, expiresAt: now + exp, notBefore: nbf.map { now + $0 },
                  issuedAt: now, jwtID: "j-1", additional: ["client_id": "app", "roles": ["clerk@/ha-noi"], "sid": "s-1"])
    }

    private func verifier(_ key: SigningKey = SharedKeys.es256, validator: JWTValidator? = nil) -> JWTVerifier {
        JWTVerifier(keys: VerificationKeySet([key.verificationKey]), allowedAlgorithms: [key.algorithm],
                    validator: validator ?? JWTValidator(issuer: issuer, audience: "app", type: "at+jwt"))
    }

    @Test("round trip for every algorithm", arguments: [JWSAlgorithm.es256, .edDSA, .rs256, .ps256])
    func roundTrip(_ algorithm: JWSAlgorithm) throws {
        let key = algorithm == .ps256 ? try SigningKey.generate(.ps256) : [SharedKeys.es256, SharedKeys.edDSA, SharedKeys.rs256].first { $0.algorithm == algorithm }!
        let token = try JWTSigner(key: key, type: "at+jwt").sign(claims())
        let jwt = try verifier(key).verify(token, now: now)
        #expect(jwt.claims == claims())
        #expect(jwt.header.algorithm == algorithm)
        #expect(jwt.header.keyID == key.keyID)
        #expect(jwt.header.type == "at+jwt")
        #expect(jwt.keyID == key.keyID)
    }

    @Test("the encoded claims are compact, ordered, and integer NumericDates")
    func encoding() throws {
        let text = String(decoding: claims().encoded(), as: UTF8.self)
        #expect(text == #"{"iss":"https://sso.example.gov.vn","sub":"9f1c","aud":"app","exp":1800000300,"iat":1800000000,"jti":"j-1","client_id":"app","roles":["clerk@/ha-noi"],"sid":"s-1"}"#)
        let decoded = try JSONDecoder().decode(JWTClaims.self, from: JSONEncoder().encode(claims()))
        #expect(decoded == claims())
    }

    @Test func expiry() throws {
        let token = try JWTSigner(key: SharedKeys.es256, type: "at+jwt").sign(claims(exp: 300))
        _ = try verifier().verify(token, now: now + 299)
        _ = try verifier().verify(token, now: now + 300 + 29)  // within the 30 s leeway
        #expect(throws: JOSEError(.expired)) { try verifier().verify(token, now: now + 300 + 30) }
        let strict = JWTValidator(issuer: issuer, audience: "app", type: "at+jwt", leeway: 0)
        #expect(throws: JOSEError(.expired)) { try verifier(validator: strict).verify(token, now: now + 300) }
    }

    @Test func notBefore() throws {
        let token = try JWTSigner(key: SharedKeys.es256, type: "at+jwt").sign(claims(nbf: 120))
        #expect(throws: JOSEError(.notYetValid)) { try verifier().verify(token, now: now + 89) }
        _ = try verifier().verify(token, now: now + 90)
    }

    @Test func issuerAndAudience() throws {
        let token = try JWTSigner(key: SharedKeys.es256, type: "at+jwt").sign(claims(aud: ["other", "app"]))
        _ = try verifier().verify(token, now: now)
        let wrongIssuer = JWTValidator(issuer: "https://evil.example", audience: "app", type: "at+jwt")
        #expect(throws: JOSEError(.wrongIssuer)) { try verifier(validator: wrongIssuer).verify(token, now: now) }
        let wrongAudience = JWTValidator(issuer: issuer, audience: "APP", type: "at+jwt")
        #expect(throws: JOSEError(.wrongAudience)) { try verifier(validator: wrongAudience).verify(token, now: now) }
        let noAudience = try JWTSigner(key: SharedKeys.es256, type: "at+jwt").sign(claims(aud: nil))
        #expect(throws: JOSEError(.wrongAudience)) { try verifier().verify(noAudience, now: now) }
    }

    @Test("typ: case-insensitive, optional application/ prefix, otherwise refused",
          arguments: [("at+jwt", true), ("AT+JWT", true), ("application/at+jwt", true), ("Application/AT+JWT", true),
                      ("JWT", false), ("application/jwt", false), (nil, false), ("at+jwt/x", false)])
    func type(_ typ: String?, _ accepted: Bool) throws {
        let token = try JWTSigner(key: SharedKeys.es256, type: typ).sign(claims())
        if accepted {
            _ = try verifier().verify(token, now: now)
        } else {
            #expect(throws: JOSEError(.wrongType)) { try verifier().verify(token, now: now) }
        }
    }

    @Test func requiredClaims() throws {
        var c = claims()
        c.expiresAt = nil
        let token = try JWTSigner(key: SharedKeys.es256, type: "at+jwt").sign(c)
        #expect(throws: JOSEError(.missingClaim)) { try verifier().verify(token, now: now) }
        let wantsSid = JWTValidator(issuer: issuer, audience: "app", type: "at+jwt", requiredClaims: ["exp", "sid", "client_id"])
        _ = try verifier(validator: wantsSid).verify(try JWTSigner(key: SharedKeys.es256, type: "at+jwt").sign(claims()), now: now)
        let wantsAcr = JWTValidator(issuer: issuer, requiredClaims: ["acr"])
        #expect(throws: JOSEError(.missingClaim)) { try verifier(validator: wantsAcr).verify(try JWTSigner(key: SharedKeys.es256, type: "at+jwt").sign(claims()), now: now) }
    }

    @Test("payload: not JSON, not an object, exp as a string, aud as a number, duplicate claims")
    func hostilePayloads() throws {
        let header = #"{"alg":"ES256","typ":"at+jwt"}"#
        let cases: [(String, JOSEError.Code)] = [
            ("not json", .invalidJSON),
            ("", .invalidJSON),
            (#"["a"]"#, .invalidClaims),
            (#"{"iss":"https://sso.example.gov.vn","aud":"app","exp":"1800000300"}"#, .invalidClaims),
            (#"{"iss":"https://sso.example.gov.vn","aud":5,"exp":1800000300}"#, .invalidClaims),
            (#"{"iss":"https://sso.example.gov.vn","aud":["app",5],"exp":1800000300}"#, .invalidClaims),
            (#"{"iss":7,"aud":"app","exp":1800000300}"#, .invalidClaims),
            (#"{"iss":"https://sso.example.gov.vn","aud":"app","exp":1800000300,"exp":1900000000}"#, .invalidJSON),
            (#"{"iss":"https://sso.example.gov.vn","aud":"app","exp":1e400}"#, .invalidJSON),
        ]
        for (payload, code) in cases {
            let token = try Forge.token(header: header, payload: payload, key: SharedKeys.es256)
            #expect(throws: JOSEError(code), "\(payload)") { try verifier().verify(token, now: now) }
        }
    }

    @Test("fractional NumericDate is accepted")
    func fractionalDates() throws {
        let token = try Forge.token(header: #"{"alg":"ES256","typ":"at+jwt"}"#,
                                    payload: #"{"iss":"https://sso.example.gov.vn","aud":"app","exp":1800000300.5}"#, key: SharedKeys.es256)
        let jwt = try verifier().verify(token, now: now)
        #expect(jwt.claims.expiresAt == Date(timeIntervalSince1970: 1_800_000_300.5))
    }

    @Test("a token signed by another key of the same algorithm is refused")
    func otherKey() throws {
        let token = try JWTSigner(key: SharedKeys.otherES256, type: "at+jwt").sign(claims())
        #expect(throws: JOSEError(.keyNotFound)) { try verifier().verify(token, now: now) }
    }

    @Test("a signer with additional header members")
    func additionalHeader() throws {
        let token = try JWTSigner(key: SharedKeys.es256, type: "at+jwt").sign(claims(), additionalHeader: ["x-gh": "1", "alg": "none"])
        let jwt = try verifier().verify(token, now: now)
        #expect(jwt.header.additional == ["x-gh": "1"])
        #expect(jwt.header.algorithm == .es256)
    }

    @Test("verification is safe from many tasks at once")
    func concurrency() async throws {
        let token = try JWTSigner(key: SharedKeys.es256, type: "at+jwt").sign(claims())
        let verifier = verifier()
        let ok = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<50 { _ = try verifier.verify(token, now: now) }
                    _ = try JWTSigner(key: SharedKeys.es256).sign(JWTClaims(subject: "x"))
                    return true
                }
            }
            return try await group.reduce(true) { $0 && $1 }
        }
        #expect(ok)
    }
}

import Foundation
import GatehouseCrypto
import Testing
@testable import GatehouseJOSE

@Suite("Signing and verification keys, JWK and JWK Set")
struct KeyTests {
    @Test("algorithms parse strictly", arguments: ["none", "HS256", "HS512", "es256", "ES384", "RS512", "Ed25519", ""])
    func algorithmParsing(_ name: String) {
        #expect(throws: JOSEError(.unsupportedAlgorithm)) { try JWSAlgorithm(parsing: name) }
    }

    @Test func algorithmNames() throws {
        #expect(JWSAlgorithm.default == .es256)
        #expect(try JWSAlgorithm.allCases.allSatisfy { try JWSAlgorithm(parsing: $0.rawValue) == $0 })
        #expect(throws: (any Error).self) { try JSONDecoder().decode([JWSAlgorithm].self, from: Data(#"["none"]"#.utf8)) }
    }

    @Test("generate, write PEM, read PEM: same kid, still signs", arguments: [JWSAlgorithm.es256, .edDSA, .rs256])
    func pemRoundTrip(_ algorithm: JWSAlgorithm) throws {
        let key = [SharedKeys.es256, SharedKeys.edDSA, SharedKeys.rs256].first { $0.algorithm == algorithm }!
        let pem = try key.pemRepresentation()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let loaded = try SigningKey(pem: pem, algorithm: algorithm)
        #expect(loaded.keyID == key.keyID)
        #expect(loaded.publicJWK == key.publicJWK)
        let message = Array("m".utf8)
        #expect(key.verificationKey.verify(signature: try loaded.sign(message), message: message, algorithm: algorithm))
    }

    @Test func publicJWKShape() throws {
        let es = SharedKeys.es256.publicJWK
        #expect(es.keyType == "EC" && es.curve == "P-256" && es.algorithm == "ES256" && es.use == "sig")
        #expect(Base64URL.decode(es.x!)!.count == 32 && Base64URL.decode(es.y!)!.count == 32)
        #expect(es.keyID == (try es.thumbprint()))
        let ed = SharedKeys.edDSA.publicJWK
        #expect(ed.keyType == "OKP" && ed.curve == "Ed25519" && ed.algorithm == "EdDSA")
        let rsa = SharedKeys.rs256.publicJWK
        #expect(rsa.keyType == "RSA" && rsa.e == "AQAB" && Base64URL.decode(rsa.n!)!.count == 256)
        #expect(SharedKeys.rs256.bits == 2048)
        #expect(try SharedKeys.es256.sign(Array("x".utf8)).count == 64)
    }

    @Test("PEM: wrong type for the algorithm, garbage, encrypted-looking, public key")
    func badPEM() throws {
        let ecPEM = try SharedKeys.es256.pemRepresentation()
        #expect(throws: JOSEError(.algorithmKeyMismatch)) { try SigningKey(pem: ecPEM, algorithm: .rs256) }
        #expect(throws: JOSEError(.algorithmKeyMismatch)) { try SigningKey(pem: ecPEM, algorithm: .edDSA) }
        #expect(throws: JOSEError(.invalidKey)) { try SigningKey(pem: "hello", algorithm: .es256) }
        #expect(throws: JOSEError(.invalidKey)) {
            try SigningKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", algorithm: .es256)
        }
        #expect(throws: JOSEError(.invalidKey)) {
            try SigningKey(pem: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", algorithm: .es256)
        }
    }

    @Test("RSA below 2048 bits is refused")
    func weakRSA() throws {
        #expect(throws: JOSEError(.weakKey)) { try SigningKey.generate(.rs256, rsaBits: 1024) }
        var n = SecureRandom.bytes(128)
        n[0] |= 0x80
        n[127] |= 1
        let jwk = JWK(keyType: "RSA", n: Base64URL.encode(n), e: "AQAB")
        #expect(throws: JOSEError(.weakKey)) { try VerificationKey(jwk: jwk) }
    }

    @Test("malformed public JWKs are refused")
    func malformedJWKs() throws {
        let good = SharedKeys.es256.publicJWK
        var shortX = good
        shortX.x = Base64URL.encode(Base64URL.decode(good.x!)!.dropFirst())
        #expect(throws: JOSEError(.invalidKey)) { try VerificationKey(jwk: shortX) }
        var offCurve = good
        var y = Base64URL.decode(good.y!)!
        y[31] ^= 1
        offCurve.y = Base64URL.encode(y)
        #expect(throws: JOSEError(.invalidKey)) { try VerificationKey(jwk: offCurve) }
        var noY = good
        noY.y = nil
        #expect(throws: JOSEError(.invalidKey)) { try VerificationKey(jwk: noY) }
        var badBase64 = good
        badBase64.x = good.x! + "="
        #expect(throws: JOSEError(.invalidKey)) { try VerificationKey(jwk: badBase64) }
        var p384 = good
        p384.curve = "P-384"
        #expect(throws: JOSEError(.invalidKey)) { try VerificationKey(jwk: p384) }
        var shortEd = SharedKeys.edDSA.publicJWK
        shortEd.x = Base64URL.encode([UInt8](repeating: 1, count: 31))
        #expect(throws: JOSEError(.invalidKey)) { try VerificationKey(jwk: shortEd) }
        var leadingZero = SharedKeys.rs256.publicJWK
        leadingZero.n = Base64URL.encode([0] + Base64URL.decode(leadingZero.n!)!)
        #expect(throws: JOSEError(.invalidKey)) { try VerificationKey(jwk: leadingZero) }
        var evenE = SharedKeys.rs256.publicJWK
        evenE.e = Base64URL.encode([1, 0, 0])
        #expect(throws: JOSEError(.invalidKey)) { try VerificationKey(jwk: evenE) }
        var wrongAlg = good
        wrongAlg.algorithm = "RS256"
        #expect(throws: JOSEError(.algorithmKeyMismatch)) { try VerificationKey(jwk: wrongAlg) }
        var hmacAlg = SharedKeys.rs256.publicJWK
        hmacAlg.algorithm = "HS256"
        #expect(throws: JOSEError(.unsupportedAlgorithm)) { try VerificationKey(jwk: hmacAlg) }
        var encryption = good
        encryption.use = "enc"
        #expect(throws: JOSEError(.invalidKey)) { try VerificationKey(jwk: encryption) }
    }

    @Test("private members: recorded, never re-encoded, refused for verification")
    func privateMembers() throws {
        let data = try Vectors.json("rfc8037-a-ed25519.json", "privateJWK")
        let jwk = try JWK(json: data)
        #expect(jwk.privateMemberNames == ["d"])
        #expect(!String(decoding: try jwk.jsonData(), as: UTF8.self).contains("\"d\""))
        #expect(throws: JOSEError(.privateKeyMaterial)) { try VerificationKey(jwk: jwk) }
        let set = try JWKSet(json: Data(#"{"keys":[\#(String(decoding: data, as: UTF8.self))]}"#.utf8))
        #expect(throws: JOSEError(.privateKeyMaterial)) { try VerificationKeySet(set) }
        let oct = try JWKSet(json: Data(#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#.utf8))
        #expect(throws: JOSEError(.privateKeyMaterial)) { try VerificationKeySet(oct) }
    }

    @Test("JWK Set: encode, decode, skip unusable keys, look up by kid")
    func jwkSet() throws {
        var encryption = SharedKeys.otherES256.publicJWK
        encryption.use = "enc"
        let p384 = JWK(keyType: "EC", curve: "P-384", x: "AA", y: "AA", keyID: "p384")
        let set = JWKSet(keys: [SharedKeys.es256.publicJWK, SharedKeys.edDSA.publicJWK, SharedKeys.rs256.publicJWK, encryption, p384])
        let decoded = try JWKSet(json: try set.jsonData())
        #expect(decoded == set)
        let keys = try VerificationKeySet(decoded)
        #expect(keys.keys.map(\.keyID) == [SharedKeys.es256.keyID, SharedKeys.edDSA.keyID, SharedKeys.rs256.keyID])
        #expect(keys[keyID: SharedKeys.edDSA.keyID]?.supports(.edDSA) == true)
        #expect(decoded[keyID: "p384"] == p384)
        #expect(throws: JOSEError(.invalidKey)) { try JWKSet(json: Data(#"{"keys":{}}"#.utf8)) }
        #expect(throws: JOSEError(.invalidKey)) { try JWKSet(json: Data("[]".utf8)) }
    }

    @Test("an RSA key without alg verifies RS256 and PS256; a pinned one only its own")
    func rsaAlgorithms() throws {
        var unpinned = SharedKeys.rs256.publicJWK
        unpinned.algorithm = nil
        let key = try VerificationKey(jwk: unpinned)
        #expect(key.supports(.rs256) && key.supports(.ps256) && !key.supports(.es256))
        #expect(!SharedKeys.rs256.verificationKey.supports(.ps256))
        let pss = try SigningKey(pem: SharedKeys.rs256.pemRepresentation(), algorithm: .ps256)
        let token = try JWS.sign(payload: [1, 2, 3], header: JWSHeader(algorithm: .ps256), key: pss)
        let verified = try JWS.verify(token, keys: VerificationKeySet([key]), options: JWSVerificationOptions(allowedAlgorithms: [.ps256]))
        #expect(verified.payload == [1, 2, 3])
        // PSS is randomized, PKCS#1 v1.5 is not.
        #expect(try pss.sign([1]) != (try pss.sign([1])))
        #expect(try SharedKeys.rs256.sign([1]) == (try SharedKeys.rs256.sign([1])))
    }

    @Test("signing refuses a header whose alg is not the key's")
    func signMismatch() throws {
        #expect(throws: JOSEError(.algorithmKeyMismatch)) {
            try JWS.sign(payload: [], header: JWSHeader(algorithm: .rs256), key: SharedKeys.es256)
        }
    }
}

@Suite("Encoding internals")
struct EncodingTests {
    @Test func base64RoundTrip() {
        for length in 0..<70 {
            let bytes = SecureRandom.bytes(length)
            let encoded = Base64URLCodec.encode(bytes)
            #expect(encoded == Base64URL.encode(bytes))
            #expect(Base64URLCodec.decode(encoded) == bytes)
        }
        #expect(Base64URLCodec.decode("A") == nil)
        #expect(Base64URLCodec.decode("AB") == nil)   // non-zero trailing bits
        #expect(Base64URLCodec.decode("AA") == [0])
        #expect(Base64URLCodec.decode("AA==") == nil)
        #expect(Base64URLCodec.decode("A+AA") == nil)
    }

    @Test func jsonParserAndWriter() throws {
        let text = #" {"a": [1, -2.5e3, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"], "b": {}} "#
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(value == ["a": [1, -2500.0, true, false, nil, "x\"\\/\u{8}\u{c}\n\r\té😀"], "b": [:]])
        var out: [UInt8] = []
        JSONWriter.write(value, into: &out)
        #expect(try JSONParser.parse(out) == value)
        for bad in ["", "01", "1.", "-", "[1,]", "{\"a\" 1}", "\"\u{1}\"", "tru", "[1] [2]", "\"\\x\"", "\"\\udc00\"", "1e"] {
            #expect(throws: JOSEError(.invalidJSON), "\(bad)") { try JSONParser.parse(Array(bad.utf8)) }
        }
        #expect(throws: JOSEError(.invalidJSON)) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }  // invalid UTF-8
    }
}

import Foundation
import GatehouseCrypto
import Testing
@testable import GatehouseJOSE

@Suite("RFC test vectors")
struct RFCVectorTests {
    private func publicSet(_ file: String) throws -> VerificationKeySet {
        VerificationKeySet([try VerificationKey(jwk: JWK(json: Vectors.json(file, "publicJWK")))])
    }

    @Test("RFC 7515 A.2: RS256 example verifies")
    func rfc7515A2() throws {
        let file = "rfc7515-a2-rs256.json"
        let verified = try JWS.verify(try Vectors.string(file, "compact"), keys: publicSet(file),
                                      options: JWSVerificationOptions(allowedAlgorithms: [.rs256]))
        #expect(verified.header.algorithm == .rs256)
        #expect(String(decoding: verified.payload, as: UTF8.self) == (try Vectors.string(file, "payload")))
    }

    @Test("RFC 7515 A.2: RS256 signing is byte-exact (PKCS#1 v1.5 is deterministic)")
    func rfc7515A2Sign() throws {
        let file = "rfc7515-a2-rs256.json"
        let key = try SigningKey(jwk: Vectors.json(file, "privateJWK"), algorithm: .rs256)
        let compact = try Vectors.string(file, "compact")
        let input = compact.split(separator: ".").prefix(2).joined(separator: ".")
        let expected = Base64URL.decode(compact.split(separator: ".")[2])!
        #expect(try key.sign(Array(input.utf8)) == expected)
    }

    @Test("RFC 7515 A.3: ES256 example verifies")
    func rfc7515A3() throws {
        let file = "rfc7515-a3-es256.json"
        let verified = try JWS.verify(try Vectors.string(file, "compact"), keys: publicSet(file),
                                      options: JWSVerificationOptions(allowedAlgorithms: [.es256]))
        #expect(verified.header.algorithm == .es256)
        let claims = try JWTClaims(json: verified.payload)
        #expect(claims.issuer == "joe")
        #expect(claims.expiresAt == Date(timeIntervalSince1970: 1_300_819_380))
        #expect(claims.additional["http://example.com/is_root"] == .bool(true))
    }

    @Test("RFC 7515 A.3: the private key signs tokens its public key verifies")
    func rfc7515A3Sign() throws {
        let file = "rfc7515-a3-es256.json"
        let key = try SigningKey(jwk: Vectors.json(file, "privateJWK"))
        #expect(key.algorithm == .es256)
        let token = try JWS.sign(payload: Array("x".utf8), header: JWSHeader(algorithm: .es256), key: key)
        _ = try JWS.verify(token, keys: publicSet(file), options: JWSVerificationOptions(allowedAlgorithms: [.es256]))
    }

    @Test("RFC 8037 A.1/A.2: the private key derives the published public key")
    func rfc8037Keys() throws {
        let file = "rfc8037-a-ed25519.json"
        let key = try SigningKey(jwk: Vectors.json(file, "privateJWK"))
        #expect(key.algorithm == .edDSA)
        #expect(key.publicJWK.x == (try JWK(json: Vectors.json(file, "publicJWK")).x))
    }

    @Test("RFC 8037 A.3: Ed25519 thumbprint")
    func rfc8037Thumbprint() throws {
        let file = "rfc8037-a-ed25519.json"
        let jwk = try JWK(json: Vectors.json(file, "publicJWK"))
        let thumbprint = try jwk.thumbprint()
        #expect(thumbprint == (try Vectors.string(file, "thumbprint")))
        #expect(Base64URL.decode(thumbprint)!.hexString == (try Vectors.string(file, "thumbprintHex")))
        #expect(try SigningKey(jwk: Vectors.json(file, "privateJWK")).keyID == thumbprint)
    }

    @Test("RFC 8037 A.4: EdDSA signing is byte-exact")
    func rfc8037Sign() throws {
        let file = "rfc8037-a-ed25519.json"
        let key = try SigningKey(jwk: Vectors.json(file, "privateJWK"))
        let header = JWSHeader(algorithm: .edDSA)
        #expect(header.encoded() == Array((try Vectors.string(file, "protectedHeader")).utf8))
        let token = try JWS.sign(payload: Array((try Vectors.string(file, "payload")).utf8), header: header, key: key)
        #expect(token == (try Vectors.string(file, "compact")))
    }

    @Test("RFC 8037 A.5: EdDSA example verifies")
    func rfc8037Verify() throws {
        let file = "rfc8037-a-ed25519.json"
        let verified = try JWS.verify(try Vectors.string(file, "compact"), keys: publicSet(file),
                                      options: JWSVerificationOptions(allowedAlgorithms: [.edDSA]))
        #expect(String(decoding: verified.payload, as: UTF8.self) == "Example of Ed25519 signing")
    }

    @Test("RFC 7638 §3.1: RSA thumbprint")
    func rfc7638() throws {
        let file = "rfc7638-3.1-thumbprint.json"
        let jwk = try JWK(json: Vectors.json(file, "jwk"))
        #expect(try jwk.thumbprint() == (try Vectors.string(file, "thumbprint")))
        #expect(try jwk.thumbprint() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        // kid and alg are not required members and do not change the thumbprint.
        #expect(try VerificationKey(jwk: jwk).thumbprint == (try jwk.thumbprint()))
    }
}

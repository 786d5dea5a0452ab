import COpenSSL
import Foundation
import GatehouseCrypto
import Testing
@testable import GatehouseJOSE

/// Regressions for tokens an attacker controls end to end (RFC 8725 §2, §3).
@Suite("Hostile JWS input")
struct HostileInputTests {
    let key = SharedKeys.es256
    let keys = VerificationKeySet([SharedKeys.es256.verificationKey, SharedKeys.rs256.verificationKey])
    let options = JWSVerificationOptions(allowedAlgorithms: [.es256, .rs256])
    let claims = #"{"iss":"https://sso.example","exp":1800000300}"#

    private func header(_ alg: String, kid: String? = nil, extra: String = "") -> String {
        #"{"alg":"\#(alg)""# + (kid.map { #","kid":"\#($0)""# } ?? "") + extra + "}"
    }

    private func rejects(_ code: JOSEError.Code, _ token: String, options: JWSVerificationOptions? = nil) {
        #expect(throws: JOSEError(code)) { try JWS.verify(token, keys: keys, options: options ?? self.options) }
    }

    @Test func validTokenVerifies() throws {
        let token = try Forge.token(header: header("ES256", kid: key.keyID), payload: claims, key: key)
        #expect(try JWS.verify(token, keys: keys, options: options).key.keyID == key.keyID)
    }

    @Test("alg none, with and without a signature")
    func algNone() throws {
        let unsigned = Forge.b64(#"{"alg":"none"}"#) + "." + Forge.b64(claims) + "."
        rejects(.unsupportedAlgorithm, unsigned)
        rejects(.unsupportedAlgorithm, try Forge.token(header: #"{"alg":"none"}"#, payload: claims, key: key))
        rejects(.unsupportedAlgorithm, try Forge.token(header: #"{"alg":"None"}"#, payload: claims, key: key))
    }

    @Test("alg confusion: HS256 keyed with the RSA public key is refused")
    func hmacWithPublicKey() throws {
        let rsa = SharedKeys.rs256
        let publicKeyBytes = Array(try rsa.publicJWK.jsonData())
        for secret in [publicKeyBytes, Base64URL.decode(rsa.publicJWK.n!)!] {
            let input = Forge.b64(header("HS256", kid: rsa.keyID)) + "." + Forge.b64(claims)
            let mac = Digest.hmacSHA256(key: secret, message: Array(input.utf8))
            rejects(.unsupportedAlgorithm, input + "." + Base64URL.encode(mac))
        }
    }

    @Test("an algorithm outside the allow-list is refused even with a valid signature")
    func notAllowed() throws {
        let token = try Forge.token(header: header("ES256", kid: key.keyID), payload: claims, key: key)
        rejects(.algorithmNotAllowed, token, options: JWSVerificationOptions(allowedAlgorithms: [.rs256]))
        let ed = try Forge.token(header: header("EdDSA"), payload: claims, key: SharedKeys.edDSA)
        rejects(.algorithmNotAllowed, ed)
    }

    @Test("RS256 header naming an EC key, ES256 header naming an RSA key")
    func algorithmKeyMismatch() throws {
        rejects(.algorithmKeyMismatch, try Forge.token(header: header("RS256", kid: key.keyID), payload: claims, key: SharedKeys.rs256))
        rejects(.algorithmKeyMismatch, try Forge.token(header: header("ES256", kid: SharedKeys.rs256.keyID), payload: claims, key: key))
        rejects(.algorithmKeyMismatch, try Forge.token(header: header("PS256", kid: SharedKeys.rs256.keyID), payload: claims, key: SharedKeys.rs256),
                options: JWSVerificationOptions(allowedAlgorithms: [.ps256]))  // the RSA JWK pins alg RS256
    }

    @Test("unknown kid; attacker's key embedded as jwk or referenced by jku is never used")
    func embeddedKeys() throws {
        let attacker = SharedKeys.otherES256
        let jwk = String(decoding: try attacker.publicJWK.jsonData(), as: UTF8.self)
        rejects(.keyNotFound, try Forge.token(header: header("ES256", kid: attacker.keyID, extra: #","jwk":\#(jwk)"#), payload: claims, key: attacker))
        rejects(.invalidSignature, try Forge.token(header: header("ES256", extra: #","jwk":\#(jwk)"#), payload: claims, key: attacker))
        rejects(.invalidSignature, try Forge.token(header: header("ES256", extra: #","jku":"https://evil.example/jwks","x5u":"https://evil.example/c""#), payload: claims, key: attacker))
    }

    @Test("crit: unknown, registered, absent, malformed, and understood")
    func critical() throws {
        rejects(.unsupportedCriticalHeader, try Forge.token(header: header("ES256", extra: #","crit":["exp"],"exp":1"#), payload: claims, key: key))
        rejects(.unsupportedCriticalHeader, try Forge.token(header: header("ES256", extra: #","crit":["kid"]"#), payload: claims, key: key))
        rejects(.unsupportedCriticalHeader, try Forge.token(header: header("ES256", extra: #","crit":[]"#), payload: claims, key: key))
        rejects(.unsupportedCriticalHeader, try Forge.token(header: header("ES256", extra: #","crit":"b64""#), payload: claims, key: key))
        let understood = JWSVerificationOptions(allowedAlgorithms: [.es256], understoodCriticalHeaders: ["urn:gh:x"])
        rejects(.unsupportedCriticalHeader, try Forge.token(header: header("ES256", extra: #","crit":["urn:gh:x"]"#), payload: claims, key: key), options: understood)
        let ok = try Forge.token(header: header("ES256", extra: #","crit":["urn:gh:x"],"urn:gh:x":true"#), payload: claims, key: key)
        #expect(try JWS.verify(ok, keys: keys, options: understood).header.critical == ["urn:gh:x"])
    }

    @Test("oversized token, configurable limit")
    func oversized() throws {
        let big = try Forge.token(header: header("ES256"), payload: #"{"pad":""# + String(repeating: "a", count: 16 * 1024) + #""}"#, key: key)
        rejects(.tokenTooLarge, big)
        let small = try Forge.token(header: header("ES256"), payload: claims, key: key)
        rejects(.tokenTooLarge, small, options: JWSVerificationOptions(allowedAlgorithms: [.es256], maximumTokenLength: 64))
    }

    @Test("wrong number of segments", arguments: ["a.b", "a.b.c.d", "a", "", "..", ".b.c", "a.b.c.d.e"])
    func segments(_ token: String) {
        #expect(throws: JOSEError.self) { try JWS.verify(token, keys: keys, options: options) }
    }

    @Test func twoAndFourSegments() throws {
        let token = try Forge.token(header: header("ES256"), payload: claims, key: key)
        let parts = token.split(separator: ".")
        rejects(.malformedToken, parts[0] + "." + parts[1])
        rejects(.malformedToken, token + "." + parts[2])
    }

    @Test("non-canonical or invalid base64url")
    func base64() throws {
        let token = try Forge.token(header: header("ES256", kid: key.keyID), payload: claims, key: key)
        let parts = token.split(separator: ".").map(String.init)
        rejects(.invalidBase64URL, parts[0] + "=." + parts[1] + "." + parts[2])
        rejects(.invalidBase64URL, parts[0] + "." + parts[1] + "." + parts[2] + "==")
        rejects(.invalidBase64URL, parts[0] + "." + parts[1].replacingOccurrences(of: "e", with: "+") + "." + parts[2])
        rejects(.invalidBase64URL, parts[0] + "." + parts[1] + "." + parts[2].dropLast() + " ")
        // 64 signature bytes end in a 2-character group whose last 4 bits must be zero.
        let last = parts[2].last!
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let sloppy = alphabet[alphabet.firstIndex(of: last)! + 1]
        rejects(.invalidBase64URL, parts[0] + "." + parts[1] + "." + parts[2].dropLast() + String(sloppy))
    }

    @Test("header: not an object, duplicate members, bad JSON, wrong member types")
    func headers() throws {
        rejects(.invalidHeader, try Forge.token(header: #"["ES256"]"#, payload: claims, key: key))
        rejects(.invalidHeader, try Forge.token(header: #""ES256""#, payload: claims, key: key))
        rejects(.invalidJSON, try Forge.token(header: #"{"alg":"ES256","alg":"none"}"#, payload: claims, key: key))
        rejects(.invalidJSON, try Forge.token(header: #"{"alg":"ES256","kid":"a","kid":"b"}"#, payload: claims, key: key))
        rejects(.invalidJSON, try Forge.token(header: #"{"alg":"ES256",}"#, payload: claims, key: key))
        rejects(.invalidJSON, try Forge.token(header: #"{"alg":"ES256"} x"#, payload: claims, key: key))
        rejects(.invalidJSON, try Forge.token(header: "{\"alg\":\"ES256\",\"x\":\"\\ud800\"}", payload: claims, key: key))
        rejects(.invalidHeader, try Forge.token(header: #"{"alg":256}"#, payload: claims, key: key))
        rejects(.invalidHeader, try Forge.token(header: #"{"kid":"x"}"#, payload: claims, key: key))
        rejects(.invalidHeader, try Forge.token(header: #"{"alg":"ES256","kid":7}"#, payload: claims, key: key))
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        rejects(.invalidJSON, try Forge.token(header: #"{"alg":"ES256","x":\#(deep)}"#, payload: claims, key: key))
    }

    @Test("signature: wrong length, empty, garbage, r or s out of range")
    func signatures() throws {
        let token = try Forge.token(header: header("ES256", kid: key.keyID), payload: claims, key: key)
        let signature = Forge.signature(of: token)
        rejects(.invalidSignature, Forge.replacingSignature(of: token, with: Array(signature.dropLast())))
        rejects(.invalidSignature, Forge.replacingSignature(of: token, with: signature + [0]))
        rejects(.invalidSignature, Forge.replacingSignature(of: token, with: []))
        rejects(.invalidSignature, Forge.replacingSignature(of: token, with: [UInt8](repeating: 0xFF, count: 64)))
        rejects(.invalidSignature, Forge.replacingSignature(of: token, with: [UInt8](repeating: 0, count: 64)))
        rejects(.invalidSignature, Forge.replacingSignature(of: token, with: SecureRandom.bytes(64)))
        var flipped = signature
        flipped[10] ^= 1
        rejects(.invalidSignature, Forge.replacingSignature(of: token, with: flipped))
        // DER instead of r || s.
        rejects(.invalidSignature, Forge.replacingSignature(of: token, with: [0x30, 0x44, 0x02, 0x20] + signature.prefix(32) + [0x02, 0x20] + signature.suffix(32)))
        let n = P256Order.bytes
        rejects(.invalidSignature, Forge.replacingSignature(of: token, with: Array(signature.prefix(32)) + n))  // s = n
        rejects(.invalidSignature, Forge.replacingSignature(of: token, with: n + Array(signature.suffix(32))))  // r = n
    }

    @Test("ECDSA high-S: the mirrored s = n - s is a valid ECDSA signature; JOSE does not require low-S")
    func highS() throws {
        let token = try Forge.token(header: header("ES256", kid: key.keyID), payload: claims, key: key)
        let signature = Forge.signature(of: token)
        let mirrored = Array(signature.prefix(32)) + P256Order.minus(Array(signature.suffix(32)))
        // Accepted on purpose: third-party signers (OpenSSL, Go, Python) emit either form, so
        // applications must identify tokens by jti, never by the token's bytes.
        #expect(throws: Never.self) { try JWS.verify(Forge.replacingSignature(of: token, with: mirrored), keys: keys, options: options) }
    }

    @Test("a tampered payload or header fails the signature")
    func tampering() throws {
        let token = try Forge.token(header: header("ES256", kid: key.keyID), payload: claims, key: key)
        let parts = token.split(separator: ".").map(String.init)
        rejects(.invalidSignature, parts[0] + "." + Forge.b64(#"{"iss":"https://sso.example","exp":1900000000}"#) + "." + parts[2])
        rejects(.invalidSignature, Forge.b64(header("ES256", kid: key.keyID, extra: #","typ":"JWT""#)) + "." + parts[1] + "." + parts[2])
    }
}

/// The order of the P-256 group, read from OpenSSL rather than typed in.
enum P256Order {
    static let bytes: [UInt8] = {
        let group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1)!
        defer { EC_GROUP_free(group) }
        var out = [UInt8](repeating: 0, count: 32)
        _ = BN_bn2binpad(EC_GROUP_get0_order(group), &out, 32)
        return out
    }()

    /// n - value, 32 bytes.
    static func minus(_ value: [UInt8]) -> [UInt8] {
        let n = BN_bin2bn(bytes, 32, nil)!, v = BN_bin2bn(value, 32, nil)!, r = BN_new()!
        defer { BN_free(n); BN_free(v); BN_free(r) }
        _ = BN_sub(r, n, v)
        var out = [UInt8](repeating: 0, count: 32)
        _ = BN_bn2binpad(r, &out, 32)
        return out
    }
}

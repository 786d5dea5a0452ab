import COpenSSL
import Foundation
import GatehouseJOSE

/// JWT signing and verification through GatehouseJOSE, each next to the raw OpenSSL
/// `EVP_DigestSign` / `EVP_DigestVerify` rate for the same key and the same signing input
/// (a fresh `EVP_MD_CTX` per operation, as an application calling OpenSSL directly would).
enum JOSEBench {
    static let rounds = 4
    static let roundSeconds = 0.5

    static func run() async throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let claims = JWTClaims(
            issuer: "https://sso.example.gov.vn", subject: "6f0d3c1e-8a52-4c1b-9a3e-2f6b1d7c9e10", audience: "cong-van",
            expiresAt: now + 600, issuedAt: now, jwtID: "Yk3l0c2V4dC1qdGktMDAwMDAwMDE",
            additional: ["client_id": "cong-van", "scope": "openid profile", "sid": "c2lkLTAwMDE",
                         "roles": ["clerk@/ha-noi", "admin@/ha-noi/phuong-ba-dinh"]])
        for algorithm in [JWSAlgorithm.es256, .edDSA, .rs256] {
            let key = try SigningKey.generate(algorithm)
            let signer = JWTSigner(key: key, type: "at+jwt")
            let verifier = JWTVerifier(
                keys: VerificationKeySet([try VerificationKey(jwk: key.publicJWK)]), allowedAlgorithms: [algorithm],
                validator: JWTValidator(issuer: "https://sso.example.gov.vn", audience: "cong-van", type: "at+jwt"))
            let token = try signer.sign(claims)
            let signingInput = Array(token.utf8[..<token.utf8.lastIndex(of: UInt8(ascii: "."))!])
            let raw = try RawOpenSSL(pem: key.pemRepresentation(), algorithm: algorithm)
            let nativeSignature = try raw.sign(signingInput)
            precondition(raw.verify(nativeSignature, signingInput), "raw OpenSSL verification failed")
            _ = try verifier.verify(token, now: now)

            // Raw and JOSE alternate in short rounds and the best round of each counts, so a
            // burst of load from other processes does not land on one side only.
            var rawSign = 0.0, joseSign = 0.0, rawVerify = 0.0, joseVerify = 0.0
            for _ in 0..<rounds {
                rawSign = max(rawSign, try opsPerSecond(seconds: roundSeconds) { _ = try raw.sign(signingInput) })
                joseSign = max(joseSign, try opsPerSecond(seconds: roundSeconds) { _ = try signer.sign(claims) })
                rawVerify = max(rawVerify, opsPerSecond(seconds: roundSeconds) { precondition(raw.verify(nativeSignature, signingInput)) })
                joseVerify = max(joseVerify, try opsPerSecond(seconds: roundSeconds) { _ = try verifier.verify(token, now: now) })
            }
            report("\(algorithm) sign, raw EVP_DigestSign", rawSign, "ops/s")
            report("\(algorithm) sign, JWTSigner (compact JWT)", joseSign, "ops/s (\(percent(joseSign, rawSign)) of raw)")
            report("\(algorithm) verify, raw EVP_DigestVerify", rawVerify, "ops/s")
            report("\(algorithm) verify, JWTVerifier (+ claims)", joseVerify, "ops/s (\(percent(joseVerify, rawVerify)) of raw)")
        }
        print("token size, ES256 access token: \(try JWTSigner(key: SigningKey.generate(.es256), type: "at+jwt").sign(claims).utf8.count) bytes")
    }

    private static func percent(_ a: Double, _ b: Double) -> String { String(format: "%.0f%%", 100 * a / b) }
}

public import Foundation
internal import COpenSSL

extension SigningKey {
    /// Imports a private JWK (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2): `EC` P-256 with `d`,
    /// `OKP` Ed25519 with `d`, or `RSA` with `d`, `p`, `q`, `dp`, `dq`, `qi`.
    ///
    /// `algorithm` defaults to the JWK's `alg`, then to ES256, EdDSA or RS256 by key type.
    /// Gatehouse stores its own keys as PEM; this exists for interoperability and test vectors.
    public convenience init(jwk json: Data, algorithm: JWSAlgorithm? = nil) throws {
        let jwk: PrivateJWK
        do { jwk = try JSONDecoder().decode(PrivateJWK.self, from: json) } catch {
            throw JOSEError(.invalidKey, "not a private JWK: \(error)")
        }
        let member = JWKMember.decode
        let pkey: OpaquePointer
        let family: KeyFamily
        switch (jwk.kty, jwk.crv) {
        case ("EC", "P-256"):
            family = .p256
            pkey = try P256.privateKey(d: try member(jwk.d, "d"), x: try member(jwk.x, "x"), y: try member(jwk.y, "y"))
        case ("OKP", "Ed25519"):
            family = .ed25519
            pkey = try Ed25519.privateKey(d: try member(jwk.d, "d"), x: try jwk.x.map { try member($0, "x") })
        case ("RSA", _):
            family = .rsa
            pkey = try RSAKeys.privateKey(
                n: try member(jwk.n, "n"), e: try member(jwk.e, "e"), d: try member(jwk.d, "d"),
                p: try member(jwk.p, "p"), q: try member(jwk.q, "q"), dp: try member(jwk.dp, "dp"),
                dq: try member(jwk.dq, "dq"), qi: try member(jwk.qi, "qi"))
        default:
            throw JOSEError(.invalidKey, "unsupported private JWK kty \(jwk.kty) crv \(jwk.crv ?? "-")")
        }
        let chosen: JWSAlgorithm
        if let algorithm {
            chosen = algorithm
        } else if let name = jwk.alg {
            do { chosen = try JWSAlgorithm(parsing: name) } catch { EVP_PKEY_free(pkey); throw error }
        } else {
            chosen = family.algorithms[0]
        }
        try self.init(owning: pkey, algorithm: chosen)
    }
}

/// The members of a private JWK; decoded only inside ``SigningKey/init(jwk:algorithm:)``.
private struct PrivateJWK: Decodable {
    var kty: String
    var crv: String?
    var alg: String?
    var x: String?, y: String?, d: String?
    var n: String?, e: String?, p: String?, q: String?, dp: String?, dq: String?, qi: String?
}

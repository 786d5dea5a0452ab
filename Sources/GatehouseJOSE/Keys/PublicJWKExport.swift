internal import COpenSSL

/// Reads the public half of an `EVP_PKEY` as a JWK (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2).
enum PublicJWKExport {
    /// The public JWK of `pkey`, without `kid`, `alg` or `use`.
    static func jwk(of pkey: OpaquePointer, family: KeyFamily) throws -> JWK {
        switch family {
        case .p256:
            let (x, y) = try P256.coordinates(of: pkey)
            return JWK(keyType: "EC", curve: "P-256", x: Base64URLCodec.encode(x), y: Base64URLCodec.encode(y))
        case .ed25519:
            return JWK(keyType: "OKP", curve: "Ed25519", x: Base64URLCodec.encode(try Ed25519.publicBytes(of: pkey)))
        case .rsa:
            let (n, e) = try RSAKeys.components(of: pkey)
            return JWK(keyType: "RSA", n: Base64URLCodec.encode(n), e: Base64URLCodec.encode(e))
        }
    }
}

internal import COpenSSL

/// RSA keys for RS256 and PS256 (RFC 7518 §3.3, §3.5, §6.3).
enum RSAKeys {
    /// The smallest modulus accepted or generated (RFC 7518 §3.3: "2048 bits or larger MUST be used").
    static let minimumBits = 2048

    /// A fresh key pair with `bits` of modulus and e = 65537.
    static func generate(bits: Int) throws -> OpaquePointer {
        guard bits >= minimumBits else { throw JOSEError(.weakKey, "RSA keys must have at least \(minimumBits) bits") }
        return try EVPKeyInfo.generate(type: "RSA") { gh_EVP_PKEY_CTX_set_rsa_keygen_bits($0, Int32(bits)) == 1 }
    }

    /// A public key from the JWK `n` and `e` (RFC 7518 §6.3.1). Both must be minimal
    /// big-endian (no leading zero octet), `n` at least 2048 bits, and `e` odd and at least 3.
    static func publicKey(n: [UInt8], e: [UInt8]) throws -> OpaquePointer {
        try validatePublic(n: n, e: e)
        return try build(selection: EVPKeyInfo.publicKeySelection, [("n", n), ("e", e)])
    }

    /// A key pair from all JWK private members (RFC 7518 §6.3.2); multi-prime `oth` is not supported.
    static func privateKey(n: [UInt8], e: [UInt8], d: [UInt8], p: [UInt8], q: [UInt8], dp: [UInt8], dq: [UInt8], qi: [UInt8]) throws -> OpaquePointer {
        try validatePublic(n: n, e: e)
        let pkey = try build(selection: EVPKeyInfo.keyPairSelection, [
            ("n", n), ("e", e), ("d", d), ("rsa-factor1", p), ("rsa-factor2", q),
            ("rsa-exponent1", dp), ("rsa-exponent2", dq), ("rsa-coefficient1", qi),
        ])
        try KeyPairCheck.run(pkey)
        return pkey
    }

    /// `(n, e)` as minimal big-endian bytes.
    static func components(of pkey: OpaquePointer) throws -> (n: [UInt8], e: [UInt8]) {
        (try EVPKeyInfo.bigNumber("n", of: pkey), try EVPKeyInfo.bigNumber("e", of: pkey))
    }

    private static func validatePublic(n: [UInt8], e: [UInt8]) throws {
        guard let first = n.first, first != 0, let eFirst = e.first, eFirst != 0, e.count <= 8 else {
            throw JOSEError(.invalidKey, "RSA n and e must be non-empty minimal big-endian integers (RFC 7518 §6.3.1)")
        }
        let bits = (n.count - 1) * 8 + (8 - first.leadingZeroBitCount)
        guard bits >= minimumBits else { throw JOSEError(.weakKey, "RSA modulus has \(bits) bits; at least \(minimumBits) are required") }
        guard e.last! & 1 == 1, e.count > 1 || eFirst >= 3 else { throw JOSEError(.invalidKey, "RSA exponent must be odd and at least 3") }
    }

    private static func build(selection: Int32, _ members: [(StaticString, [UInt8])]) throws -> OpaquePointer {
        var numbers: [OpaquePointer] = []
        defer { numbers.forEach { BN_clear_free($0) } }
        for (name, bytes) in members {
            guard !bytes.isEmpty, let bn = BN_bin2bn(bytes, Int32(bytes.count), nil) else {
                throw JOSEError(.invalidKey, "RSA member \(name) is empty")
            }
            numbers.append(bn)
        }
        return try EVPKeyInfo.fromData(type: "RSA", selection: selection) { builder in
            zip(members, numbers).allSatisfy { member, bn in OSSL_PARAM_BLD_push_BN(builder, EVPKeyInfo.cString(member.0), bn) == 1 }
        }
    }
}

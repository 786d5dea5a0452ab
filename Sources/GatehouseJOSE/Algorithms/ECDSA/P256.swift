internal import COpenSSL

/// P-256 keys for ES256 (RFC 7518 §3.4, §6.2), built and read through EVP only.
enum P256 {
    /// Size of one coordinate, of `d`, and of each of `r` and `s`.
    static let coordinateLength = 32

    /// A fresh key pair.
    static func generate() throws -> OpaquePointer {
        try EVPKeyInfo.generate(type: "EC") { EVP_PKEY_CTX_set_group_name($0, "P-256") == 1 }
    }

    /// A public key from the JWK coordinates; refuses wrong lengths and points off the curve.
    static func publicKey(x: [UInt8], y: [UInt8]) throws -> OpaquePointer {
        guard x.count == coordinateLength, y.count == coordinateLength else {
            throw JOSEError(.invalidKey, "P-256 x and y must each be 32 bytes (RFC 7518 §6.2.1.2)")
        }
        let point = [0x04] + x + y  // SEC 1 §2.3.3 uncompressed point
        let pkey = try point.withUnsafeBytes { pointBytes in
            try EVPKeyInfo.fromData(type: "EC", selection: EVPKeyInfo.publicKeySelection) { builder in
                OSSL_PARAM_BLD_push_utf8_string(builder, EVPKeyInfo.cString("group"), EVPKeyInfo.cString("prime256v1"), 0) == 1
                    && OSSL_PARAM_BLD_push_octet_string(builder, EVPKeyInfo.cString("pub"), pointBytes.baseAddress, pointBytes.count) == 1
            }
        }
        do {
            try EVPKeyInfo.checkPublic(pkey)
        } catch {
            EVP_PKEY_free(pkey)
            throw JOSEError(.invalidKey, "P-256 point is not on the curve")
        }
        return pkey
    }

    /// A key pair from the JWK private scalar `d` and its coordinates (RFC 7518 §6.2.2.1).
    static func privateKey(d: [UInt8], x: [UInt8], y: [UInt8]) throws -> OpaquePointer {
        guard d.count == coordinateLength, x.count == coordinateLength, y.count == coordinateLength else {
            throw JOSEError(.invalidKey, "P-256 d, x and y must each be 32 bytes (RFC 7518 §6.2)")
        }
        let point = [0x04] + x + y
        guard let scalar = BN_bin2bn(d, Int32(d.count), nil) else { throw OpenSSLError.error(.cryptoFailure, "BN_bin2bn") }
        defer { BN_clear_free(scalar) }
        let pkey = try point.withUnsafeBytes { pointBytes in
            try EVPKeyInfo.fromData(type: "EC", selection: EVPKeyInfo.keyPairSelection) { builder in
                OSSL_PARAM_BLD_push_utf8_string(builder, EVPKeyInfo.cString("group"), EVPKeyInfo.cString("prime256v1"), 0) == 1
                    && OSSL_PARAM_BLD_push_octet_string(builder, EVPKeyInfo.cString("pub"), pointBytes.baseAddress, pointBytes.count) == 1
                    && OSSL_PARAM_BLD_push_BN(builder, EVPKeyInfo.cString("priv"), scalar) == 1
            }
        }
        try KeyPairCheck.run(pkey)
        return pkey
    }

    /// The public coordinates `(x, y)`, each 32 bytes.
    static func coordinates(of pkey: OpaquePointer) throws -> (x: [UInt8], y: [UInt8]) {
        (try EVPKeyInfo.bigNumber("qx", of: pkey, width: coordinateLength),
         try EVPKeyInfo.bigNumber("qy", of: pkey, width: coordinateLength))
    }
}

/// Checks that a private and public half belong together (`EVP_PKEY_pairwise_check`); frees `pkey` on failure.
enum KeyPairCheck {
    static func run(_ pkey: OpaquePointer) throws {
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else {
            EVP_PKEY_free(pkey)
            throw OpenSSLError.error(.cryptoFailure, "EVP_PKEY_CTX_new_from_pkey")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_pairwise_check(ctx) == 1 else {
            EVP_PKEY_free(pkey)
            throw OpenSSLError.error(.invalidKey, "private and public key members do not match")
        }
    }
}

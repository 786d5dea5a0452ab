internal import COpenSSL

/// Key-type questions asked of a raw `EVP_PKEY*`, independent of who owns it.
enum EVPKeyInfo {
    /// The JOSE key family of `pkey`, or `nil` for a type Gatehouse does not use.
    static func family(of pkey: OpaquePointer) -> KeyFamily? {
        if EVP_PKEY_is_a(pkey, "EC") == 1 {
            return groupName(of: pkey).map { $0 == "prime256v1" || $0 == "P-256" } == true ? .p256 : nil
        }
        if EVP_PKEY_is_a(pkey, "ED25519") == 1 { return .ed25519 }
        if EVP_PKEY_is_a(pkey, "RSA") == 1 { return .rsa }
        return nil
    }

    /// The curve name of an EC key (`prime256v1` for P-256).
    static func groupName(of pkey: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_group_name(pkey, &buffer, buffer.count, &length) == 1 else {
            OpenSSLError.clear()
            return nil
        }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Modulus size in bits for RSA, curve size for EC.
    static func bits(of pkey: OpaquePointer) -> Int { Int(EVP_PKEY_get_bits(pkey)) }

    /// Maximum signature size in bytes (the modulus length for RSA).
    static func signatureSize(of pkey: OpaquePointer) -> Int { Int(EVP_PKEY_get_size(pkey)) }

    /// A BIGNUM parameter (`n`, `e`, `qx`, `qy`) as minimal big-endian bytes, or padded to `width`.
    static func bigNumber(_ name: String, of pkey: OpaquePointer, width: Int? = nil) throws -> [UInt8] {
        var bn: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pkey, name, &bn) == 1, let bn else {
            throw OpenSSLError.error(.cryptoFailure, "cannot read key parameter \(name)")
        }
        defer { BN_free(bn) }
        let natural = Int((BN_num_bits(bn) + 7) / 8)
        let length = width ?? natural
        guard natural <= length else { throw JOSEError(.invalidKey, "key parameter \(name) is longer than \(length) bytes") }
        var out = [UInt8](repeating: 0, count: length)
        guard length == 0 || BN_bn2binpad(bn, &out, Int32(length)) == Int32(length) else {
            throw OpenSSLError.error(.cryptoFailure, "cannot encode key parameter \(name)")
        }
        return out
    }

    /// `EVP_PKEY_PUBLIC_KEY` (a macro Swift cannot import): domain parameters plus the public key.
    static let publicKeySelection = Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS | OSSL_KEYMGMT_SELECT_PUBLIC_KEY)
    /// `EVP_PKEY_KEYPAIR`: the public selection plus the private key.
    static let keyPairSelection = publicKeySelection | Int32(OSSL_KEYMGMT_SELECT_PRIVATE_KEY)

    /// A C string with static lifetime. `OSSL_PARAM_BLD_push_*` keeps the name (and string
    /// value) pointers until `OSSL_PARAM_BLD_to_param`, so temporary bridged Swift strings would dangle.
    static func cString(_ s: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// Builds an `EVP_PKEY` of type `typeName` from an `OSSL_PARAM` list made by `build`.
    /// The caller owns the returned key.
    static func fromData(
        type typeName: String, selection: Int32, _ build: (OpaquePointer) -> Bool
    ) throws -> OpaquePointer {
        guard let builder = OSSL_PARAM_BLD_new() else { throw OpenSSLError.error(.cryptoFailure, "OSSL_PARAM_BLD_new") }
        defer { OSSL_PARAM_BLD_free(builder) }
        guard build(builder), let params = OSSL_PARAM_BLD_to_param(builder) else {
            throw OpenSSLError.error(.invalidKey, "cannot build \(typeName) key parameters")
        }
        defer { OSSL_PARAM_free(params) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            throw OpenSSLError.error(.cryptoFailure, "EVP_PKEY_CTX_new_from_name(\(typeName))")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_fromdata_init(ctx) == 1, EVP_PKEY_fromdata(ctx, &pkey, selection, params) == 1, let pkey else {
            throw OpenSSLError.error(.invalidKey, "OpenSSL rejected the \(typeName) key")
        }
        return pkey
    }

    /// Runs OpenSSL's public-key validation (for EC: on the curve, in the prime-order subgroup).
    static func checkPublic(_ pkey: OpaquePointer) throws {
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else {
            throw OpenSSLError.error(.cryptoFailure, "EVP_PKEY_CTX_new_from_pkey")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_public_check(ctx) == 1 else { throw OpenSSLError.error(.invalidKey, "public key check failed") }
    }

    /// Generates a key with `EVP_PKEY_keygen`, after `configure` set its parameters.
    static func generate(type typeName: String, _ configure: (OpaquePointer) -> Bool = { _ in true }) throws -> OpaquePointer {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            throw OpenSSLError.error(.cryptoFailure, "EVP_PKEY_CTX_new_from_name(\(typeName))")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, configure(ctx), EVP_PKEY_generate(ctx, &pkey) == 1, let pkey else {
            throw OpenSSLError.error(.cryptoFailure, "\(typeName) key generation failed")
        }
        return pkey
    }
}

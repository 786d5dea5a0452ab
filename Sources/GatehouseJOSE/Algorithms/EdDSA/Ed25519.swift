internal import COpenSSL

/// Ed25519 keys for EdDSA (RFC 8037 §2, §3.1; RFC 8032 §5.1).
enum Ed25519 {
    /// Size of the public key `x` and of the private seed `d`.
    static let keyLength = 32

    /// A fresh key pair.
    static func generate() throws -> OpaquePointer { try EVPKeyInfo.generate(type: "ED25519") }

    /// A public key from the 32-byte JWK `x` (RFC 8037 §2).
    static func publicKey(x: [UInt8]) throws -> OpaquePointer {
        guard x.count == keyLength else { throw JOSEError(.invalidKey, "Ed25519 x must be 32 bytes (RFC 8037 §2)") }
        guard let pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, x, x.count) else {
            throw OpenSSLError.error(.invalidKey, "OpenSSL rejected the Ed25519 public key")
        }
        return pkey
    }

    /// A key pair from the 32-byte seed `d`; when `x` is given it must match the derived public key.
    static func privateKey(d: [UInt8], x: [UInt8]?) throws -> OpaquePointer {
        guard d.count == keyLength else { throw JOSEError(.invalidKey, "Ed25519 d must be 32 bytes (RFC 8037 §2)") }
        guard let pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, d, d.count) else {
            throw OpenSSLError.error(.invalidKey, "OpenSSL rejected the Ed25519 private key")
        }
        if let x {
            let derived = try? publicBytes(of: pkey)
            guard derived == x else {
                EVP_PKEY_free(pkey)
                throw JOSEError(.invalidKey, "Ed25519 x does not match d")
            }
        }
        return pkey
    }

    /// The raw 32-byte public key.
    static func publicBytes(of pkey: OpaquePointer) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: keyLength)
        var length = keyLength
        guard EVP_PKEY_get_raw_public_key(pkey, &out, &length) == 1, length == keyLength else {
            throw OpenSSLError.error(.cryptoFailure, "EVP_PKEY_get_raw_public_key")
        }
        return out
    }
}

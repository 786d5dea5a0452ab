internal import COpenSSL

/// PEM encoding of private keys as PKCS#8 (RFC 5208, RFC 7468 §10), through memory BIOs.
enum PEM {
    /// Parses an unencrypted PKCS#8 `PRIVATE KEY` block. Encrypted keys and other PEM types are refused.
    /// The caller owns the returned key.
    static func readPrivateKey(_ pem: String) throws -> OpaquePointer {
        guard pem.contains("-----BEGIN PRIVATE KEY-----") else {
            throw JOSEError(.invalidKey, "not an unencrypted PKCS#8 PEM private key (expected -----BEGIN PRIVATE KEY-----)")
        }
        // BIO_new_mem_buf does not copy, so the read must happen while the bytes are pinned.
        let pkey = Array(pem.utf8).withUnsafeBytes { bytes -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { BIO_free(bio) }
            // A callback that refuses to supply a passphrase: OpenSSL's default would prompt on the terminal.
            return PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        guard let pkey else { throw OpenSSLError.error(.invalidKey, "malformed PEM private key") }
        return pkey
    }

    /// Writes `pkey` as an unencrypted PKCS#8 `PRIVATE KEY` block.
    static func writePrivateKey(_ pkey: OpaquePointer) throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLError.error(.cryptoFailure, "BIO_new") }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PKCS8PrivateKey(bio, pkey, nil, nil, 0, nil, nil) == 1 else {
            throw OpenSSLError.error(.cryptoFailure, "PEM_write_bio_PKCS8PrivateKey")
        }
        var data: UnsafeMutablePointer<CChar>?
        let length = gh_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else { throw OpenSSLError.error(.cryptoFailure, "empty PEM output") }
        return UnsafeRawBufferPointer(start: data, count: length).withMemoryRebound(to: UInt8.self) {
            String(decoding: $0, as: UTF8.self)
        }
    }
}

internal import COpenSSL

/// Converts between OpenSSL's DER `ECDSA-Sig-Value` (RFC 3279 §2.2.3) and JWS's fixed-width
/// `r || s` (RFC 7518 §3.4), using `d2i_ECDSA_SIG`/`ECDSA_SIG_get0`/`BN_bn2binpad` and
/// `ECDSA_SIG_set0`/`i2d_ECDSA_SIG`.
enum ECDSASignatureFormat {
    /// `r || s`, each left-padded to `width` bytes, from a DER signature.
    static func raw(fromDER der: UnsafeRawBufferPointer, width: Int) throws -> [UInt8] {
        var cursor = der.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard let sig = d2i_ECDSA_SIG(nil, &cursor, der.count) else {
            throw OpenSSLError.error(.cryptoFailure, "OpenSSL produced an unparsable ECDSA signature")
        }
        defer { ECDSA_SIG_free(sig) }
        var r: OpaquePointer?, s: OpaquePointer?
        ECDSA_SIG_get0(sig, &r, &s)
        var out = [UInt8](repeating: 0, count: 2 * width)
        let ok = out.withUnsafeMutableBufferPointer { buffer in
            BN_bn2binpad(r, buffer.baseAddress, Int32(width)) == Int32(width)
                && BN_bn2binpad(s, buffer.baseAddress! + width, Int32(width)) == Int32(width)
        }
        guard ok else { throw OpenSSLError.error(.cryptoFailure, "ECDSA r or s exceeds \(width) bytes") }
        return out
    }

    /// DER for the `r || s` in `raw` (which must be `2 * width` bytes), written into `out`;
    /// returns the DER length, or `nil` when `raw` is not a well-formed pair.
    static func der(fromRaw raw: UnsafeRawBufferPointer, width: Int, into out: UnsafeMutableRawBufferPointer) -> Int? {
        guard raw.count == 2 * width, let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        guard let sig = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(sig) }
        guard let r = BN_bin2bn(base, Int32(width), nil) else { return nil }
        guard let s = BN_bin2bn(base + width, Int32(width), nil) else { BN_free(r); return nil }
        guard ECDSA_SIG_set0(sig, r, s) == 1 else { BN_free(r); BN_free(s); return nil }  // sig owns r, s on success
        let needed = i2d_ECDSA_SIG(sig, nil)
        guard needed > 0, Int(needed) <= out.count else { return nil }
        var cursor = out.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let written = i2d_ECDSA_SIG(sig, &cursor)
        return written == needed ? Int(written) : nil
    }

    /// Upper bound of a DER P-256 signature: SEQUENCE header plus two 33-byte INTEGERs.
    static let maxDERLength = 72
}

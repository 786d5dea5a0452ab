internal import COpenSSL

/// `EVP_DigestSign` / `EVP_DigestVerify` for one key and one JWS algorithm (RFC 7518 §3,
/// RFC 8037 §3.1), from a context initialised once.
///
/// `EVP_DigestSignInit`/`EVP_DigestVerifyInit` fetch the signature and digest implementations
/// and set the RSA padding on every call (about 2 µs). Instead, a template context is initialised
/// once per key and algorithm, and each operation clones it with `EVP_MD_CTX_copy_ex`, which
/// takes the template as `const` and, per OpenSSL 3's threading rules, may be called from many
/// threads at once because the template itself is never used for an operation. Measured here:
/// ES256 signing and RSA verification about 15% faster, ES256/EdDSA verification unchanged.
///
/// Signatures are in OpenSSL's native form (DER for ECDSA).
final class DigestSignature: @unchecked Sendable {
    let algorithm: JWSAlgorithm
    private let pkey: OpaquePointer
    private let signing: Bool
    /// Initialised context cloned for each operation; `nil` if initialisation failed, in which
    /// case every operation initialises its own context.
    private let template: OpaquePointer?

    /// Prepares `algorithm` over `pkey` (which the caller keeps alive) for signing or verifying.
    init(pkey: OpaquePointer, algorithm: JWSAlgorithm, signing: Bool) {
        self.pkey = pkey
        self.algorithm = algorithm
        self.signing = signing
        let ctx = EVP_MD_CTX_new()
        if let ctx, DigestSignature.initialise(ctx, pkey: pkey, algorithm: algorithm, signing: signing) {
            template = ctx
        } else {
            EVP_MD_CTX_free(ctx)
            OpenSSLError.clear()
            template = nil
        }
    }

    deinit { EVP_MD_CTX_free(template) }

    /// A ready context: a clone of the template, or a freshly initialised one.
    private func context() -> OpaquePointer? {
        guard let ctx = EVP_MD_CTX_new() else { return nil }
        if let template, EVP_MD_CTX_copy_ex(ctx, template) == 1 { return ctx }
        if DigestSignature.initialise(ctx, pkey: pkey, algorithm: algorithm, signing: signing) { return ctx }
        EVP_MD_CTX_free(ctx)
        return nil
    }

    /// Signs `message`; `capacity` is an upper bound of the signature size.
    func sign(_ message: UnsafeRawBufferPointer, capacity: Int) throws -> [UInt8] {
        guard let ctx = context() else { throw OpenSSLError.error(.cryptoFailure, "cannot initialise \(algorithm) signing") }
        defer { EVP_MD_CTX_free(ctx) }
        var length = capacity
        var out = [UInt8](repeating: 0, count: capacity)
        let ok = out.withUnsafeMutableBufferPointer {
            EVP_DigestSign(ctx, $0.baseAddress, &length, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
        }
        guard ok == 1 else { throw OpenSSLError.error(.cryptoFailure, "EVP_DigestSign(\(algorithm))") }
        out.removeLast(out.count - length)
        return out
    }

    /// True when `signature` is valid for `message`. Never throws: every failure, including
    /// malformed input, is `false`, and OpenSSL's error queue is cleared.
    func verify(_ signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> Bool {
        guard let ctx = context() else { OpenSSLError.clear(); return false }
        defer { EVP_MD_CTX_free(ctx) }
        let result = EVP_DigestVerify(
            ctx, signature.baseAddress?.assumingMemoryBound(to: UInt8.self), signature.count,
            message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
        guard result == 1 else { OpenSSLError.clear(); return false }
        return true
    }

    private static func initialise(_ ctx: OpaquePointer, pkey: OpaquePointer, algorithm: JWSAlgorithm, signing: Bool) -> Bool {
        var pctx: OpaquePointer?
        // SHA-256 for every algorithm but EdDSA, which hashes internally (RFC 8032 §5.1.6).
        let digest = algorithm == .edDSA ? nil : EVP_sha256()
        let ok = signing ? EVP_DigestSignInit(ctx, &pctx, digest, nil, pkey) : EVP_DigestVerifyInit(ctx, &pctx, digest, nil, pkey)
        return ok == 1 && configure(pctx, for: algorithm)
    }

    /// Sets the RSA padding: PKCS#1 v1.5 for RS256; PSS with MGF1-SHA-256 and a 32-byte salt for PS256 (RFC 7518 §3.5).
    private static func configure(_ pctx: OpaquePointer?, for algorithm: JWSAlgorithm) -> Bool {
        switch algorithm {
        case .es256, .edDSA:
            return true
        case .rs256:
            return gh_EVP_PKEY_CTX_set_rsa_padding(pctx, gh_RSA_PKCS1_PADDING()) == 1
        case .ps256:
            return gh_EVP_PKEY_CTX_set_rsa_padding(pctx, gh_RSA_PKCS1_PSS_PADDING()) == 1
                && gh_EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, gh_RSA_PSS_SALTLEN_DIGEST()) == 1
                && gh_EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1
        }
    }
}

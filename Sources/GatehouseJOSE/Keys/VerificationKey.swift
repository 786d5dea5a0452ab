public import Foundation
internal import COpenSSL

/// A public key that verifies JWS signatures, decoded once from a JWK (RFC 7517) and then
/// reused: it caches its OpenSSL `EVP_PKEY`, so each verification only creates a digest context.
///
/// `@unchecked Sendable`: the `EVP_PKEY` is fully built in `init`, never mutated afterwards, and
/// OpenSSL 3 documents such keys as safe for concurrent use; each verification uses its own
/// `EVP_MD_CTX`.
///
/// ```swift
/// let key = try VerificationKey(jwk: jwk)
/// key.verify(signature: sig, message: signingInput, algorithm: .es256)   // Bool
/// ```
public final class VerificationKey: @unchecked Sendable {
    /// The public JWK as published, with `kid` filled in from the thumbprint when it was absent.
    public let jwk: JWK
    /// The key ID used for lookup: the JWK's `kid`, or its RFC 7638 thumbprint.
    public let keyID: String
    /// The RFC 7638 thumbprint.
    public let thumbprint: String

    let family: KeyFamily
    /// The JWK's `alg`, when present: the key verifies only that algorithm (RFC 7517 §4.4).
    let pinnedAlgorithm: JWSAlgorithm?
    /// Exact signature length: 64 for ES256/EdDSA, the modulus length for RSA.
    let signatureLength: Int
    let pkey: OpaquePointer
    /// One prepared verifier per algorithm this key supports.
    private let verifiers: [DigestSignature]

    /// Takes ownership of `pkey`, which must match `jwk` (used by ``SigningKey/verificationKey``).
    init(owning pkey: OpaquePointer, family: KeyFamily, jwk: JWK, thumbprint: String) {
        self.pkey = pkey
        self.family = family
        self.jwk = jwk
        self.thumbprint = thumbprint
        self.keyID = jwk.keyID ?? thumbprint
        let pinned = jwk.algorithm.flatMap(JWSAlgorithm.init(rawValue:))
        self.pinnedAlgorithm = pinned
        self.signatureLength = family == .rsa ? EVPKeyInfo.signatureSize(of: pkey) : 64
        self.verifiers = family.algorithms.filter { pinned == nil || $0 == pinned }
            .map { DigestSignature(pkey: pkey, algorithm: $0, signing: false) }
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Decodes and validates a public JWK.
    ///
    /// - Throws: ``JOSEError/Code/privateKeyMaterial`` when private members were present;
    ///   ``JOSEError/Code/invalidKey`` for an unknown `kty`/`crv`, missing or non-base64url members,
    ///   wrong coordinate lengths, a point not on P-256, a `use` other than `sig` or `key_ops`
    ///   without `verify`; ``JOSEError/Code/weakKey`` for an RSA modulus under 2048 bits;
    ///   ``JOSEError/Code/unsupportedAlgorithm`` or ``JOSEError/Code/algorithmKeyMismatch`` for an
    ///   `alg` this key cannot serve.
    public convenience init(jwk: JWK) throws {
        guard jwk.privateMemberNames.isEmpty else {
            throw JOSEError(.privateKeyMaterial, "JWK \(jwk.keyID ?? "") carries private members \(jwk.privateMemberNames.joined(separator: ", "))")
        }
        if let use = jwk.use, use != "sig" { throw JOSEError(.invalidKey, "JWK use is \(use), not sig") }
        if let ops = jwk.keyOperations, !ops.contains("verify") { throw JOSEError(.invalidKey, "JWK key_ops lacks verify") }
        let member = JWKMember.decode
        let family: KeyFamily
        let pkey: OpaquePointer
        switch (jwk.keyType, jwk.curve) {
        case ("EC", "P-256"):
            family = .p256
            pkey = try P256.publicKey(x: try member(jwk.x, "x"), y: try member(jwk.y, "y"))
        case ("OKP", "Ed25519"):
            family = .ed25519
            pkey = try Ed25519.publicKey(x: try member(jwk.x, "x"))
        case ("RSA", nil):
            family = .rsa
            pkey = try RSAKeys.publicKey(n: try member(jwk.n, "n"), e: try member(jwk.e, "e"))
        default:
            throw JOSEError(.invalidKey, "unsupported JWK kty \(jwk.keyType) crv \(jwk.curve ?? "-")")
        }
        if let name = jwk.algorithm {
            let algorithm: JWSAlgorithm
            do { algorithm = try JWSAlgorithm(parsing: name) } catch { EVP_PKEY_free(pkey); throw error }
            guard algorithm.keyFamily == family else {
                EVP_PKEY_free(pkey)
                throw JOSEError(.algorithmKeyMismatch, "JWK alg \(name) does not fit kty \(jwk.keyType)")
            }
        }
        let thumbprint: String
        do { thumbprint = try jwk.thumbprint() } catch { EVP_PKEY_free(pkey); throw error }
        self.init(owning: pkey, family: family, jwk: jwk, thumbprint: thumbprint)
    }

    /// True when this key may verify `algorithm`: the key type fits and any JWK `alg` agrees.
    public func supports(_ algorithm: JWSAlgorithm) -> Bool {
        algorithm.keyFamily == family && (pinnedAlgorithm == nil || pinnedAlgorithm == algorithm)
    }

    /// Verifies a JWS Signature (RFC 7515 §5.2 step 8) over `message`. The signature is in JWS
    /// form: `r || s` for ES256. Returns `false` for any failure, including a wrong length,
    /// an out-of-range `r` or `s`, or an algorithm this key does not support.
    public func verify(signature: some ContiguousBytes, message: some ContiguousBytes, algorithm: JWSAlgorithm) -> Bool {
        signature.withUnsafeBytes { s in message.withUnsafeBytes { m in verify(rawSignature: s, message: m, algorithm: algorithm) } }
    }

    /// ``verify(signature:message:algorithm:)`` over raw memory, for the compact-serialization fast path.
    func verify(rawSignature signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, algorithm: JWSAlgorithm) -> Bool {
        guard signature.count == signatureLength, let verifier = verifiers.first(where: { $0.algorithm == algorithm }) else { return false }
        guard algorithm == .es256 else { return verifier.verify(signature, message: message) }
        return withUnsafeTemporaryAllocation(byteCount: ECDSASignatureFormat.maxDERLength, alignment: 1) { der in
            guard let length = ECDSASignatureFormat.der(fromRaw: signature, width: P256.coordinateLength, into: der) else {
                OpenSSLError.clear()
                return false
            }
            return verifier.verify(UnsafeRawBufferPointer(rebasing: der[..<length]), message: message)
        }
    }
}

public import Foundation
internal import COpenSSL

/// A private key that signs JWS for one ``JWSAlgorithm`` (RFC 7515 §5.1, RFC 7518 §3).
///
/// It owns an OpenSSL `EVP_PKEY`, built once and freed in `deinit`. It is `@unchecked Sendable`
/// because OpenSSL 3 documents an `EVP_PKEY` as safe for concurrent use by many threads once it
/// is fully constructed; this class never mutates it after `init`, and every signing operation
/// works in its own `EVP_MD_CTX` (cloned from a template that is only ever read).
///
/// ```swift
/// let key = try SigningKey.generate(.es256)
/// let pem = try key.pemRepresentation()            // PKCS#8, store with mode 0600
/// let same = try SigningKey(pem: pem, algorithm: .es256)
/// print(key.keyID)                                 // RFC 7638 thumbprint
/// ```
public final class SigningKey: @unchecked Sendable {
    /// The algorithm this key signs with.
    public let algorithm: JWSAlgorithm
    /// The RFC 7638 thumbprint of the public key; used as `kid`.
    public let keyID: String
    /// The public key as a JWK with `kid`, `alg` and `use: "sig"` set, ready for a JWK Set.
    public let publicJWK: JWK
    /// Modulus size for RSA keys, 256 for P-256 and Ed25519.
    public let bits: Int

    let pkey: OpaquePointer
    let family: KeyFamily
    private let signer: DigestSignature

    /// Takes ownership of `pkey` (freed even when this throws) and checks it fits `algorithm`.
    init(owning pkey: OpaquePointer, algorithm: JWSAlgorithm) throws {
        do {
            guard let family = EVPKeyInfo.family(of: pkey) else {
                throw JOSEError(.invalidKey, "key type is not P-256, Ed25519 or RSA")
            }
            guard family == algorithm.keyFamily else {
                throw JOSEError(.algorithmKeyMismatch, "a \(family.keyType) key cannot sign \(algorithm)")
            }
            let bits = EVPKeyInfo.bits(of: pkey)
            if family == .rsa, bits < RSAKeys.minimumBits {
                throw JOSEError(.weakKey, "RSA key has \(bits) bits; at least \(RSAKeys.minimumBits) are required")
            }
            var jwk = try PublicJWKExport.jwk(of: pkey, family: family)
            let kid = try jwk.thumbprint()
            jwk.keyID = kid
            jwk.algorithm = algorithm.rawValue
            jwk.use = "sig"
            self.family = family
            self.bits = bits
            self.keyID = kid
            self.publicJWK = jwk
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
        self.pkey = pkey
        self.algorithm = algorithm
        self.signer = DigestSignature(pkey: pkey, algorithm: algorithm, signing: true)
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Generates a new key: P-256 for ES256, Ed25519 for EdDSA, RSA of `rsaBits` (at least 2048) for RS256/PS256.
    public static func generate(_ algorithm: JWSAlgorithm = .default, rsaBits: Int = 2048) throws -> SigningKey {
        let pkey: OpaquePointer
        switch algorithm.keyFamily {
        case .p256: pkey = try P256.generate()
        case .ed25519: pkey = try Ed25519.generate()
        case .rsa: pkey = try RSAKeys.generate(bits: rsaBits)
        }
        return try SigningKey(owning: pkey, algorithm: algorithm)
    }

    /// Loads an unencrypted PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`, RFC 7468 §10).
    /// - Throws: ``JOSEError/Code/invalidKey`` for malformed or encrypted PEM;
    ///   ``JOSEError/Code/algorithmKeyMismatch`` when the key type does not fit `algorithm`;
    ///   ``JOSEError/Code/weakKey`` for RSA below 2048 bits.
    public convenience init(pem: String, algorithm: JWSAlgorithm) throws {
        try self.init(owning: try PEM.readPrivateKey(pem), algorithm: algorithm)
    }

    /// The private key as unencrypted PKCS#8 PEM. Handle with care: it is the secret.
    public func pemRepresentation() throws -> String { try PEM.writePrivateKey(pkey) }

    /// A verification key for this key's public half, sharing the same `EVP_PKEY`. Each access
    /// builds a new one (with its prepared contexts): keep it rather than asking per token.
    public var verificationKey: VerificationKey {
        EVP_PKEY_up_ref(pkey)
        // The JWK was produced from this very key, so the checks in VerificationKey cannot fail.
        return VerificationKey(owning: pkey, family: family, jwk: publicJWK, thumbprint: keyID)
    }

    /// Signs `message` and returns the JWS Signature bytes (RFC 7515 §5.1 step 5): `r || s` for
    /// ES256 (64 bytes, RFC 7518 §3.4), 64 bytes for EdDSA, the modulus length for RSA.
    public func sign(_ message: some ContiguousBytes) throws -> [UInt8] {
        try message.withUnsafeBytes { try sign(rawMessage: $0) }
    }

    /// ``sign(_:)`` over raw memory, for the compact-serialization fast path.
    func sign(rawMessage message: UnsafeRawBufferPointer) throws -> [UInt8] {
        let native = try signer.sign(message, capacity: EVPKeyInfo.signatureSize(of: pkey))
        guard algorithm == .es256 else { return native }
        return try native.withUnsafeBytes { try ECDSASignatureFormat.raw(fromDER: $0, width: P256.coordinateLength) }
    }
}

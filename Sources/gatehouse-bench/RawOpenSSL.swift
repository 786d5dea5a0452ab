import COpenSSL
import Foundation
import GatehouseJOSE

/// The primitive underneath: the same private key loaded straight into OpenSSL, a fresh
/// `EVP_MD_CTX` per operation.
final class RawOpenSSL {
    let pkey: OpaquePointer
    let algorithm: JWSAlgorithm

    init(pem: String, algorithm: JWSAlgorithm) throws {
        let pkey = Array(pem.utf8).withUnsafeBytes { bytes -> OpaquePointer? in
            let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count))
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let pkey else { throw CocoaError(.coderReadCorrupt) }
        self.pkey = pkey
        self.algorithm = algorithm
    }

    deinit { EVP_PKEY_free(pkey) }

    private var digest: OpaquePointer? { algorithm == .edDSA ? nil : EVP_sha256() }

    /// A native signature (DER for ECDSA).
    func sign(_ message: [UInt8]) throws -> [UInt8] {
        let ctx = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, digest, nil, pkey) == 1 else { throw CocoaError(.featureUnsupported) }
        var length = Int(EVP_PKEY_get_size(pkey))
        var out = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(ctx, &out, &length, message, message.count) == 1 else { throw CocoaError(.featureUnsupported) }
        return Array(out.prefix(length))
    }

    func verify(_ signature: [UInt8], _ message: [UInt8]) -> Bool {
        let ctx = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestVerifyInit(ctx, nil, digest, nil, pkey) == 1 else { return false }
        return EVP_DigestVerify(ctx, signature, signature.count, message, message.count) == 1
    }
}

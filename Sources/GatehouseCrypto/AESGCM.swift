internal import COpenSSL

/// AES-256 in Galois/Counter Mode (NIST SP 800-38D) over OpenSSL's EVP interface, with a
/// 96-bit nonce (SP 800-38D §8.2.1) and a full 128-bit tag (§5.2.1.2).
///
/// A nonce must never repeat under one key: draw it with ``AESGCM/randomNonce()``.
///
/// ```swift
/// let nonce = AESGCM.randomNonce()
/// let sealed = try AESGCM.seal(plaintext, key: key, nonce: nonce, authenticating: Array("account-42".utf8))
/// let opened = try AESGCM.open(sealed, key: key, nonce: nonce, authenticating: Array("account-42".utf8))
/// ```
public enum AESGCM {
    /// Key length in bytes (AES-256).
    public static let keyLength = 32
    /// Nonce length in bytes (96 bits, SP 800-38D §5.2.1.1).
    public static let nonceLength = 12
    /// Tag length in bytes (128 bits).
    public static let tagLength = 16

    /// Ciphertext and authentication tag (SP 800-38D §7.1, outputs C and T).
    public struct SealedBox: Sendable, Equatable {
        /// The ciphertext, as long as the plaintext.
        public var ciphertext: [UInt8]
        /// The 16-byte authentication tag.
        public var tag: [UInt8]

        /// Wraps a ciphertext and its tag.
        public init(ciphertext: [UInt8], tag: [UInt8]) {
            self.ciphertext = ciphertext
            self.tag = tag
        }
    }

    /// A fresh random 96-bit nonce (SP 800-38D §8.2.2, random construction).
    public static func randomNonce() -> [UInt8] { SecureRandom.bytes(nonceLength) }

    /// Encrypts `plaintext` and authenticates it together with `associatedData`
    /// (SP 800-38D §7.1, GCM-AE).
    public static func seal(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], authenticating associatedData: [UInt8] = []) throws(AESGCMError) -> SealedBox {
        try checkLengths(key: key, nonce: nonce)
        let ctx = try Context()
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: tagLength)
        var ok = EVP_EncryptInit_ex(ctx.raw, EVP_aes_256_gcm(), nil, key, nonce) == 1
        var outLength: Int32 = 0
        if ok, !associatedData.isEmpty {
            ok = EVP_EncryptUpdate(ctx.raw, nil, &outLength, associatedData, Int32(associatedData.count)) == 1
        }
        if ok, !plaintext.isEmpty {
            ok = ciphertext.withUnsafeMutableBufferPointer {
                EVP_EncryptUpdate(ctx.raw, $0.baseAddress, &outLength, plaintext, Int32(plaintext.count)) == 1
            } && Int(outLength) == plaintext.count
        }
        if ok {
            var scratch = [UInt8](repeating: 0, count: 16)
            ok = EVP_EncryptFinal_ex(ctx.raw, &scratch, &outLength) == 1 && outLength == 0
        }
        if ok {
            ok = tag.withUnsafeMutableBytes {
                EVP_CIPHER_CTX_ctrl(ctx.raw, EVP_CTRL_AEAD_GET_TAG, Int32(tagLength), $0.baseAddress) == 1
            }
        }
        guard ok else { throw .openSSL }
        return SealedBox(ciphertext: ciphertext, tag: tag)
    }

    /// Checks the tag and decrypts (SP 800-38D §7.2, GCM-AD). Throws
    /// ``AESGCMError/authenticationFailed`` when the key, nonce, ciphertext, tag or
    /// associated data differ in any bit from what was sealed; no plaintext is returned then.
    public static func open(_ box: SealedBox, key: [UInt8], nonce: [UInt8], authenticating associatedData: [UInt8] = []) throws(AESGCMError) -> [UInt8] {
        try checkLengths(key: key, nonce: nonce)
        guard box.tag.count == tagLength else { throw .authenticationFailed }
        let ctx = try Context()
        var plaintext = [UInt8](repeating: 0, count: box.ciphertext.count)
        var ok = EVP_DecryptInit_ex(ctx.raw, EVP_aes_256_gcm(), nil, key, nonce) == 1
        var outLength: Int32 = 0
        if ok, !associatedData.isEmpty {
            ok = EVP_DecryptUpdate(ctx.raw, nil, &outLength, associatedData, Int32(associatedData.count)) == 1
        }
        if ok, !box.ciphertext.isEmpty {
            ok = plaintext.withUnsafeMutableBufferPointer {
                EVP_DecryptUpdate(ctx.raw, $0.baseAddress, &outLength, box.ciphertext, Int32(box.ciphertext.count)) == 1
            } && Int(outLength) == box.ciphertext.count
        }
        if ok {
            var tag = box.tag
            ok = tag.withUnsafeMutableBytes {
                EVP_CIPHER_CTX_ctrl(ctx.raw, EVP_CTRL_AEAD_SET_TAG, Int32(tagLength), $0.baseAddress) == 1
            }
        }
        guard ok else { throw .openSSL }
        var scratch = [UInt8](repeating: 0, count: 16)
        guard EVP_DecryptFinal_ex(ctx.raw, &scratch, &outLength) == 1 else {
            for i in plaintext.indices { plaintext[i] = 0 }
            throw .authenticationFailed
        }
        return plaintext
    }

    private static func checkLengths(key: [UInt8], nonce: [UInt8]) throws(AESGCMError) {
        guard key.count == keyLength else { throw .invalidKeyLength }
        guard nonce.count == nonceLength else { throw .invalidNonceLength }
    }

    /// Owns one `EVP_CIPHER_CTX`.
    private final class Context {
        let raw: OpaquePointer
        init() throws(AESGCMError) {
            guard let raw = EVP_CIPHER_CTX_new() else { throw .openSSL }
            self.raw = raw
        }
        deinit { EVP_CIPHER_CTX_free(raw) }
    }
}

/// Why an AES-GCM operation failed.
public enum AESGCMError: Error, Sendable, Equatable {
    /// The key is not 32 bytes.
    case invalidKeyLength
    /// The nonce is not 12 bytes.
    case invalidNonceLength
    /// The tag did not verify: wrong key, nonce or associated data, or altered ciphertext or tag.
    case authenticationFailed
    /// OpenSSL reported an internal failure.
    case openSSL
}

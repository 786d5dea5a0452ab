internal import COpenSSL
public import Foundation

/// Message digests and HMAC over OpenSSL's EVP interface.
///
/// ```swift
/// let hash = Digest.sha256(Array("abc".utf8))   // 32 bytes, FIPS 180-4
/// let tag = Digest.hmacSHA256(key: key, message: bytes)
/// ```
public enum Digest {
    /// A hash algorithm that OpenSSL provides.
    public enum Algorithm: String, Sendable, CaseIterable {
        case sha1 = "SHA1"
        case sha256 = "SHA256"
        case sha384 = "SHA384"
        case sha512 = "SHA512"

        /// Output length in bytes.
        public var length: Int {
            switch self {
            case .sha1: 20
            case .sha256: 32
            case .sha384: 48
            case .sha512: 64
            }
        }

        /// The OpenSSL `EVP_MD` for this algorithm (owned by OpenSSL, never freed).
        public var evp: OpaquePointer {
            switch self {
            case .sha1: EVP_sha1()
            case .sha256: EVP_sha256()
            case .sha384: EVP_sha384()
            case .sha512: EVP_sha512()
            }
        }
    }

    /// Hashes `data` with `algorithm`.
    public static func hash(_ algorithm: Algorithm, _ data: some ContiguousBytes) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: algorithm.length)
        var len: UInt32 = 0
        let ok = data.withUnsafeBytes { input in
            out.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &len, algorithm.evp, nil)
            }
        }
        precondition(ok == 1 && Int(len) == algorithm.length, "EVP_Digest failed")
        return out
    }

    /// SHA-256 of `data` (FIPS 180-4).
    public static func sha256(_ data: some ContiguousBytes) -> [UInt8] { hash(.sha256, data) }

    /// SHA-256 of the UTF-8 bytes of `string`.
    public static func sha256(_ string: String) -> [UInt8] { sha256(Array(string.utf8)) }

    /// HMAC (RFC 2104) of `message` under `key` with `algorithm`.
    public static func hmac(_ algorithm: Algorithm, key: some ContiguousBytes, message: some ContiguousBytes) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: algorithm.length)
        var len: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                out.withUnsafeMutableBufferPointer { o in
                    HMAC(algorithm.evp, k.baseAddress, Int32(k.count), m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count, o.baseAddress, &len)
                }
            }
        }
        precondition(result != nil && Int(len) == algorithm.length, "HMAC failed")
        return out
    }

    /// HMAC-SHA-256 (RFC 4231).
    public static func hmacSHA256(key: some ContiguousBytes, message: some ContiguousBytes) -> [UInt8] {
        hmac(.sha256, key: key, message: message)
    }
}

import Foundation
internal import COpenSSL
import GatehouseCrypto

/// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) in the two encodings migrated accounts arrive in:
///
/// - passlib: `$pbkdf2-sha256$<rounds>$<salt>$<hash>`, salt and hash in passlib's "adapted
///   base64" (standard alphabet with `.` for `+`, no padding); the salt is raw bytes.
/// - Django: `pbkdf2_sha256$<rounds>$<salt>$<hash>`, the salt used as its literal text and the
///   hash in padded standard base64.
enum PBKDF2SHA256 {
    enum Encoding { case passlib, django }

    static func verify(_ candidates: [[UInt8]], encoded: Substring, encoding: Encoding) throws(PasswordError) -> Bool {
        let scheme = encoding == .passlib ? "pbkdf2-sha256" : "django pbkdf2_sha256"
        func malformed(_ why: String) -> PasswordError { .malformedHash(scheme: scheme, reason: why) }
        guard encoded.utf8.count <= LegacyLimits.maxEncodedLength else { throw malformed("too long") }
        // After the scheme name: <rounds>$<salt>$<hash>
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw malformed("expected <rounds>$<salt>$<hash>") }
        guard let rounds = Argon2PHC.decimal(parts[0]), rounds >= 1 else { throw malformed("rounds is not a positive decimal number") }
        guard rounds <= LegacyLimits.maxPBKDF2Iterations else {
            throw .costOutOfBounds(scheme: scheme, reason: "\(rounds) iterations exceeds \(LegacyLimits.maxPBKDF2Iterations)")
        }
        let salt: [UInt8]?, expected: [UInt8]?
        switch encoding {
        case .passlib:
            salt = AdaptedBase64.decode(parts[1])
            expected = AdaptedBase64.decode(parts[2])
        case .django:
            salt = parts[1].isEmpty ? nil : Array(parts[1].utf8)
            expected = PHCBase64.decodePadded(parts[2])
        }
        guard let salt, (1...1024).contains(salt.count) else { throw malformed("salt is missing or badly encoded") }
        guard let expected, (16...64).contains(expected.count) else { throw malformed("hash is not 16–64 bytes of base64") }
        var matched = false
        for password in candidates {
            let derived = try derive(password: password, salt: salt, iterations: rounds, length: expected.count)
            matched = ConstantTime.equals(derived, expected) || matched
        }
        return matched
    }

    /// PBKDF2-HMAC-SHA256 through OpenSSL's `PKCS5_PBKDF2_HMAC`.
    static func derive(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) throws(PasswordError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        let ok = password.withUnsafeBufferPointer { p in
            salt.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    p.withMemoryRebound(to: CChar.self) { pc in
                        PKCS5_PBKDF2_HMAC(pc.baseAddress, Int32(p.count), s.baseAddress, Int32(s.count),
                                          Int32(iterations), EVP_sha256(), Int32(length), o.baseAddress)
                    }
                }
            }
        }
        guard ok == 1 else { throw .hashingFailed("PKCS5_PBKDF2_HMAC failed") }
        return out
    }
}

/// passlib's "adapted base64" (`passlib.utils.binary.ab64_decode`): the standard alphabet with
/// `.` in place of `+`, without padding.
enum AdaptedBase64 {
    static func decode(_ s: some StringProtocol) -> [UInt8]? {
        guard !s.utf8.contains(UInt8(ascii: "+")) else { return nil }
        return PHCBase64.decode(String(s).replacingOccurrences(of: ".", with: "+"))
    }
}

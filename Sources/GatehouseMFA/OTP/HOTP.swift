internal import GatehouseCrypto

/// HOTP, the HMAC-based one-time password of RFC 4226, with HMAC-SHA-1 (§5.2).
///
/// ```swift
/// let secret = Array("12345678901234567890".utf8)
/// HOTP.code(secret: secret, counter: 0)   // "755224" (RFC 4226 Appendix D)
/// ```
public enum HOTP {
    /// The digit counts accepted: at least 6 (RFC 4226 §4, R4), at most 8, the longest
    /// any authenticator app shows (RFC 6238 Appendix B uses 8).
    public static let allowedDigits = 6...8

    /// HOTP(K, C) = Truncate(HMAC-SHA-1(K, C)) mod 10^digits (RFC 4226 §5.3), with the
    /// counter as 8 big-endian bytes and leading zeros kept, so the result is always
    /// `digits` characters long.
    ///
    /// - Precondition: `digits` is in ``allowedDigits``.
    public static func code(secret: [UInt8], counter: UInt64, digits: Int = 6) -> String {
        precondition(allowedDigits.contains(digits), "HOTP needs 6 to 8 digits (RFC 4226 §4 R4)")
        let value = truncate(Digest.hmacSHA1(key: secret, message: bigEndian(counter))) % power(of: 10, digits)
        let text = String(value)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// Dynamic truncation (RFC 4226 §5.3): the low 4 bits of the last byte choose an
    /// offset, and the 31 bits read there, without the sign bit, are the result.
    static func truncate(_ mac: [UInt8]) -> UInt32 {
        let offset = Int(mac[mac.count - 1] & 0x0F)
        return (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
    }

    private static func bigEndian(_ counter: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64($0))) }
    }

    private static func power(of base: UInt32, _ exponent: Int) -> UInt32 {
        (0..<exponent).reduce(1) { value, _ in value * base }
    }
}

public import Foundation

extension Digest {
    /// HMAC-SHA-1 (RFC 2104, test cases in RFC 2202 §3): the MAC under HOTP (RFC 4226 §5.2)
    /// and TOTP (RFC 6238 §4). SHA-1's collision weakness does not carry over to HMAC, which
    /// only needs the compression function to behave as a PRF (RFC 4226 Appendix A.4).
    ///
    /// ```swift
    /// let mac = Digest.hmacSHA1(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
    /// // mac.hexString == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
    /// ```
    public static func hmacSHA1(key: some ContiguousBytes, message: some ContiguousBytes) -> [UInt8] {
        hmac(.sha1, key: key, message: message)
    }
}

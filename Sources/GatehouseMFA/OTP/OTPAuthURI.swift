/// The `otpauth://` URI that authenticator apps read from a QR code (the Key Uri Format
/// published with Google Authenticator, also read by Microsoft Authenticator, FreeOTP and Aegis).
///
/// ```swift
/// OTPAuthURI.totp(issuer: "Sở Huế", account: "le.thi.hoa", secret: secret)
/// // otpauth://totp/S%E1%BB%9F%20Hu%E1%BA%BF:le.thi.hoa?secret=…
/// //   &issuer=S%E1%BB%9F%20Hu%E1%BA%BF&algorithm=SHA1&digits=6&period=30
/// ```
public enum OTPAuthURI {
    /// `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=…&period=…`.
    ///
    /// The issuer and account are UTF-8 and percent-encoded (RFC 3986 §2.1): every byte
    /// outside the unreserved set (§2.3) becomes `%XX`, spaces become `%20` (never `+`),
    /// and a `:` inside either name becomes `%3A`, so only the separator stays a literal
    /// colon. The secret is unpadded base32 (RFC 4648 §6). The `issuer` parameter repeats
    /// the label's prefix, as the format recommends, for apps that read only one of them.
    public static func totp(issuer: String, account: String, secret: TOTPSecret, parameters: TOTP = .standard) -> String {
        let issuerEncoded = percentEncode(issuer)
        return "otpauth://totp/\(issuerEncoded):\(percentEncode(account))"
            + "?secret=\(secret.base32)&issuer=\(issuerEncoded)&algorithm=SHA1"
            + "&digits=\(parameters.digits)&period=\(parameters.period)"
    }

    /// Percent-encodes the UTF-8 bytes of `text`, keeping only RFC 3986 §2.3 unreserved
    /// characters, with uppercase hexadecimal digits (§2.1).
    static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

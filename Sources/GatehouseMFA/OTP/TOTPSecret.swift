internal import GatehouseCrypto

/// The key K shared with an authenticator app (RFC 4226 §5.1).
///
/// Its `description` never shows the key, so logging one by mistake leaks nothing.
///
/// ```swift
/// let secret = TOTPSecret.generate()   // 160 random bits
/// secret.base32                        // "JBSWY3DPEHPK3PXP..." for the otpauth URI
/// ```
public struct TOTPSecret: Sendable, CustomStringConvertible {
    /// Length of generated secrets: 20 bytes, the 160 bits RFC 4226 §4 (R6) recommends
    /// and the output size of HMAC-SHA-1.
    public static let generatedLength = 20
    /// Shortest secret accepted: 16 bytes, the 128 bits RFC 4226 §4 (R6) requires.
    public static let minimumLength = 16

    /// The key bytes.
    public let bytes: [UInt8]

    /// Wraps existing key bytes; `nil` when shorter than ``minimumLength``.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= Self.minimumLength else { return nil }
        self.bytes = bytes
    }

    /// Parses the base32 form an authenticator app shows (RFC 4648 §6, any case, spaces
    /// and padding allowed); `nil` when it is not base32 or decodes to fewer than 16 bytes.
    public init?(base32: String) {
        guard let bytes = Base32.decode(base32) else { return nil }
        self.init(bytes: bytes)
    }

    /// A new secret of ``generatedLength`` bytes from OpenSSL's CSPRNG (RFC 4226 §7.5).
    public static func generate() -> TOTPSecret {
        TOTPSecret(checked: SecureRandom.bytes(generatedLength))
    }

    private init(checked bytes: [UInt8]) { self.bytes = bytes }

    /// The base32 form, unpadded, for `otpauth://` URIs and manual entry.
    public var base32: String { Base32.encode(bytes) }

    /// Never the key itself.
    public var description: String { "TOTPSecret(\(bytes.count) bytes, redacted)" }
}

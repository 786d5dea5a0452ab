internal import GatehouseCrypto

/// A single-use recovery code: 10 characters of Crockford's base32 alphabet (no I, L, O
/// or U, so nothing reads as another character), 50 random bits, shown as `XXXXX-XXXXX`.
///
/// ```swift
/// let codes = RecoveryCode.generateSet()            // 10 codes to show once
/// codes[0].formatted                                // "7QK2M-XW0DA"
/// RecoveryCode("7qk2m xw0da")?.normalized           // "7QK2MXW0DA"
/// ```
public struct RecoveryCode: Sendable, Hashable, CustomStringConvertible {
    /// Crockford's base32 symbols, in value order.
    public static let alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    /// Characters in a code.
    public static let length = 10
    /// Codes issued at a time.
    public static let setSize = 10

    /// The 10 characters, uppercase, without separators: what is hashed and stored.
    public let normalized: String

    /// How the code is shown: two groups of five joined by a dash.
    public var formatted: String {
        "\(normalized.prefix(5))-\(normalized.suffix(5))"
    }

    /// Never the code itself, so a stray log line leaks nothing.
    public var description: String { "RecoveryCode(redacted)" }

    /// Reads a code as a person typed it: any case, dashes and spaces anywhere, and the
    /// look-alikes Crockford decoding folds (O → 0, I and L → 1). `nil` for any other
    /// character or a length other than 10.
    public init?(_ input: String) {
        var symbols: [UInt8] = []
        for byte in input.utf8 {
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: " "): continue
            case UInt8(ascii: "o"), UInt8(ascii: "O"): symbols.append(UInt8(ascii: "0"))
            case UInt8(ascii: "i"), UInt8(ascii: "I"), UInt8(ascii: "l"), UInt8(ascii: "L"): symbols.append(UInt8(ascii: "1"))
            default:
                let upper = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
                guard Self.alphabetBytes.contains(upper) else { return nil }
                symbols.append(upper)
            }
            if symbols.count > Self.length { return nil }
        }
        guard symbols.count == Self.length else { return nil }
        normalized = String(decoding: symbols, as: UTF8.self)
    }

    private init(symbols: [UInt8]) { normalized = String(decoding: symbols, as: UTF8.self) }

    private static let alphabetBytes = Array(alphabet.utf8)

    /// A new code from OpenSSL's CSPRNG; 32 divides 256, so each byte's low five bits
    /// pick a symbol with no bias.
    public static func generate() -> RecoveryCode {
        RecoveryCode(symbols: SecureRandom.bytes(length).map { alphabetBytes[Int($0 & 31)] })
    }

    /// `count` distinct new codes (10 unless told).
    public static func generateSet(count: Int = setSize) -> [RecoveryCode] {
        var codes: [RecoveryCode] = []
        var seen = Set<RecoveryCode>()
        while codes.count < count {
            let code = generate()
            if seen.insert(code).inserted { codes.append(code) }
        }
        return codes
    }
}

/// Base32 with the RFC 4648 §6 alphabet `A–Z 2–7`, as authenticator apps exchange secrets.
///
/// ```swift
/// Base32.encode(Array("foobar".utf8))   // "MZXW6YTBOI" (RFC 4648 §10, unpadded)
/// Base32.decode("mzxw 6ytb oi======")   // the bytes of "foobar"
/// ```
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Encodes `bytes` without the `=` padding (RFC 4648 §3.2 allows omitting it when the
    /// length is known; the Key Uri Format asks for it to be left out).
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[Int((buffer >> UInt32(bits)) & 31)])
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `text`, ignoring case, spaces and trailing `=` padding. `nil` when a
    /// character is outside the alphabet, `=` appears before the end, or the length is one
    /// no encoder produces (1, 3 or 6 characters in the last group of 8, RFC 4648 §6).
    public static func decode(_ text: String) -> [UInt8]? {
        var symbols = Array(text.utf8).filter { $0 != UInt8(ascii: " ") }
        while symbols.last == UInt8(ascii: "=") { symbols.removeLast() }
        guard [0, 2, 4, 5, 7].contains(symbols.count % 8) else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(symbols.count * 5 / 8)
        var buffer: UInt32 = 0, bits = 0
        for symbol in symbols {
            guard let value = value(of: symbol) else { return nil }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }

    private static func value(of symbol: UInt8) -> UInt32? {
        switch symbol {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(symbol - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(symbol - UInt8(ascii: "a"))
        case UInt8(ascii: "2")...UInt8(ascii: "7"): UInt32(symbol - UInt8(ascii: "2")) + 26
        default: nil
        }
    }
}

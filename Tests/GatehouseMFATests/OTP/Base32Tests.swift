import Testing
@testable import GatehouseMFA

/// RFC 4648 §10 test vectors for base32, with the padding this encoder leaves out.
@Suite("Base32 (RFC 4648 §6)")
struct Base32Tests {
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="),
        ("foob", "MZXW6YQ="), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======"),
    ]

    @Test("§10 vectors encode, unpadded")
    func encode() {
        for (plain, padded) in Self.vectors {
            #expect(Base32.encode(Array(plain.utf8)) == padded.replacingOccurrences(of: "=", with: ""))
        }
    }

    @Test("§10 vectors decode with and without padding")
    func decode() {
        for (plain, padded) in Self.vectors {
            #expect(Base32.decode(padded) == Array(plain.utf8))
            #expect(Base32.decode(padded.replacingOccurrences(of: "=", with: "")) == Array(plain.utf8))
        }
    }

    @Test("decoding ignores case and spaces, as people type secrets from a screen")
    func tolerant() {
        #expect(Base32.decode("mzxw6ytboi") == Array("foobar".utf8))
        #expect(Base32.decode("MzXw 6yTb Oi") == Array("foobar".utf8))
        #expect(Base32.decode("  MZXW6YTBOI======  ") == Array("foobar".utf8))
    }

    @Test("round trip over every length up to 40 bytes")
    func roundTrip() {
        for length in 0...40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base32.decode(Base32.encode(bytes)) == bytes)
        }
    }

    @Test("characters outside the alphabet are refused", arguments: [
        "MZXW0YTB", "MZXW1YTB", "MZXW8YTB", "MZXW9YTB", "MZXW-YTB", "MZXW_YTB", "MZXW6YT\u{0}", "MZXWÉYTB", "MZXW6YTB\n",
    ])
    func foreignCharacters(_ text: String) {
        #expect(Base32.decode(text) == nil)
    }

    @Test("padding before the end and impossible lengths are refused")
    func structure() {
        #expect(Base32.decode("MZ=XW6YTB") == nil)
        #expect(Base32.decode("M") == nil)         // 1 symbol: 5 bits, no whole byte
        #expect(Base32.decode("MZX") == nil)       // 3 symbols
        #expect(Base32.decode("MZXW6Y") == nil)    // 6 symbols
        #expect(Base32.decode("MZXW6YTBM") == nil) // 9 symbols
    }
}

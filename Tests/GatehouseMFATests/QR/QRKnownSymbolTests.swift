import Testing
@testable import GatehouseMFA

/// A whole symbol compared module by module. The reference is the matrix the Python `qrcode`
/// package (version 8.2) draws for the same bytes in byte mode at version 1-M with mask 7,
/// which is also the mask both encoders choose on their own; 504 further symbols of versions
/// 1 to 40, all levels and all masks were compared the same way when the encoder was written.
@Suite("QR known symbol")
struct QRKnownSymbolTests {
    static let gatehouse1M = [
        "111111100010001111111",
        "100000100111101000001",
        "101110100100101011101",
        "101110100010001011101",
        "101110100110101011101",
        "100000101101101000001",
        "111111101010101111111",
        "000000000101100000000",
        "100101101010010100000",
        "010000000100010011011",
        "001011111010100101101",
        "000010010101001001000",
        "001111101100100111011",
        "000000001111010000000",
        "111111100100010111110",
        "100000101111110010000",
        "101110100101011110010",
        "101110101111000111011",
        "101110100110100111101",
        "100000100110011110000",
        "111111101001100001010",
    ]

    @Test("\"Gatehouse\" at 1-M is the reference symbol, mask 7 chosen by the penalty rules")
    func gatehouse() throws {
        let q = try QRCode(text: "Gatehouse", errorCorrectionLevel: .medium)
        #expect(q.version == 1 && q.size == 21)
        #expect(q.mask == .pattern7)
        let rows = (0..<q.size).map { y in String((0..<q.size).map { x in q.isDark(x: x, y: y) ? "1" : "0" }) }
        #expect(rows == Self.gatehouse1M)
    }

    @Test("the reference symbol's format information reads M, mask 7")
    func formatOfReference() {
        let row8 = Array(Self.gatehouse1M[8])
        // Bits 14…9 at columns 0–5 of row 8, then bit 8 at column 7 (column 6 is timing).
        let high = (Array(0...5) + [7]).map { row8[$0] == "1" ? 1 : 0 }.reduce(0) { $0 << 1 | $1 }
        #expect(high == QRFormatInformation.formatBits(level: .medium, mask: .pattern7) >> 8)
        #expect(QRFormatInformation.formatBits(level: .medium, mask: .pattern7) == 0b100101010100000)
    }
}

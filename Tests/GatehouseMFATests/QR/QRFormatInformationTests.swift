import Testing
@testable import GatehouseMFA

@Suite("QR format and version information (§7.9, §7.10, Annexes C and D)")
struct QRFormatInformationTests {
    /// Table C.1, the masked 15-bit sequences, by level and mask pattern 0–7.
    static let tableC1: [(QRCode.ErrorCorrectionLevel, [String])] = [
        (.low, ["111011111000100", "111001011110011", "111110110101010", "111100010011101",
                "110011000101111", "110001100011000", "110110001000001", "110100101110110"]),
        (.medium, ["101010000010010", "101000100100101", "101111001111100", "101101101001011",
                   "100010111111001", "100000011001110", "100111110010111", "100101010100000"]),
        (.quartile, ["011010101011111", "011000001101000", "011111100110001", "011101000000110",
                     "010010010110100", "010000110000011", "010111011011010", "010101111101101"]),
        (.high, ["001011010001001", "001001110111110", "001110011100111", "001100111010000",
                 "000011101100010", "000001001010101", "000110100001100", "000100000111011"]),
    ]

    @Test("format bits for every level and mask match Table C.1")
    func formatTable() {
        for (level, rows) in Self.tableC1 {
            for mask in QRMask.allCases {
                #expect(binary(QRFormatInformation.formatBits(level: level, mask: mask), width: 15) == rows[mask.rawValue],
                        "level \(level), mask \(mask.rawValue)")
            }
        }
    }

    @Test("Annex C worked example: M with mask 101 is 100000011001110")
    func formatExample() {
        #expect(QRFormatInformation.formatBits(level: .medium, mask: .pattern5) == 0b100000011001110)
    }

    @Test("version bits for versions 7–10 and 40 match Table D.1")
    func versionTable() {
        let expected = [7: 0x07C94, 8: 0x085BC, 9: 0x09A99, 10: 0x0A4D3, 40: 0x28C69]
        for (version, bits) in expected {
            #expect(QRFormatInformation.versionBits(QRVersion(number: version)) == bits, "version \(version)")
        }
    }

    @Test("any two format sequences differ in at least 7 bits, any two version sequences in at least 8")
    func distances() {
        let formats = QRCode.ErrorCorrectionLevel.allCases.flatMap { level in
            QRMask.allCases.map { QRFormatInformation.formatBits(level: level, mask: $0) }
        }
        #expect(Set(formats).count == 32)
        #expect(minimumDistance(formats) == 7)
        let versions = (7...40).map { QRFormatInformation.versionBits(QRVersion(number: $0)) }
        #expect(minimumDistance(versions) == 8)
        #expect(versions.allSatisfy { $0 >> 12 >= 7 && $0 >> 12 <= 40 })
    }

    private func minimumDistance(_ codes: [Int]) -> Int {
        var best = Int.max
        for i in codes.indices {
            for j in codes.indices where j > i { best = min(best, (codes[i] ^ codes[j]).nonzeroBitCount) }
        }
        return best
    }

    private func binary(_ value: Int, width: Int) -> String {
        let digits = String(value, radix: 2)
        return String(repeating: "0", count: width - digits.count) + digits
    }
}

/// Size and codeword layout of one of the 40 QR code versions (ISO/IEC 18004:2015 §5.3.3,
/// Tables 1 and 9).
struct QRVersion: Equatable, Comparable {
    /// 1 through 40.
    let number: Int

    static let range = 1...40

    /// Modules per side: 17 + 4 · version (§5.3.3).
    var size: Int { 17 + 4 * number }

    static func < (a: QRVersion, b: QRVersion) -> Bool { a.number < b.number }

    /// Modules left for data and error correction codewords once the function patterns
    /// and format/version information are placed (Table 1, "data modules except (C)").
    var rawDataModules: Int {
        var modules = (16 * number + 128) * number + 64
        if number >= 2 {
            let alignments = number / 7 + 2
            modules -= (25 * alignments - 10) * alignments - 55
            if number >= 7 { modules -= 36 }
        }
        return modules
    }

    /// Total codewords (Table 1); the leftover `rawDataModules % 8` are remainder bits.
    var totalCodewords: Int { rawDataModules / 8 }

    /// Error correction codewords in each block (Table 9).
    func eccPerBlock(_ level: QRCode.ErrorCorrectionLevel) -> Int {
        Self.eccCodewordsPerBlock[level.tableIndex][number]
    }

    /// Number of error correction blocks (Table 9).
    func blockCount(_ level: QRCode.ErrorCorrectionLevel) -> Int {
        Self.errorCorrectionBlocks[level.tableIndex][number]
    }

    /// Data codewords the symbol holds at `level` (Table 7).
    func dataCodewords(_ level: QRCode.ErrorCorrectionLevel) -> Int {
        totalCodewords - eccPerBlock(level) * blockCount(level)
    }

    /// Bits of the character count indicator in byte mode: 8 up to version 9, 16 from 10 (Table 3).
    var byteModeCountBits: Int { number <= 9 ? 8 : 16 }

    /// Row and column centres of the alignment patterns (Annex E, Table E.1): 6, then evenly
    /// spaced steps of an even width ending at size − 7; none for version 1.
    var alignmentPositions: [Int] {
        guard number > 1 else { return [] }
        let count = number / 7 + 2
        let step = (number * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        return [6] + (0..<(count - 1)).map { size - 7 - $0 * step }.reversed()
    }

    // Table 9, indexed [level: L, M, Q, H][version]; index 0 is unused.
    private static let eccCodewordsPerBlock: [[Int]] = [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    private static let errorCorrectionBlocks: [[Int]] = [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]
}

import Testing
@testable import GatehouseMFA

@Suite("QR function patterns (§6.3) and information placement (§7.9, §7.10)")
struct QRStructureTests {
    let symbol = try! QRCode(text: "otpauth://totp/Hu%E1%BA%BF:hoa?secret=GEZDGNBVGY3TQOJQ", errorCorrectionLevel: .medium)

    private let finder = [
        "1111111",
        "1000001",
        "1011101",
        "1011101",
        "1011101",
        "1000001",
        "1111111",
    ]

    private func finderAt(_ q: QRCode, x: Int, y: Int) -> Bool {
        (0..<7).allSatisfy { dy in (0..<7).allSatisfy { dx in q.isDark(x: x + dx, y: y + dy) == (Array(finder[dy])[dx] == "1") } }
    }

    @Test("three finder patterns with light separators, none at the bottom right")
    func finders() {
        let q = symbol, s = q.size
        #expect(finderAt(q, x: 0, y: 0))
        #expect(finderAt(q, x: s - 7, y: 0))
        #expect(finderAt(q, x: 0, y: s - 7))
        #expect(!finderAt(q, x: s - 7, y: s - 7))
        for i in 0..<8 {
            #expect(!q.isDark(x: 7, y: i) && !q.isDark(x: i, y: 7))                   // top left
            #expect(!q.isDark(x: s - 8, y: i) && !q.isDark(x: s - 1 - i, y: 7))       // top right
            #expect(!q.isDark(x: 7, y: s - 1 - i) && !q.isDark(x: i, y: s - 8))       // bottom left
        }
    }

    @Test("timing patterns alternate between the finders, starting and ending dark")
    func timing() {
        let q = symbol
        for i in 8..<(q.size - 8) {
            #expect(q.isDark(x: i, y: 6) == (i % 2 == 0))
            #expect(q.isDark(x: 6, y: i) == (i % 2 == 0))
        }
    }

    @Test("the dark module sits at (8, size − 8)")
    func darkModule() {
        for level in QRCode.ErrorCorrectionLevel.allCases {
            for mask in QRMask.allCases {
                let q = try! QRCode(text: "x", errorCorrectionLevel: level, mask: mask)
                #expect(q.isDark(x: 8, y: q.size - 8))
            }
        }
    }

    @Test("both copies of the format information carry the level and mask")
    func formatCopies() throws {
        for level in QRCode.ErrorCorrectionLevel.allCases {
            for mask in [QRMask.pattern0, .pattern3, .pattern6] {
                let q = try QRCode(text: "Huế", errorCorrectionLevel: level, mask: mask)
                let expected = QRFormatInformation.formatBits(level: level, mask: mask)
                // Copy 1 around the top-left finder, bit 14 first (Figure 25).
                let first = [(0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8), (8, 7),
                             (8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0)]
                // Copy 2: bits 14…8 up the bottom-left column, bits 7…0 along row 8 on the right.
                let s = q.size
                let second = (0..<7).map { (8, s - 1 - $0) } + (0..<8).map { (s - 8 + $0, 8) }
                for positions in [first, second] {
                    let read = positions.reduce(0) { $0 << 1 | (q.isDark(x: $1.0, y: $1.1) ? 1 : 0) }
                    #expect(read == expected, "level \(level), mask \(mask)")
                }
                #expect(q.mask == mask && q.errorCorrectionLevel == level)
            }
        }
    }

    @Test("version 7 and up carry both 6×3 version blocks; version 6 carries none")
    func versionBlocks() throws {
        let v7 = try QRCode(bytes: Array(repeating: 0x41, count: 110), errorCorrectionLevel: .medium)
        #expect(v7.version == 7)
        let bits = QRFormatInformation.versionBits(QRVersion(number: 7))
        let s = v7.size
        for i in 0..<18 {
            let bit = (bits >> i) & 1 == 1
            #expect(v7.isDark(x: s - 11 + i % 3, y: i / 3) == bit)     // top right, 6 high × 3 wide
            #expect(v7.isDark(x: i / 3, y: s - 11 + i % 3) == bit)     // bottom left, 3 high × 6 wide
        }
        let v6 = QRMatrix(version: QRVersion(number: 6))
        #expect(!v6.isFunction(x: v6.size - 11, y: 0))
    }

    @Test("alignment patterns: dark centre, light ring, dark border; none over the finders")
    func alignmentPatterns() throws {
        let q = try QRCode(bytes: Array(repeating: 0x41, count: 110), errorCorrectionLevel: .medium)   // version 7
        for (cx, cy) in [(22, 6), (6, 22), (22, 22), (38, 22), (22, 38), (38, 38)] {
            for dy in -2...2 {
                for dx in -2...2 {
                    #expect(q.isDark(x: cx + dx, y: cy + dy) == (max(abs(dx), abs(dy)) != 1), "pattern at (\(cx), \(cy))")
                }
            }
        }
        let m = QRMatrix(version: QRVersion(number: 7))
        #expect(!m.isFunction(x: 38, y: 10) && !m.isFunction(x: 36, y: 36 + 5))
    }

    @Test("quiet-zone coordinates read as light")
    func quietZone() {
        #expect(!symbol.isDark(x: -1, y: 0) && !symbol.isDark(x: 0, y: -1))
        #expect(!symbol.isDark(x: symbol.size, y: 0) && !symbol.isDark(x: 0, y: symbol.size))
    }
}

import Testing
@testable import GatehouseMFA

@Suite("QR mask penalty rules (§7.8.3, Table 11)")
struct QRPenaltyTests {
    /// A grid from rows of "1" (dark) and "0" (light).
    private func grid(_ rows: [String]) -> QRPenalty.Grid {
        QRPenalty.Grid(size: rows.count, modules: rows.flatMap { $0.map { $0 == "1" } })
    }

    @Test("an all-light 5×5 grid: runs, blocks and balance")
    func allLight() {
        let g = grid(Array(repeating: "00000", count: 5))
        #expect(QRPenalty.adjacentRuns(g) == 10 * 3)          // 5 rows + 5 columns, each a run of 5
        #expect(QRPenalty.blocks(g) == 16 * 3)                // 4 × 4 overlapping 2×2 blocks
        #expect(QRPenalty.finderLikePatterns(g) == 0)
        #expect(QRPenalty.balance(g) == 100)                  // 0 % dark: ten 5 % steps from 50 %
    }

    @Test("a checkerboard scores nothing")
    func checkerboard() {
        let g = grid((0..<6).map { y in String((0..<6).map { x in (x + y) % 2 == 0 ? "1" : "0" }) })
        #expect(QRPenalty.adjacentRuns(g) + QRPenalty.blocks(g) + QRPenalty.finderLikePatterns(g) + QRPenalty.balance(g) == 0)
    }

    @Test("rule 1: a run of 5 + i scores 3 + i")
    func runs() {
        var rows = (0..<8).map { y in String((0..<8).map { x in (x + y) % 2 == 0 ? "1" : "0" }) }
        rows[0] = "11111110"   // a run of 7 in row 0
        let g = grid(rows)
        #expect(QRPenalty.adjacentRuns(g) == 3 + 2)
    }

    @Test("rule 3: 1011101 with four light modules on one side scores 40, once")
    func finderLike() {
        func score(_ line: String) -> Int {
            let size = line.count
            return QRPenalty.finderLikePatterns(grid([line] + Array(repeating: String(repeating: "0", count: size), count: size - 1)))
        }
        #expect(score("00001011101") == 40)
        #expect(score("10111010000") == 40)
        #expect(score("10111010") == 40)          // beyond the edge is the light quiet zone
        #expect(score("00001011101000") == 40)    // light on both sides still counts once
        #expect(score("110111011000") == 0)       // dark right before, and a dark module 1 after it
        #expect(score("11011101111") == 0)
    }

    @Test("rule 4: 10 points per whole 5 % away from half dark")
    func balance() {
        func grid(dark: Int, of total: Int) -> QRPenalty.Grid {
            let side = Int(Double(total).squareRoot())
            return QRPenalty.Grid(size: side, modules: (0..<total).map { $0 < dark })
        }
        #expect(QRPenalty.balance(grid(dark: 50, of: 100)) == 0)
        #expect(QRPenalty.balance(grid(dark: 54, of: 100)) == 0)
        #expect(QRPenalty.balance(grid(dark: 55, of: 100)) == 10)
        #expect(QRPenalty.balance(grid(dark: 39, of: 100)) == 20)
        #expect(QRPenalty.balance(grid(dark: 100, of: 100)) == 100)
    }

    @Test("the encoder keeps the mask with the lowest total score")
    func lowestScoreWins() throws {
        for text in ["a", "Gatehouse", String(repeating: "Huế ", count: 30)] {
            let chosen = try QRCode(text: text)
            let auto = try QRCode(text: text, mask: chosen.mask)
            #expect(auto.modules == chosen.modules)
            let version = QRVersion(number: chosen.version)
            let level = chosen.errorCorrectionLevel
            var matrix = QRMatrix(version: version)
            matrix.placeCodewords(QRCodewords.interleaved(QRCodewords.data(Array(text.utf8), version: version, level: level),
                                                          version: version, level: level))
            let scores = QRMask.allCases.map { QRCode.penalty(matrix, level: level, mask: $0) }
            #expect(scores[chosen.mask.rawValue] == scores.min())
            #expect(scores.firstIndex(of: scores.min()!) == chosen.mask.rawValue)
        }
    }
}

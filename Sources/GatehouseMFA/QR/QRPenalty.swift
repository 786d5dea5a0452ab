/// The mask evaluation of ISO/IEC 18004:2015 §7.8.3 (Table 11): the mask whose symbol
/// scores the lowest total is chosen.
enum QRPenalty {
    static let n1 = 3, n2 = 3, n3 = 40, n4 = 10

    /// A square grid of modules, row by row, `true` for dark.
    struct Grid {
        let size: Int
        let modules: [Bool]
        subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

        /// Every row, then every column.
        var lines: [[Bool]] {
            let rows = (0..<size).map { y in (0..<size).map { x in self[x, y] } }
            let columns = (0..<size).map { x in (0..<size).map { y in self[x, y] } }
            return rows + columns
        }
    }

    /// Sum of the four rules for a finished (masked, format-bearing) symbol.
    static func score(_ m: QRMatrix) -> Int {
        let grid = Grid(size: m.size, modules: m.modules)
        return adjacentRuns(grid) + blocks(grid) + finderLikePatterns(grid) + balance(grid)
    }

    /// Rule 1: each row or column run of 5 + i same-coloured modules scores N1 + i.
    static func adjacentRuns(_ m: Grid) -> Int {
        var total = 0
        for line in m.lines {
            var run = 1
            for i in 1...line.count {
                if i < line.count && line[i] == line[i - 1] { run += 1; continue }
                if run >= 5 { total += n1 + run - 5 }
                run = 1
            }
        }
        return total
    }

    /// Rule 2: each 2×2 block of one colour scores N2 (blocks may overlap, so an m×n block
    /// scores N2 · (m − 1) · (n − 1)).
    static func blocks(_ m: Grid) -> Int {
        var total = 0
        for y in 0..<(m.size - 1) {
            for x in 0..<(m.size - 1) {
                let c = m[x, y]
                if m[x + 1, y] == c && m[x, y + 1] == c && m[x + 1, y + 1] == c { total += n2 }
            }
        }
        return total
    }

    /// Rule 3: each 1:1:3:1:1 dark–light–dark–light–dark run with four light modules before
    /// or after it in its row or column scores N3. Beyond the symbol is the light quiet zone.
    static func finderLikePatterns(_ m: Grid) -> Int {
        let core = [true, false, true, true, true, false, true]
        var total = 0
        for line in m.lines where line.count >= core.count {
            func light(_ range: Range<Int>) -> Bool {
                range.allSatisfy { $0 < 0 || $0 >= line.count || !line[$0] }
            }
            for start in 0...(line.count - core.count) where line[start..<start + core.count].elementsEqual(core) {
                if light((start - 4)..<start) || light((start + 7)..<(start + 11)) { total += n3 }
            }
        }
        return total
    }

    /// Rule 4: N4 for every full 5 % by which the dark share departs from 50 %.
    static func balance(_ m: Grid) -> Int {
        let dark = m.modules.lazy.filter { $0 }.count, total = m.modules.count
        return n4 * (abs(dark * 2 - total) * 10 / total)
    }
}

/// The module grid of a symbol while it is built; x is the column, y the row, `true` is dark.
struct QRMatrix {
    let version: QRVersion
    let size: Int
    private(set) var modules: [Bool]
    /// Modules that belong to function patterns or format/version information, which
    /// data placement skips and masking leaves alone (§7.8.1).
    private(set) var isFunction: [Bool]

    /// A grid with all function patterns of `version` drawn and the format area reserved.
    init(version: QRVersion) {
        self.version = version
        size = version.size
        modules = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
        drawTimingPatterns()
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] { drawFinderPattern(centreX: x, centreY: y) }
        drawAlignmentPatterns()
        drawFormatInformation(0)
        drawVersionInformation()
    }

    subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    func isFunction(x: Int, y: Int) -> Bool { isFunction[y * size + x] }

    private mutating func setFunction(_ x: Int, _ y: Int, dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    /// Row 6 and column 6 alternate dark and light, starting dark (§6.3.5).
    private mutating func drawTimingPatterns() {
        for i in 0..<size {
            setFunction(6, i, dark: i % 2 == 0)
            setFunction(i, 6, dark: i % 2 == 0)
        }
    }

    /// A 7×7 finder pattern (dark ring, light ring, 3×3 dark centre) and its one-module
    /// light separator (§6.3.3, §6.3.4).
    private mutating func drawFinderPattern(centreX: Int, centreY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centreX + dx, y = centreY + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))
                setFunction(x, y, dark: ring != 2 && ring != 4)
            }
        }
    }

    /// 5×5 alignment patterns at every pair of Annex E positions except the three that
    /// would overlap finder patterns (§6.3.6).
    private mutating func drawAlignmentPatterns() {
        let positions = version.alignmentPositions
        let last = positions.count - 1
        for (i, y) in positions.enumerated() {
            for (j, x) in positions.enumerated() {
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                for dy in -2...2 {
                    for dx in -2...2 { setFunction(x + dx, y + dy, dark: max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
    }

    /// Places the 15 format bits twice (§7.9.1, Figure 25), bit 0 being the least
    /// significant: beside the top-left finder, and split between the top-right and
    /// bottom-left ones, with the dark module at (8, size − 8).
    mutating func drawFormatInformation(_ bits: Int) {
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { setFunction(8, i, dark: bit(i)) }
        setFunction(8, 7, dark: bit(6))
        setFunction(8, 8, dark: bit(7))
        setFunction(7, 8, dark: bit(8))
        for i in 9..<15 { setFunction(14 - i, 8, dark: bit(i)) }
        for i in 0..<8 { setFunction(size - 1 - i, 8, dark: bit(i)) }
        for i in 8..<15 { setFunction(8, size - 15 + i, dark: bit(i)) }
        setFunction(8, size - 8, dark: true)
    }

    /// Places the 18 version bits in the 6×3 blocks above the bottom-left finder and left
    /// of the top-right one, versions 7 and up (§7.10, Figure 27).
    private mutating func drawVersionInformation() {
        guard version.number >= 7 else { return }
        let bits = QRFormatInformation.versionBits(version)
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3, b = i / 3
            setFunction(a, b, dark: dark)
            setFunction(b, a, dark: dark)
        }
    }

    /// Places codewords, most significant bit first, in two-module columns from the
    /// bottom-right corner, up then down in turn, skipping the vertical timing pattern and
    /// all function modules (§7.7.3, Figure 20). Remainder bits stay light (0).
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let totalBits = codewords.count * 8
        var index = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !isFunction(x: x, y: y) {
                    if index < totalBits {
                        modules[y * size + x] = (codewords[index >> 3] >> (7 - UInt8(index & 7))) & 1 == 1
                        index += 1
                    }
                }
            }
            right -= 2
        }
        precondition(index == totalBits, "codewords do not fill the symbol")
    }

    /// Inverts every non-function module where `mask` says so (§7.8.2); applying the same
    /// mask twice undoes it.
    mutating func apply(_ mask: QRMask) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && mask.inverts(row: y, column: x) {
                modules[y * size + x].toggle()
            }
        }
    }
}

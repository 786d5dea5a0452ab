import Testing
@testable import GatehouseMFA

@Suite("QR versions: sizes and capacities (Tables 1, 7, 9, E.1)")
struct QRVersionTests {
    @Test("size is 17 + 4·version: 21 for version 1, 177 for version 40")
    func sizes() {
        #expect(QRVersion(number: 1).size == 21)
        #expect(QRVersion(number: 7).size == 45)
        #expect(QRVersion(number: 40).size == 177)
    }

    @Test("the raw-module formula equals the modules the function patterns leave free, for all 40 versions")
    func rawModulesMatchTheMatrix() {
        for number in QRVersion.range {
            let version = QRVersion(number: number)
            let free = QRMatrix(version: version).isFunction.filter { !$0 }.count
            #expect(free == version.rawDataModules, "version \(number)")
        }
    }

    @Test("Table 1: total codewords and remainder bits")
    func table1() {
        let total = [1: 26, 2: 44, 6: 172, 7: 196, 10: 346, 14: 581, 21: 1156, 25: 1588, 28: 1921, 35: 2876, 40: 3706]
        for (number, codewords) in total { #expect(QRVersion(number: number).totalCodewords == codewords, "version \(number)") }
        let remainder = [1: 0, 2: 7, 6: 7, 7: 0, 13: 0, 14: 3, 20: 3, 21: 4, 27: 4, 28: 3, 34: 3, 35: 0, 40: 0]
        for (number, bits) in remainder { #expect(QRVersion(number: number).rawDataModules % 8 == bits, "version \(number)") }
    }

    @Test("Table 7: data codewords per level")
    func table7() {
        let expected: [Int: [Int]] = [
            1: [19, 16, 13, 9], 2: [34, 28, 22, 16], 7: [156, 124, 88, 66], 9: [232, 182, 132, 100],
            10: [274, 216, 154, 122], 25: [1276, 1000, 718, 538], 40: [2956, 2334, 1666, 1276],
        ]
        for (number, perLevel) in expected {
            let version = QRVersion(number: number)
            #expect(QRCode.ErrorCorrectionLevel.allCases.map(version.dataCodewords) == perLevel, "version \(number)")
        }
    }

    @Test("Table 9 is consistent: capacity shrinks from L to H and grows with the version")
    func table9Consistency() {
        for number in QRVersion.range {
            let version = QRVersion(number: number)
            let data = QRCode.ErrorCorrectionLevel.allCases.map(version.dataCodewords)
            #expect(data == data.sorted(by: >) && Set(data).count == 4, "version \(number)")
            for level in QRCode.ErrorCorrectionLevel.allCases {
                // Blocks differ by at most one data codeword, and each block has more data than it can lose.
                let blocks = version.blockCount(level)
                #expect(version.totalCodewords / blocks > version.eccPerBlock(level))
                if number > 1 { #expect(version.dataCodewords(level) > QRVersion(number: number - 1).dataCodewords(level)) }
            }
        }
    }

    @Test("Annex E: alignment pattern centres")
    func alignment() {
        let expected: [Int: [Int]] = [
            1: [], 2: [6, 18], 6: [6, 34], 7: [6, 22, 38], 10: [6, 28, 50], 15: [6, 26, 48, 70],
            25: [6, 32, 58, 84, 110], 32: [6, 34, 60, 86, 112, 138], 36: [6, 24, 50, 76, 102, 128, 154],
            40: [6, 30, 58, 86, 114, 142, 170],
        ]
        for (number, positions) in expected { #expect(QRVersion(number: number).alignmentPositions == positions, "version \(number)") }
    }
}

import Testing
@testable import GatehouseMFA

@Suite("QR encoding: data stream, blocks and version choice (§7.4–§7.6)")
struct QREncoderTests {
    @Test("byte mode: indicator 0100, 8-bit count, data, terminator, pad codewords EC 11")
    func dataStream() {
        let data = QRCodewords.data(Array("a".utf8), version: QRVersion(number: 1), level: .low)
        #expect(data.count == 19)
        #expect(Array(data.prefix(3)) == [0x40, 0x16, 0x10])
        #expect(Array(data.dropFirst(3)) == (0..<16).map { $0 % 2 == 0 ? 0xEC : 0x11 })
    }

    @Test("from version 10 the count takes 16 bits")
    func longCount() {
        let data = QRCodewords.data(Array(repeating: 0xFF, count: 260), version: QRVersion(number: 10), level: .low)
        #expect(Array(data.prefix(4)) == [0x40, 0x10, 0x4F, 0xFF])   // 0100 | 0000000100000100 | 1111…
    }

    @Test("a full symbol gets no terminator and no pad codewords")
    func exactlyFull() {
        let bytes = Array(repeating: UInt8(0x5A), count: 14)   // 1-M: 4 + 8 + 112 bits = 124 of 128
        let data = QRCodewords.data(bytes, version: QRVersion(number: 1), level: .medium)
        #expect(data.count == 16)
        #expect(data.last == 0xA0)   // last data nibble 1010, then four terminator zeros
    }

    @Test("blocks are interleaved codeword by codeword, shorter blocks first (5-Q: 2 × 15 + 2 × 16)")
    func interleaving() {
        let version = QRVersion(number: 5)
        #expect(version.blockCount(.quartile) == 4 && version.dataCodewords(.quartile) == 62)
        let data = (0..<62).map { UInt8($0) }
        let all = QRCodewords.interleaved(data, version: version, level: .quartile)
        #expect(all.count == 134)
        #expect(Array(all.prefix(8)) == [0, 15, 30, 46, 1, 16, 31, 47])
        #expect(Array(all[56..<62]) == [14, 29, 44, 60, 45, 61])
        let ecc0 = ReedSolomon.remainder(Array(data[0..<15]), generator: ReedSolomon.generator(degree: 18))
        let ecc3 = ReedSolomon.remainder(Array(data[46..<62]), generator: ReedSolomon.generator(degree: 18))
        #expect(all[62] == ecc0[0] && all[65] == ecc3[0] && all[66] == ecc0[1] && all[133] == ecc3[17])
    }

    @Test("the smallest version that holds the data is chosen", arguments: [
        (QRCode.ErrorCorrectionLevel.low, 17, 1), (.low, 18, 2), (.medium, 14, 1), (.medium, 15, 2),
        (.quartile, 11, 1), (.quartile, 12, 2), (.high, 7, 1), (.high, 8, 2),
        (.low, 230, 9), (.low, 231, 10), (.low, 1273, 25), (.low, 1274, 26), (.medium, 106, 6), (.medium, 107, 7),
        (.high, 1273, 40),
    ])
    func versionChoice(level: QRCode.ErrorCorrectionLevel, bytes: Int, version: Int) throws {
        let q = try QRCode(bytes: Array(repeating: 0x61, count: bytes), errorCorrectionLevel: level)
        #expect(q.version == version)
        #expect(q.size == 17 + 4 * version)
    }

    @Test("past version 40 encoding fails with the level's maximum", arguments: [
        (QRCode.ErrorCorrectionLevel.low, 2953), (.medium, 2331), (.quartile, 1663), (.high, 1273),
    ])
    func tooLong(level: QRCode.ErrorCorrectionLevel, maximum: Int) throws {
        #expect(try QRCode(bytes: Array(repeating: 0x61, count: maximum), errorCorrectionLevel: level).version == 40)
        #expect(throws: QRCodeError.dataTooLong(byteCount: maximum + 1, maximum: maximum)) {
            try QRCode(bytes: Array(repeating: 0x61, count: maximum + 1), errorCorrectionLevel: level)
        }
    }

    @Test("M is the default level, text is UTF-8")
    func defaults() throws {
        let q = try QRCode(text: "Huế")
        #expect(q.errorCorrectionLevel == .medium)
        let same = try QRCode(bytes: Array("Huế".utf8), errorCorrectionLevel: .medium, mask: q.mask)
        #expect(q.modules == same.modules)
    }

    @Test("encoding is deterministic and the mask changes only data modules")
    func masks() throws {
        let a = try QRCode(text: "Gatehouse", mask: .pattern2), b = try QRCode(text: "Gatehouse", mask: .pattern2)
        #expect(a.modules == b.modules)
        let c = try QRCode(text: "Gatehouse", mask: .pattern5)
        let function = QRMatrix(version: QRVersion(number: a.version))
        for y in 0..<a.size {
            for x in 0..<a.size where function.isFunction(x: x, y: y) {
                let inFormatArea = (x == 8 || y == 8)
                if !inFormatArea { #expect(a.isDark(x: x, y: y) == c.isDark(x: x, y: y)) }
            }
        }
        #expect(a.modules != c.modules)
    }
}

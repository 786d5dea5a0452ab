import Testing
@testable import GatehouseMFA

@Suite("QR PNG rendering")
struct PNGTests {
    @Test("a one-bit grayscale PNG: valid chunk CRCs, stored zlib, quiet zone, module scale")
    func structure() throws {
        let q = try QRCode(text: "Gatehouse")
        for moduleSize in [1, 3, 8] {
            let png = try PNGReader(q.png(moduleSize: moduleSize))
            let side = (q.size + 8) * moduleSize
            #expect(png.width == side && png.height == side)
            #expect(png.chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
            for chunk in png.chunks { #expect(chunk.crc == CRC32.checksum(Array(chunk.type.utf8) + chunk.data)) }
            for y in 0..<side {
                for x in 0..<side {
                    let expected = q.isDark(x: x / moduleSize - 4, y: y / moduleSize - 4)
                    if png.black[y * side + x] != expected {
                        Issue.record("pixel (\(x), \(y)) at module size \(moduleSize)")
                        return
                    }
                }
            }
        }
    }

    @Test("the quiet zone is four white modules on every side")
    func quietZone() throws {
        let q = try QRCode(text: "x")
        let png = try PNGReader(q.png(moduleSize: 2))
        let side = png.width
        for i in 0..<side {
            for d in 0..<8 {
                #expect(!png.black[d * side + i] && !png.black[(side - 1 - d) * side + i])
                #expect(!png.black[i * side + d] && !png.black[i * side + side - 1 - d])
            }
        }
        #expect(png.black[8 * side + 8])   // the finder's corner module starts right after
    }

    @Test("image data over 65 535 bytes is split into several stored blocks")
    func severalBlocks() throws {
        let q = try QRCode(bytes: Array(repeating: 0x41, count: 2000), errorCorrectionLevel: .low)
        let bytes = q.png(moduleSize: 6)
        let png = try PNGReader(bytes)
        #expect(png.width == (q.size + 8) * 6)
        let idat = try #require(png.chunks.first { $0.type == "IDAT" })
        #expect(idat.data.count > 65_535 + 11)
        #expect(idat.data[2] == 0)                      // first block is not the final one
        #expect(png.black.filter { $0 }.count == (0..<(q.size * q.size)).filter { q.isDark(x: $0 % q.size, y: $0 / q.size) }.count * 36)
    }
}

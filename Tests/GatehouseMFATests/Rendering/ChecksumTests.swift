import Testing
@testable import GatehouseMFA

@Suite("CRC-32 and Adler-32")
struct ChecksumTests {
    @Test("CRC-32 check value of \"123456789\" is cbf43926")
    func crcCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test("the PNG IEND chunk carries the well-known CRC ae426082")
    func iend() {
        #expect(PNGWriter.chunk("IEND", []) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    }

    @Test("Adler-32 of \"Wikipedia\" is 11e60398 (RFC 1950 §8.2 algorithm)")
    func adlerExample() {
        #expect(Adler32.checksum(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(Adler32.checksum([]) == 1)
    }

    @Test("Adler-32 stays exact over long inputs where the sums must be reduced")
    func adlerLong() {
        let data = [UInt8](repeating: 0xFF, count: 100_000) + (0..<7777).map { UInt8(truncatingIfNeeded: $0) }
        var a = 1, b = 0
        for byte in data { a = (a + Int(byte)) % 65521; b = (b + a) % 65521 }
        #expect(Adler32.checksum(data) == UInt32(b << 16 | a))
    }
}

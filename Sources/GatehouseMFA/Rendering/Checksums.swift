/// CRC-32 as PNG chunks carry it (PNG specification §5.5, ISO/IEC 15948 Annex D): the
/// reflected polynomial `0xEDB88320`, initial value and final XOR `0xFFFFFFFF`.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

/// Adler-32, the checksum that ends a zlib stream (RFC 1950 §8.2).
enum Adler32 {
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        var pending = 0
        for byte in bytes {
            a += UInt32(byte)
            b += a
            pending += 1
            if pending == 5552 {   // the longest run before b can overflow (RFC 1950 §9)
                a %= 65521; b %= 65521; pending = 0
            }
        }
        return (b % 65521) << 16 | (a % 65521)
    }
}

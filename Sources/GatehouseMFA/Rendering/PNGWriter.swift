/// Writes a one-bit grayscale PNG (ISO/IEC 15948, the PNG specification) without a
/// compression library: the image data is a zlib stream (RFC 1950) of uncompressed
/// "stored" deflate blocks (RFC 1951 §3.2.4), which every PNG reader accepts.
enum PNGWriter {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A `width` × `height` black-and-white image; `isDark(x, y)` paints a pixel black.
    static func blackAndWhite(width: Int, height: Int, isDark: (Int, Int) -> Bool) -> [UInt8] {
        precondition(width > 0 && height > 0 && width <= 0x7FFF_FFFF && height <= 0x7FFF_FFFF, "invalid PNG size")
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [1, 0, 0, 0, 0]   // bit depth 1, colour type 0 (grayscale), deflate, filter 0, no interlace
        let rowBytes = (width + 7) / 8
        var raw = [UInt8]()
        raw.reserveCapacity((rowBytes + 1) * height)
        for y in 0..<height {
            raw.append(0)   // filter type None (§9.2)
            var byte: UInt8 = 0
            for x in 0..<width {
                if !isDark(x, y) { byte |= 0x80 >> UInt8(x % 8) }   // 1 is white in grayscale
                if x % 8 == 7 || x == width - 1 { raw.append(byte); byte = 0 }
            }
        }
        return signature + chunk("IHDR", header) + chunk("IDAT", zlibStored(raw)) + chunk("IEND", [])
    }

    /// A zlib stream (RFC 1950 §2.2): CMF 0x78 (deflate, 32 KiB window), FLG 0x01 (so that
    /// CMF·256 + FLG is a multiple of 31), stored blocks of at most 65 535 bytes each with
    /// LEN and its one's complement NLEN, little-endian, then the Adler-32 of the data.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let length = min(65_535, data.count - start)
            let final = start + length == data.count
            out.append(final ? 1 : 0)   // BFINAL, BTYPE = 00 (no compression)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[start..<start + length]
            start += length
        } while start < data.count
        return out + bigEndian(Adler32.checksum(data))
    }

    /// Length, type, data and the CRC-32 of type and data (§5.3).
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typed + bigEndian(CRC32.checksum(typed))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

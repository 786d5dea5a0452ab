@testable import GatehouseMFA

/// Reads back the PNGs ``QRCode/png(moduleSize:)`` writes: chunk framing, stored deflate
/// blocks and one-bit grayscale rows. Not a general PNG decoder.
struct PNGReader {
    struct Failure: Error, CustomStringConvertible { let description: String }

    struct Chunk { let type: String; let data: [UInt8]; let crc: UInt32 }

    let chunks: [Chunk]
    let width: Int, height: Int
    /// Row-major, `true` for black.
    let black: [Bool]

    init(_ png: [UInt8]) throws {
        guard png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw Failure(description: "signature") }
        var chunks: [Chunk] = []
        var at = 8
        while at < png.count {
            let length = Int(Self.uint32(png, at))
            let type = String(decoding: png[(at + 4)..<(at + 8)], as: UTF8.self)
            let data = Array(png[(at + 8)..<(at + 8 + length)])
            chunks.append(Chunk(type: type, data: data, crc: Self.uint32(png, at + 8 + length)))
            at += 12 + length
        }
        self.chunks = chunks
        guard chunks.first?.type == "IHDR", chunks.last?.type == "IEND" else { throw Failure(description: "chunk order") }
        let header = chunks[0].data
        width = Int(Self.uint32(header, 0))
        height = Int(Self.uint32(header, 4))
        guard Array(header[8...]) == [1, 0, 0, 0, 0] else { throw Failure(description: "not 1-bit grayscale") }

        let stream = chunks.filter { $0.type == "IDAT" }.flatMap(\.data)
        guard stream.count >= 6, stream[0] == 0x78, (Int(stream[0]) << 8 | Int(stream[1])) % 31 == 0 else {
            throw Failure(description: "zlib header")
        }
        var raw: [UInt8] = []
        var p = 2
        while true {
            let header = stream[p]
            guard header & 0b110 == 0 else { throw Failure(description: "not a stored block") }
            let len = Int(stream[p + 1]) | Int(stream[p + 2]) << 8
            let nlen = Int(stream[p + 3]) | Int(stream[p + 4]) << 8
            guard len ^ nlen == 0xFFFF else { throw Failure(description: "LEN/NLEN") }
            raw += stream[(p + 5)..<(p + 5 + len)]
            p += 5 + len
            if header & 1 == 1 { break }
        }
        guard Self.uint32(stream, p) == Adler32.checksum(raw), p + 4 == stream.count else { throw Failure(description: "Adler-32") }

        let rowBytes = (width + 7) / 8
        guard raw.count == height * (rowBytes + 1) else { throw Failure(description: "image data length") }
        var black: [Bool] = []
        for y in 0..<height {
            let row = raw[(y * (rowBytes + 1))...]
            guard row.first == 0 else { throw Failure(description: "filter type") }
            for x in 0..<width {
                black.append(row[row.startIndex + 1 + x / 8] & (0x80 >> UInt8(x % 8)) == 0)
            }
        }
        self.black = black
    }

    static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }
}

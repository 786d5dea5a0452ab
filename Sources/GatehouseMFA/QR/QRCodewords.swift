/// The codeword sequence of a symbol: the byte-mode data stream, padded to capacity, then
/// split into blocks, each given its Reed–Solomon codewords, and interleaved.
enum QRCodewords {
    /// Mode indicator of byte mode (ISO/IEC 18004:2015 §7.4.2, Table 2).
    static let byteMode = 0b0100

    /// Bits the byte-mode segment of `count` bytes takes in `version` (§7.4.5).
    static func segmentBits(count: Int, version: QRVersion) -> Int {
        4 + version.byteModeCountBits + 8 * count
    }

    /// Mode indicator, character count, the bytes, then the terminator (up to four 0 bits,
    /// §7.4.9), zero bits to the byte boundary and the pad codewords 11101100 00010001 in
    /// turn until the data capacity is full (§7.4.10).
    static func data(_ bytes: [UInt8], version: QRVersion, level: QRCode.ErrorCorrectionLevel) -> [UInt8] {
        let capacityBits = version.dataCodewords(level) * 8
        var buffer = QRBitBuffer()
        buffer.append(byteMode, bits: 4)
        buffer.append(bytes.count, bits: version.byteModeCountBits)
        for byte in bytes { buffer.append(Int(byte), bits: 8) }
        precondition(buffer.count <= capacityBits, "data does not fit the version")
        buffer.append(0, bits: min(4, capacityBits - buffer.count))
        buffer.append(0, bits: (8 - buffer.count % 8) % 8)
        var codewords = buffer.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacityBits / 8 {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits `data` into the blocks of Table 9 (the shorter blocks first), appends each
    /// block's error correction codewords (§7.5.2) and interleaves them: the first data
    /// codeword of every block, then the second, …, then the error correction codewords
    /// the same way (§7.6, Figure 13).
    static func interleaved(_ data: [UInt8], version: QRVersion, level: QRCode.ErrorCorrectionLevel) -> [UInt8] {
        precondition(data.count == version.dataCodewords(level), "data is not the symbol's capacity")
        let blockCount = version.blockCount(level), eccLength = version.eccPerBlock(level)
        let total = version.totalCodewords
        let shortBlocks = blockCount - total % blockCount
        let shortDataLength = total / blockCount - eccLength
        let generator = ReedSolomon.generator(degree: eccLength)

        var blocks: [(data: ArraySlice<UInt8>, ecc: [UInt8])] = []
        var start = data.startIndex
        for index in 0..<blockCount {
            let length = shortDataLength + (index < shortBlocks ? 0 : 1)
            let block = data[start..<start + length]
            blocks.append((block, ReedSolomon.remainder(Array(block), generator: generator)))
            start += length
        }

        var result: [UInt8] = []
        result.reserveCapacity(total)
        for i in 0...shortDataLength {
            for block in blocks where i < block.data.count { result.append(block.data[block.data.startIndex + i]) }
        }
        for i in 0..<eccLength {
            for block in blocks { result.append(block.ecc[i]) }
        }
        precondition(result.count == total, "codeword count mismatch")
        return result
    }
}

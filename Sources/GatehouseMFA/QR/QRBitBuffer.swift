/// Bits appended most significant first, as the data stream of §7.4 is built.
struct QRBitBuffer {
    private(set) var bits: [Bool] = []

    var count: Int { bits.count }

    /// Appends the low `length` bits of `value`, most significant first.
    mutating func append(_ value: Int, bits length: Int) {
        precondition(length >= 0 && length <= 31 && value >> length == 0, "value does not fit")
        for i in stride(from: length - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
    }

    /// The bits packed into bytes, most significant bit first; the count must be a multiple of 8.
    var bytes: [UInt8] {
        precondition(bits.count % 8 == 0, "not byte aligned")
        return stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(0) { $0 << 1 | ($1 ? 1 : 0) }
        }
    }
}

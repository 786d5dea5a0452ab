/// Arithmetic in GF(2⁸) as QR codes use it: elements are bytes, addition is XOR, and
/// multiplication is modulo the primitive polynomial x⁸ + x⁴ + x³ + x² + 1 (`0x11D`),
/// with α = 2 as generator (ISO/IEC 18004:2015 §7.5.2).
enum GF256 {
    /// The primitive polynomial, bit i standing for xⁱ.
    static let primitive = 0x11D

    /// `exp[i]` = αⁱ for i in 0..<255, repeated once so that `exp[log a + log b]` needs no reduction.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for i in 0..<255 {
            table[i] = UInt8(value)
            table[i + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= primitive }
        }
        return table
    }()

    /// `log[a]` = i with αⁱ = a, for a ≠ 0 (`log[0]` is unused).
    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exp[i])] = i }
        return table
    }()

    /// a · b in GF(2⁸).
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[log[Int(a)] + log[Int(b)]]
    }

    /// a⁻¹ in GF(2⁸); `a` must not be zero.
    static func inverse(_ a: UInt8) -> UInt8 {
        precondition(a != 0, "zero has no inverse")
        return exp[255 - log[Int(a)]]
    }
}

/// Reed–Solomon error correction codewords for one block (ISO/IEC 18004:2015 §7.5.2).
enum ReedSolomon {
    /// The generator polynomial g(x) = (x − α⁰)(x − α¹)…(x − α^(degree−1)), coefficients
    /// from the highest power down, the leading 1 included (Annex A lists them as powers of α).
    static func generator(degree: Int) -> [UInt8] {
        var g: [UInt8] = [1]
        for i in 0..<degree {
            let root = GF256.exp[i]
            var next = [UInt8](repeating: 0, count: g.count + 1)
            for (j, coefficient) in g.enumerated() {
                next[j] ^= coefficient                                   // · x
                next[j + 1] ^= GF256.multiply(coefficient, root)         // · α^i (− is + in GF(2⁸))
            }
            g = next
        }
        return g
    }

    /// The remainder of data(x) · x^n divided by the generator of degree n: the n error
    /// correction codewords that follow `data` in its block.
    static func remainder(_ data: [UInt8], generator: [UInt8]) -> [UInt8] {
        let degree = generator.count - 1
        var remainder = [UInt8](repeating: 0, count: degree)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            for i in 0..<degree {
                remainder[i] ^= GF256.multiply(generator[i + 1], factor)
            }
        }
        return remainder
    }
}

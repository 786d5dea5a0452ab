import Testing
@testable import GatehouseMFA

@Suite("GF(256) and Reed–Solomon (ISO/IEC 18004 §7.5.2, Annex A)")
struct GF256Tests {
    @Test("powers of α reduce by x⁸ + x⁴ + x³ + x² + 1")
    func powers() {
        #expect(Array(GF256.exp[0...12]) == [1, 2, 4, 8, 16, 32, 64, 128, 29, 58, 116, 232, 205])
        #expect(GF256.exp[255] == 1)                    // α has order 255
        #expect(Set(GF256.exp[0..<255]).count == 255)   // α generates every non-zero element
        #expect(GF256.log[2] == 1 && GF256.log[3] == 25 && GF256.log[29] == 8)
    }

    @Test("multiplication: identity, zero, inverse, commutativity and distributivity")
    func multiplication() {
        for a in UInt8.min...UInt8.max {
            #expect(GF256.multiply(a, 1) == a)
            #expect(GF256.multiply(a, 0) == 0)
            if a != 0 { #expect(GF256.multiply(a, GF256.inverse(a)) == 1) }
        }
        let samples: [UInt8] = [0, 1, 2, 3, 29, 87, 128, 200, 255]
        for a in samples {
            for b in samples {
                #expect(GF256.multiply(a, b) == GF256.multiply(b, a))
                for c in samples {
                    #expect(GF256.multiply(a, b ^ c) == GF256.multiply(a, b) ^ GF256.multiply(a, c))
                }
            }
        }
        #expect(GF256.multiply(0x80, 2) == 0x1D)   // x⁷ · x = x⁸ ≡ x⁴ + x³ + x² + 1
    }

    /// Annex A, Table A.1, as exponents of α from the highest power down.
    @Test("generator polynomials match Annex A", arguments: [
        (7, [0, 87, 229, 146, 149, 238, 102, 21]),
        (10, [0, 251, 67, 46, 61, 118, 70, 64, 94, 32, 45]),
        (13, [0, 74, 152, 176, 100, 86, 100, 106, 104, 130, 218, 206, 140, 78]),
        (17, [0, 43, 139, 206, 78, 43, 239, 123, 206, 214, 147, 24, 99, 150, 39, 243, 163, 136]),
    ])
    func generators(degree: Int, exponents: [Int]) {
        #expect(ReedSolomon.generator(degree: degree).map { GF256.log[Int($0)] } == exponents)
    }

    @Test("every generator has the roots α⁰ … α^(n−1)")
    func generatorRoots() {
        for degree in [7, 10, 13, 15, 16, 17, 18, 20, 22, 24, 26, 28, 30] {
            let g = ReedSolomon.generator(degree: degree)
            for i in 0..<degree { #expect(evaluate(g, at: GF256.exp[i]) == 0) }
            #expect(evaluate(g, at: GF256.exp[degree]) != 0)
        }
    }

    @Test("Annex I: version 1-M error correction codewords of the worked example")
    func annexIExample() {
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(ReedSolomon.remainder(data, generator: ReedSolomon.generator(degree: 10))
            == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test("\"HELLO WORLD\" 1-M: the widely published error correction codewords")
    func helloWorld() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(ReedSolomon.remainder(data, generator: ReedSolomon.generator(degree: 10))
            == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test("a block with its error correction codewords is a codeword: all syndromes vanish")
    func syndromes() {
        let data = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 5) }
        for degree in [7, 18, 30] {
            let block = data + ReedSolomon.remainder(data, generator: ReedSolomon.generator(degree: degree))
            for i in 0..<degree { #expect(evaluate(block, at: GF256.exp[i]) == 0) }
            var damaged = block
            damaged[3] ^= 0x40
            #expect((0..<degree).contains { evaluate(damaged, at: GF256.exp[$0]) != 0 })
        }
    }

    /// Horner's rule over GF(256), coefficients from the highest power down.
    private func evaluate(_ polynomial: [UInt8], at x: UInt8) -> UInt8 {
        polynomial.reduce(0) { GF256.multiply($0, x) ^ $1 }
    }
}

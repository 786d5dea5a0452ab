/// The BCH-protected format and version information (ISO/IEC 18004:2015 §7.9, §7.10).
enum QRFormatInformation {
    /// The 15 format bits for a level and mask (§7.9.1): the two level bits and three mask
    /// bits, a BCH(15,5) remainder with generator x¹⁰+x⁸+x⁵+x⁴+x²+x+1 (`0x537`), all XORed
    /// with 101010000010010 (`0x5412`) so that no combination is all zeros (Annex C, Table C.1).
    static func formatBits(level: QRCode.ErrorCorrectionLevel, mask: QRMask) -> Int {
        let data = level.formatBits << 3 | mask.rawValue
        return (data << 10 | bchRemainder(data << 10, generator: 0x537)) ^ 0x5412
    }

    /// The 18 version bits for versions 7 and up (§7.10): the six-bit version number and
    /// a BCH(18,6) remainder with generator x¹²+x¹¹+x¹⁰+x⁹+x⁸+x⁵+x²+1 (`0x1F25`, Annex D).
    static func versionBits(_ version: QRVersion) -> Int {
        precondition(version.number >= 7, "versions 1 to 6 carry no version information")
        return version.number << 12 | bchRemainder(version.number << 12, generator: 0x1F25)
    }

    /// Polynomial remainder over GF(2) of `value` divided by `generator`.
    private static func bchRemainder(_ value: Int, generator: Int) -> Int {
        let degree = Int.bitWidth - generator.leadingZeroBitCount - 1
        var remainder = value
        while remainder != 0 {
            let top = Int.bitWidth - remainder.leadingZeroBitCount - 1
            if top < degree { break }
            remainder ^= generator << (top - degree)
        }
        return remainder
    }
}

extension QRCode {
    /// How much of a symbol can be lost and still be read (ISO/IEC 18004:2015 §5.3.8, Table 7).
    public enum ErrorCorrectionLevel: Sendable, CaseIterable, Equatable {
        /// L: about 7 % of codewords recoverable.
        case low
        /// M: about 15 %; the default, a balance of size and robustness for phone screens.
        case medium
        /// Q: about 25 %.
        case quartile
        /// H: about 30 %.
        case high

        /// The two-bit indicator in the format information (Table 12): L 01, M 00, Q 11, H 10.
        var formatBits: Int {
            switch self {
            case .low: 1
            case .medium: 0
            case .quartile: 3
            case .high: 2
            }
        }

        /// Row of this level in ``QRVersion``'s tables.
        var tableIndex: Int {
            switch self {
            case .low: 0
            case .medium: 1
            case .quartile: 2
            case .high: 3
            }
        }
    }
}

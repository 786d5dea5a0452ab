/// One of the eight data mask patterns (ISO/IEC 18004:2015 §7.8.2, Table 10), applied to
/// every module outside the function patterns to balance dark and light areas.
public enum QRMask: Int, Sendable, CaseIterable {
    /// (i + j) mod 2 = 0, with i the row and j the column.
    case pattern0 = 0
    /// i mod 2 = 0.
    case pattern1
    /// j mod 3 = 0.
    case pattern2
    /// (i + j) mod 3 = 0.
    case pattern3
    /// (⌊i / 2⌋ + ⌊j / 3⌋) mod 2 = 0.
    case pattern4
    /// (i · j) mod 2 + (i · j) mod 3 = 0.
    case pattern5
    /// ((i · j) mod 2 + (i · j) mod 3) mod 2 = 0.
    case pattern6
    /// ((i + j) mod 2 + (i · j) mod 3) mod 2 = 0.
    case pattern7

    /// True where the mask inverts the module in `row` i, `column` j.
    func inverts(row i: Int, column j: Int) -> Bool {
        switch self {
        case .pattern0: (i + j) % 2 == 0
        case .pattern1: i % 2 == 0
        case .pattern2: j % 3 == 0
        case .pattern3: (i + j) % 3 == 0
        case .pattern4: (i / 2 + j / 3) % 2 == 0
        case .pattern5: (i * j) % 2 + (i * j) % 3 == 0
        case .pattern6: ((i * j) % 2 + (i * j) % 3) % 2 == 0
        case .pattern7: ((i + j) % 2 + (i * j) % 3) % 2 == 0
        }
    }
}

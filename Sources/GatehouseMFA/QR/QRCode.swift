/// A QR code symbol (ISO/IEC 18004:2015) holding bytes in byte mode: the square grid of
/// dark and light modules, ready to render with ``svg(moduleSize:)`` or ``png(moduleSize:)``.
///
/// ```swift
/// let uri = OTPAuthURI.totp(issuer: "Huế", account: "le.thi.hoa", secret: secret)
/// let symbol = try QRCode(text: uri)            // level M, smallest version that fits
/// let page = symbol.svg(moduleSize: 4)          // or symbol.png(moduleSize: 6)
/// ```
public struct QRCode: Sendable {
    /// Version 1 through 40 (§5.3.3).
    public let version: Int
    /// The error correction level the symbol was built with.
    public let errorCorrectionLevel: ErrorCorrectionLevel
    /// The data mask chosen (§7.8).
    public let mask: QRMask
    /// Modules per side, 21 through 177, without the quiet zone.
    public let size: Int
    let modules: [Bool]

    /// Width of the light border readers need around the symbol, in modules (§6.3.8).
    public static let quietZone = 4

    /// True when the module in column `x`, row `y` is dark; coordinates outside the
    /// symbol (the quiet zone) are light.
    public func isDark(x: Int, y: Int) -> Bool {
        (0..<size).contains(x) && (0..<size).contains(y) && modules[y * size + x]
    }

    init(matrix: QRMatrix, level: ErrorCorrectionLevel, mask: QRMask) {
        version = matrix.version.number
        errorCorrectionLevel = level
        self.mask = mask
        size = matrix.size
        modules = matrix.modules
    }
}

/// Why a QR code could not be built.
public enum QRCodeError: Error, Sendable, Equatable {
    /// The data needs more than version 40 holds at the requested level
    /// (2953 bytes at L, 2331 at M, 1663 at Q, 1273 at H).
    case dataTooLong(byteCount: Int, maximum: Int)
}

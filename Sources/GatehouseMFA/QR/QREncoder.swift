extension QRCode {
    /// Encodes `text` as UTF-8 in byte mode (§7.4.5). No ECI header is written: readers
    /// in authenticator apps and phone cameras recognise UTF-8, and an `otpauth://` URI is
    /// ASCII anyway once percent-encoded.
    ///
    /// - Parameters:
    ///   - errorCorrectionLevel: M unless another is asked for.
    ///   - mask: the data mask to use; `nil` evaluates all eight with the penalty rules
    ///     of §7.8.3 and keeps the lowest score (ties go to the lower pattern number).
    /// - Throws: ``QRCodeError/dataTooLong(byteCount:maximum:)`` past version 40.
    public init(text: String, errorCorrectionLevel: ErrorCorrectionLevel = .medium, mask: QRMask? = nil) throws(QRCodeError) {
        try self.init(bytes: Array(text.utf8), errorCorrectionLevel: errorCorrectionLevel, mask: mask)
    }

    /// Encodes `bytes` in byte mode in the smallest version that holds them at
    /// `errorCorrectionLevel` (§7.1, steps 1 to 8).
    public init(bytes: [UInt8], errorCorrectionLevel: ErrorCorrectionLevel = .medium, mask: QRMask? = nil) throws(QRCodeError) {
        let level = errorCorrectionLevel
        guard let version = QRVersion.range.lazy.map(QRVersion.init(number:)).first(where: {
            QRCodewords.segmentBits(count: bytes.count, version: $0) <= $0.dataCodewords(level) * 8
        }) else {
            let largest = QRVersion(number: 40)
            throw .dataTooLong(byteCount: bytes.count,
                               maximum: (largest.dataCodewords(level) * 8 - 4 - largest.byteModeCountBits) / 8)
        }
        let data = QRCodewords.data(bytes, version: version, level: level)
        var matrix = QRMatrix(version: version)
        matrix.placeCodewords(QRCodewords.interleaved(data, version: version, level: level))

        let chosen = mask ?? QRMask.allCases
            .map { (mask: $0, score: Self.penalty(matrix, level: level, mask: $0)) }
            .min { $0.score < $1.score }!.mask
        matrix.apply(chosen)
        matrix.drawFormatInformation(QRFormatInformation.formatBits(level: level, mask: chosen))
        self.init(matrix: matrix, level: level, mask: chosen)
    }

    /// The §7.8.3 score of `matrix` under `mask`, with that mask's format information drawn.
    static func penalty(_ matrix: QRMatrix, level: ErrorCorrectionLevel, mask: QRMask) -> Int {
        var candidate = matrix
        candidate.apply(mask)
        candidate.drawFormatInformation(QRFormatInformation.formatBits(level: level, mask: mask))
        return QRPenalty.score(candidate)
    }
}

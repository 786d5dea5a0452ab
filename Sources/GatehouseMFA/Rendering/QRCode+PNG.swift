extension QRCode {
    /// The symbol as a one-bit grayscale PNG, black modules on white, with the four-module
    /// quiet zone (§6.3.8); each module is `moduleSize` × `moduleSize` pixels.
    ///
    /// ```swift
    /// let bytes = try QRCode(text: uri).png(moduleSize: 6)   // serve as image/png
    /// ```
    ///
    /// - Precondition: `moduleSize` is 1 to 64.
    public func png(moduleSize: Int = 6) -> [UInt8] {
        precondition((1...64).contains(moduleSize), "module size must be 1 to 64 pixels")
        let side = (size + 2 * Self.quietZone) * moduleSize
        return PNGWriter.blackAndWhite(width: side, height: side) { x, y in
            isDark(x: x / moduleSize - Self.quietZone, y: y / moduleSize - Self.quietZone)
        }
    }
}

extension QRCode {
    /// The symbol as a standalone SVG 1.1 document: a white square with the four-module
    /// quiet zone (§6.3.8) and one `<path>` of the dark modules, one unit per module in
    /// the `viewBox`, drawn with `shape-rendering="crispEdges"` so edges stay sharp. It
    /// holds no script, no links and nothing taken from the encoded text.
    ///
    /// ```swift
    /// let svg = try QRCode(text: uri).svg(moduleSize: 4)   // 4 px per module by default
    /// ```
    ///
    /// - Precondition: `moduleSize` is 1 to 64.
    public func svg(moduleSize: Int = 4) -> String {
        precondition((1...64).contains(moduleSize), "module size must be 1 to 64 pixels")
        let side = size + 2 * Self.quietZone
        let pixels = side * moduleSize
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#FFFFFF"/>\
            <path fill="#000000" d="\(darkModulePath)"/></svg>

            """
    }

    /// One subpath per horizontal run of dark modules: `M x,y h length v1 h -length z`,
    /// in quiet-zone-offset coordinates.
    var darkModulePath: String {
        var parts: [String] = []
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else { x += 1; continue }
                let start = x
                while x < size && isDark(x: x, y: y) { x += 1 }
                parts.append("M\(start + Self.quietZone),\(y + Self.quietZone)h\(x - start)v1h-\(x - start)z")
            }
        }
        return parts.joined()
    }
}

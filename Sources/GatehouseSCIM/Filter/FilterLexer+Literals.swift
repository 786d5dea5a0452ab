import GatehouseCore

extension FilterLexer {
    /// A JSON string (RFC 8259 §7): escapes `\" \\ \/ \b \f \n \r \t \uXXXX` (surrogate pairs
    /// joined), no raw control characters, no U+0000. The result is NFC.
    mutating func scanString() throws(SCIMError) -> String {
        let open = index
        index += 1
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else { throw error("unterminated string", at: open, expected: "a closing \"") }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") { index += 1; break }
            if b < 0x20 {
                throw error("control character U+\(Self.hex4(UInt32(b))) in a string (write it as \\u\(Self.hex4(UInt32(b))))", at: index)
            }
            guard b == UInt8(ascii: "\\") else { out.append(b); index += 1; continue }
            let escapeStart = index
            guard index + 1 < bytes.count else { throw error("unterminated string", at: open, expected: "a closing \"") }
            let e = bytes[index + 1]
            index += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let scalar = try scanUnicodeEscape(startingAt: escapeStart)
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw error("invalid escape \"\\\(describeCharacter(at: escapeStart + 1, quoted: false))\" in a string", at: escapeStart)
            }
        }
        let text = String(decoding: out, as: UTF8.self)
        return out.allSatisfy { $0 < 0x80 } ? text : Text.nfc(text)
    }

    /// The four hex digits after `\u` (index is just past the `u`), joined with a following
    /// `\uDC00-DFFF` when they are a high surrogate.
    mutating func scanUnicodeEscape(startingAt escapeStart: Int) throws(SCIMError) -> Unicode.Scalar {
        guard let high = hexQuad(at: index) else { throw error("invalid escape \"\\u\" (it needs four hex digits) in a string", at: escapeStart) }
        index += 4
        if (0xD800...0xDBFF).contains(high) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                let low = hexQuad(at: index + 2), (0xDC00...0xDFFF).contains(low)
            else { throw error("invalid escape \"\\u\(Self.hex4(high))\" (a lone surrogate) in a string", at: escapeStart) }
            index += 6
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        }
        guard let scalar = Unicode.Scalar(high) else {
            throw error("invalid escape \"\\u\(Self.hex4(high))\" (a lone surrogate) in a string", at: escapeStart)
        }
        guard scalar.value != 0 else { throw error("a string must not contain U+0000", at: escapeStart) }
        return scalar
    }

    func hexQuad(at i: Int) -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for b in bytes[i..<i + 4] {
            guard let d = Self.hexDigit(b) else { return nil }
            v = v << 4 | d
        }
        return v
    }

    /// A JSON number (RFC 8259 §6): `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func scanNumber() throws(SCIMError) -> SCIMValue {
        let start = index
        while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let isInteger = Self.jsonNumberShape(bytes[start..<index]) else {
            throw error("invalid number \"\(FilterToken.clipped(text))\"", at: start)
        }
        if isInteger, let i = Int(text) { return .int(i) }
        guard let d = Double(text), d.isFinite else { throw error("number \"\(FilterToken.clipped(text))\" is out of range", at: start) }
        return .double(d)
    }

    /// `true` for an integer, `false` for a number with fraction or exponent, `nil` when
    /// `digits` is not a JSON number.
    static func jsonNumberShape(_ digits: ArraySlice<UInt8>) -> Bool? {
        var i = digits.startIndex
        let end = digits.endIndex
        func digitRun() -> Int {
            let from = i
            while i < end, AttributePathSyntax.isDigit(digits[i]) { i += 1 }
            return i - from
        }
        if i < end, digits[i] == UInt8(ascii: "-") { i += 1 }
        guard i < end else { return nil }
        if digits[i] == UInt8(ascii: "0") { i += 1 } else if digitRun() == 0 { return nil }
        var isInteger = true
        if i < end, digits[i] == UInt8(ascii: ".") {
            i += 1
            isInteger = false
            guard digitRun() > 0 else { return nil }
        }
        if i < end, digits[i] == UInt8(ascii: "e") || digits[i] == UInt8(ascii: "E") {
            i += 1
            isInteger = false
            if i < end, digits[i] == UInt8(ascii: "+") || digits[i] == UInt8(ascii: "-") { i += 1 }
            guard digitRun() > 0 else { return nil }
        }
        return i == end ? isInteger : nil
    }
}

/// Splits filter text into tokens (RFC 7644 §3.4.2.2, Figure 1). Words, numbers and strings
/// must be followed by white space, a parenthesis, a bracket or the end, as the grammar's
/// `SP` asks; `not(` and `emails[` need no space.
struct FilterLexer {
    let bytes: [UInt8]
    /// "filter" or "path", for messages.
    let subject: String
    /// The next byte to read.
    var index = 0

    init(_ text: String, subject: String) {
        self.bytes = Array(text.utf8)
        self.subject = subject
    }

    /// The error `message at offset N[, expected …][: reason]`, with N counted in characters.
    func error(_ message: String, at byte: Int, expected: String? = nil, reason: String? = nil) -> SCIMError {
        let offset = characterOffset(byte)
        var detail = "\(message) at offset \(offset)"
        if let expected { detail += ", expected \(expected)" }
        if let reason { detail += ": \(reason)" }
        return .invalidFilter(detail, offset: offset)
    }

    /// The number of characters before byte `byte`.
    func characterOffset(_ byte: Int) -> Int {
        String(decoding: bytes[0..<min(max(byte, 0), bytes.count)], as: UTF8.self).count
    }

    mutating func next() throws(SCIMError) -> FilterToken {
        while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
        let start = index
        guard index < bytes.count else { return FilterToken(kind: .end, start: start, end: start) }
        let b = bytes[index]
        let kind: FilterToken.Kind
        switch b {
        case UInt8(ascii: "("): index += 1; return FilterToken(kind: .openParen, start: start, end: index)
        case UInt8(ascii: ")"): index += 1; return FilterToken(kind: .closeParen, start: start, end: index)
        case UInt8(ascii: "["): index += 1; return FilterToken(kind: .openBracket, start: start, end: index)
        case UInt8(ascii: "]"): index += 1; return FilterToken(kind: .closeBracket, start: start, end: index)
        case UInt8(ascii: "\""): kind = .string(try scanString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): kind = .number(try scanNumber())
        default:
            guard Self.isWordByte(b) else { throw error("unexpected character \(describeCharacter(at: index))", at: index) }
            while index < bytes.count, Self.isWordByte(bytes[index]) { index += 1 }
            kind = .word(String(decoding: bytes[start..<index], as: UTF8.self))
        }
        let token = FilterToken(kind: kind, start: start, end: index)
        try requireBoundary(after: token)
        return token
    }

    private func requireBoundary(after token: FilterToken) throws(SCIMError) {
        guard index < bytes.count else { return }
        let b = bytes[index]
        if Self.isSpace(b) || b == UInt8(ascii: "(") || b == UInt8(ascii: ")") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]") {
            return
        }
        if Self.isWordByte(b) || b == UInt8(ascii: "\"") || b == UInt8(ascii: "-") {
            throw error("missing space after \(token.quoted)", at: index)
        }
        throw error("unexpected character \(describeCharacter(at: index))", at: index)
    }

    /// The character at byte `i` for a message: `"="`, or `U+0007` for a control character.
    func describeCharacter(at i: Int, quoted: Bool = true) -> String {
        var end = i + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let text = String(decoding: bytes[i..<min(end, bytes.count)], as: UTF8.self)
        if let scalar = text.unicodeScalars.first, scalar.value < 0x20 || scalar.value == 0x7F {
            return "U+" + Self.hex4(scalar.value)
        }
        return quoted ? "\"\(text)\"" : text
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// Bytes of attribute paths (with their URN), operators and keywords.
    static func isWordByte(_ b: UInt8) -> Bool {
        AttributePathSyntax.isNameByte(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: ":") || b == UInt8(ascii: "$")
    }

    static func isNumberByte(_ b: UInt8) -> Bool {
        AttributePathSyntax.isDigit(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
            || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }

    static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    static func hex4(_ v: UInt32) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }
}

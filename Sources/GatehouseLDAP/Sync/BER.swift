/// The little of BER (ITU-T X.690) that LDAP control values need: one-byte tags and definite
/// lengths, which is all RFC 4511 §5.1 lets LDAP use. libldap's own encoder (`ber_printf`) is
/// variadic, which Swift cannot call, so RFC 4533's control values are built and read here.
///
/// ```swift
/// let value = BER.sequence([BER.enumerated(1), BER.octetString(cookie)])
/// var reader = try BER.Reader(value).sequence()   // the contents of the SEQUENCE
/// let mode = try reader.enumerated()              // 1
/// ```
enum BER {
    // Universal tags (X.690 §8), and the constructed bit.
    static let booleanTag: UInt8 = 0x01
    static let integerTag: UInt8 = 0x02
    static let octetStringTag: UInt8 = 0x04
    static let enumeratedTag: UInt8 = 0x0A
    static let sequenceTag: UInt8 = 0x30
    static let setTag: UInt8 = 0x31
    static let constructed: UInt8 = 0x20
    /// Context-specific class (`[n]` in ASN.1).
    static func context(_ number: UInt8, constructed: Bool = false) -> UInt8 {
        0x80 | (constructed ? Self.constructed : 0) | number
    }

    /// One TLV: `tag`, its length, `content`.
    static func element(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag] + length(content.count) + content
    }

    /// X.690 §8.1.3: short form below 128, else 0x80 | number of length bytes, big-endian.
    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var rest = count
        while rest > 0 {
            bytes.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    static func sequence(_ elements: [[UInt8]]) -> [UInt8] { element(sequenceTag, elements.flatMap { $0 }) }
    static func octetString(_ bytes: [UInt8]) -> [UInt8] { element(octetStringTag, bytes) }
    /// DER's TRUE is 0xFF (X.690 §11.1).
    static func boolean(_ value: Bool) -> [UInt8] { element(booleanTag, [value ? 0xFF : 0x00]) }
    static func enumerated(_ value: Int) -> [UInt8] { element(enumeratedTag, integerContent(value)) }

    /// Two's-complement, minimal length (X.690 §8.3.2).
    static func integerContent(_ value: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        repeat {
            bytes.insert(UInt8(truncatingIfNeeded: rest), at: 0)
            rest >>= 8
        } while !(rest == 0 && bytes[0] & 0x80 == 0) && !(rest == -1 && bytes[0] & 0x80 != 0)
        return bytes
    }

    /// Reads TLVs one after another from bytes.
    struct Reader {
        private let bytes: [UInt8]
        private var index: Int
        private let end: Int

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            index = 0
            end = bytes.count
        }

        private init(_ bytes: [UInt8], from start: Int, to end: Int) {
            self.bytes = bytes
            index = start
            self.end = end
        }

        var isAtEnd: Bool { index >= end }

        /// The tag of the next element, without reading it; nil at the end.
        var nextTag: UInt8? { isAtEnd ? nil : bytes[index] }

        /// Reads the next element whose tag must be `tag`; returns a reader over its content.
        mutating func read(_ tag: UInt8) throws(LDAPError) -> Reader {
            guard let found = nextTag else { throw Self.malformed("the value ends where an element was expected") }
            guard found == tag else { throw Self.malformed("expected tag 0x\(hex(tag)), found 0x\(hex(found))") }
            guard found & 0x1F != 0x1F else { throw Self.malformed("multi-byte tags are not used by LDAP") }
            index += 1
            guard index < end else { throw Self.malformed("the value ends inside a length") }
            let first = bytes[index]
            index += 1
            var count = 0
            if first < 0x80 {
                count = Int(first)
            } else {
                let octets = Int(first & 0x7F)
                guard octets > 0, octets <= 4 else { throw Self.malformed("unsupported length form") }
                guard index + octets <= end else { throw Self.malformed("the value ends inside a length") }
                for _ in 0..<octets {
                    count = count << 8 | Int(bytes[index])
                    index += 1
                }
            }
            guard count <= end - index else { throw Self.malformed("an element is longer than the value") }
            let content = Reader(bytes, from: index, to: index + count)
            index += count
            return content
        }

        /// The content bytes of the next element, whose tag must be `tag`.
        mutating func readBytes(_ tag: UInt8) throws(LDAPError) -> [UInt8] {
            try read(tag).remaining
        }

        mutating func sequence() throws(LDAPError) -> Reader { try read(BER.sequenceTag) }
        mutating func octetString() throws(LDAPError) -> [UInt8] { try readBytes(BER.octetStringTag) }

        mutating func boolean() throws(LDAPError) -> Bool {
            let content = try readBytes(BER.booleanTag)
            guard content.count == 1 else { throw Self.malformed("a BOOLEAN has one content byte") }
            return content[0] != 0
        }

        mutating func enumerated() throws(LDAPError) -> Int {
            let content = try readBytes(BER.enumeratedTag)
            guard !content.isEmpty, content.count <= 4 else { throw Self.malformed("an ENUMERATED of \(content.count) bytes") }
            var value = Int(Int8(bitPattern: content[0]))
            for byte in content.dropFirst() { value = value << 8 | Int(byte) }
            return value
        }

        /// The bytes not read yet.
        var remaining: [UInt8] { Array(bytes[index..<end]) }

        static func malformed(_ why: String) -> LDAPError {
            LDAPError(.decodingError, "a control value from the directory is malformed: \(why)")
        }

        private func hex(_ byte: UInt8) -> String {
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }
    }
}

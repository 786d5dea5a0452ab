/// Strict, allocation-light base64url without padding (RFC 4648 §5, as JWS uses it: RFC 7515 §2).
///
/// Stricter than a general decoder: padding, whitespace, characters outside the alphabet, a length
/// of 1 mod 4, and non-zero unused trailing bits are all refused, so every byte string has exactly
/// one accepted encoding (RFC 4648 §3.5). That keeps tokens non-malleable at the encoding layer.
enum Base64URLCodec {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// 0...63 for alphabet characters, 0xFF otherwise.
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, char) in alphabet.enumerated() { table[Int(char)] = UInt8(index) }
        return table
    }()

    /// Appends the encoding of `bytes` to `out`.
    static func encode(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + encodedLength(bytes.count))
        alphabet.withUnsafeBufferPointer { table in
            var i = 0
            let n = bytes.count
            while i + 3 <= n {
                let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                out.append(table[Int(v >> 18 & 63)]); out.append(table[Int(v >> 12 & 63)])
                out.append(table[Int(v >> 6 & 63)]); out.append(table[Int(v & 63)])
                i += 3
            }
            if n - i == 1 {
                let v = UInt32(bytes[i]) << 16
                out.append(table[Int(v >> 18 & 63)]); out.append(table[Int(v >> 12 & 63)])
            } else if n - i == 2 {
                let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
                out.append(table[Int(v >> 18 & 63)]); out.append(table[Int(v >> 12 & 63)]); out.append(table[Int(v >> 6 & 63)])
            }
        }
    }

    /// The encoding of `bytes` as a `String`.
    static func encode(_ bytes: some ContiguousBytesLike) -> String {
        var out: [UInt8] = []
        bytes.withRawBytes { encode($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Length of the unpadded encoding of `count` bytes.
    static func encodedLength(_ count: Int) -> Int { (count * 4 + 2) / 3 }

    /// Decodes `text`; `nil` unless it is the canonical encoding of some byte string.
    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let n = text.count
        if n % 4 == 1 { return nil }
        let length = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1)
        var valid = true
        let out = reverse.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
                var i = 0, o = 0
                while i + 4 <= n {
                    let a = table[Int(text[i])], b = table[Int(text[i + 1])], c = table[Int(text[i + 2])], d = table[Int(text[i + 3])]
                    if (a | b | c | d) & 0xC0 != 0 { valid = false; break }
                    let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    buffer[o] = UInt8(truncatingIfNeeded: v >> 16)
                    buffer[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                    buffer[o + 2] = UInt8(truncatingIfNeeded: v)
                    i += 4
                    o += 3
                }
                if valid {
                    switch n - i {
                    case 2:
                        let a = table[Int(text[i])], b = table[Int(text[i + 1])]
                        if (a | b) & 0xC0 != 0 || b & 0x0F != 0 { valid = false } else { buffer[o] = a << 2 | b >> 4 }
                    case 3:
                        let a = table[Int(text[i])], b = table[Int(text[i + 1])], c = table[Int(text[i + 2])]
                        if (a | b | c) & 0xC0 != 0 || c & 0x03 != 0 { valid = false } else {
                            buffer[o] = a << 2 | b >> 4
                            buffer[o + 1] = (b & 0x0F) << 4 | c >> 2
                        }
                    default:
                        break
                    }
                }
                // Zero-fill on failure so the (discarded) array is fully initialised.
                if !valid { for k in 0..<length { buffer[k] = 0 } }
                initialized = length
            }
        }
        return valid ? out : nil
    }

    /// Decodes a `String`; `nil` unless canonical.
    static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode($0) }
    }
}

/// Byte containers the codec reads without copying.
protocol ContiguousBytesLike {
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousBytesLike where Element == UInt8 {
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try withUnsafeBytes(body) }
}

extension ArraySlice: ContiguousBytesLike where Element == UInt8 {
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try withUnsafeBytes(body) }
}

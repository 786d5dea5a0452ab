internal import CPostgres
internal import GatehouseStoreSQL

/// How `SQLValue`s travel to and from PostgreSQL in text format.
///
/// Parameters: integers and doubles in their shortest exact decimal form, text as UTF-8, and
/// blobs as bytea hex text (`\x0a1b…`), which the server reads as bytea when the parameter's
/// context is bytea (a bytea column or `$1::bytea`).
///
/// Results, by the column's type OID: int2/int4/int8 → `.int`, float4/float8/numeric →
/// `.double`, bool → `.int(0 / 1)`, bytea → `.blob`, anything else → `.text`, NULL → `.null`.
enum PostgresValues {
    // Type OIDs from pg_type.dat; stable across PostgreSQL versions.
    private static let bool: Oid = 16
    private static let bytea: Oid = 17
    private static let int8: Oid = 20
    private static let int2: Oid = 21
    private static let int4: Oid = 23
    private static let float4: Oid = 700
    private static let float8: Oid = 701
    private static let numeric: Oid = 1700

    /// Each parameter as NUL-terminated UTF-8, or nil for SQL NULL.
    static func encode(_ parameters: [SQLValue]) throws(SQLError) -> [[UInt8]?] {
        var encoded: [[UInt8]?] = []
        encoded.reserveCapacity(parameters.count)
        for (index, value) in parameters.enumerated() {
            switch value {
            case .null:
                encoded.append(nil)
            case .int(let v):
                encoded.append(Array(String(v).utf8) + [0])
            case .double(let v):
                // Swift prints the shortest text that reads back as the same Double, and spells
                // the specials inf, -inf and nan, which PostgreSQL's float8in accepts.
                encoded.append(Array(String(v).utf8) + [0])
            case .text(let v):
                let bytes = Array(v.utf8)
                guard !bytes.contains(0) else {
                    throw SQLError(.other, "text parameter $\(index + 1) contains a NUL character")
                }
                encoded.append(bytes + [0])
            case .blob(let v):
                encoded.append(hexBytea(v))
            }
        }
        return encoded
    }

    /// Runs `body` with a `const char * const *` view of `parameters`.
    static func withParameterPointers<R>(_ parameters: [[UInt8]?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        guard !parameters.isEmpty else { return body(nil) }
        // One buffer holds every parameter back to back; pointers index into it.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(parameters.reduce(0) { $0 + ($1?.count ?? 0) })
        var offsets: [Int?] = []
        for parameter in parameters {
            if let parameter {
                offsets.append(buffer.count)
                buffer.append(contentsOf: parameter)
            } else {
                offsets.append(nil)
            }
        }
        return buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                offset.flatMap { base?.advanced(by: $0).assumingMemoryBound(to: CChar.self) }
            }
            return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
        }
    }

    /// Decodes one non-NULL text-format value of type `type`.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, type: Oid) -> SQLValue {
        switch type {
        case int2, int4, int8:
            let string = String(decoding: text, as: UTF8.self)
            return Int64(string).map(SQLValue.int) ?? .text(string)
        case float4, float8, numeric:
            let string = String(decoding: text, as: UTF8.self)
            return Double(string).map(SQLValue.double) ?? .text(string)
        case bool:
            return .int(text.first == UInt8(ascii: "t") ? 1 : 0)
        case bytea:
            return .blob(decodeBytea(text))
        default:
            return .text(String(decoding: text, as: UTF8.self))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `\x` followed by two lowercase hex digits per byte, NUL-terminated.
    static func hexBytea(_ bytes: [UInt8]) -> [UInt8] {
        var text: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        text.reserveCapacity(bytes.count * 2 + 3)
        for byte in bytes {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        text.append(0)
        return text
    }

    /// Decodes bytea output: the hex format (the default since PostgreSQL 9.0), or the escape
    /// format through libpq if a server is configured with `bytea_output = escape`.
    static func decodeBytea(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        if text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x"), text.count % 2 == 0 {
            var bytes: [UInt8] = []
            bytes.reserveCapacity((text.count - 2) / 2)
            var index = 2
            while index < text.count {
                guard let high = hexValue(text[index]), let low = hexValue(text[index + 1]) else { break }
                bytes.append(high << 4 | low)
                index += 2
            }
            if index == text.count { return bytes }
        }
        // PQunescapeBytea needs a NUL-terminated string.
        let terminated = Array(text) + [0]
        var length = 0
        guard let unescaped = PQunescapeBytea(terminated, &length) else { return [] }
        defer { PQfreemem(unescaped) }
        return Array(UnsafeBufferPointer(start: unescaped, count: length))
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// A minimal RFC 4180 CSV reader: quoted fields may hold commas, quotes (doubled) and
/// line breaks; CRLF and LF both end records; a leading UTF-8 byte-order mark is dropped.
///
/// ```swift
/// for record in try CSV.parse("path,name\n/ha-noi,\"Hà Nội\"\n") { print(record.line, record.fields) }
/// ```
public enum CSV {
    /// One record and the line it starts on (1-based), for error messages.
    public struct Record: Hashable, Sendable {
        public var line: Int
        public var fields: [String]
    }

    /// A malformed input, with the line where it was found.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public init(line: Int, reason: String) { self.line = line; self.reason = reason }
        public var description: String { "line \(line): \(reason)" }
    }

    /// Parses `text` into records, skipping blank lines.
    public static func parse(_ text: String) throws(ParseError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [Unicode.Scalar] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var i = 0

        func endField() {
            fields.append(String(String.UnicodeScalarView(field)))
            field.removeAll(keepingCapacity: true)
            quotedField = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        while i < scalars.count {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count, scalars[i + 1] == "\"" { field.append("\""); i += 2; continue }
                    inQuotes = false
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty, !quotedField else { throw ParseError(line: line, reason: "a quote inside an unquoted field") }
                inQuotes = true
                quotedField = true
            case ",":
                endField()
            case "\r":
                if i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
                endRecord(); line += 1; recordLine = line
            case "\n":
                endRecord(); line += 1; recordLine = line
            default:
                guard !quotedField else { throw ParseError(line: line, reason: "text after a closing quote") }
                field.append(c)
            }
            i += 1
        }
        if inQuotes { throw ParseError(line: recordLine, reason: "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty || quotedField { endRecord() }
        return records
    }
}

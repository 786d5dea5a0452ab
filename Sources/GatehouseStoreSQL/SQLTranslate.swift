/// Dialect translation of SQL text that the store writes once for both engines.
///
/// The store writes PostgreSQL-style positional parameters (`$1`, `$2`, …). SQLite accepts
/// `?NNN` for the same thing, so the SQLite driver rewrites each `$N` to `?N`, leaving
/// everything that is not SQL code alone:
///
/// - string literals `'…'` (with `''` as an escaped quote),
/// - quoted identifiers `"…"` (with `""` as an escaped quote),
/// - line comments `-- …` and block comments `/* … */` (an apostrophe in a comment must not
///   start a literal).
///
/// ```swift
/// SQLTranslate.sqlitePlaceholders("SELECT '$1', $10 FROM t WHERE a = $1")
/// // "SELECT '$1', ?10 FROM t WHERE a = ?1"
/// ```
///
/// The translation is pure and works on UTF-8 bytes: every delimiter it looks for is ASCII, so
/// multi-byte characters pass through untouched.
public enum SQLTranslate {
    /// Rewrites `$N` placeholders as SQLite `?N` (see the type's documentation).
    public static func sqlitePlaceholders(_ sql: String) -> String {
        let input = Array(sql.utf8)
        guard input.contains(UInt8(ascii: "$")) else { return sql }
        var output = input
        var i = 0
        while i < input.count {
            switch input[i] {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                i = endOfQuoted(input, from: i)
            case UInt8(ascii: "-") where i + 1 < input.count && input[i + 1] == UInt8(ascii: "-"):
                i = endOfLineComment(input, from: i)
            case UInt8(ascii: "/") where i + 1 < input.count && input[i + 1] == UInt8(ascii: "*"):
                i = endOfBlockComment(input, from: i)
            case UInt8(ascii: "$") where i + 1 < input.count && isDigit(input[i + 1]):
                output[i] = UInt8(ascii: "?")
                i += 1
                while i < input.count && isDigit(input[i]) { i += 1 }
            default:
                i += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The index just past the quoted run starting at `start`. A doubled quote is an escaped
    /// quote inside the run; an unterminated run extends to the end of the text.
    private static func endOfQuoted(_ s: [UInt8], from start: Int) -> Int {
        let quote = s[start]
        var i = start + 1
        while i < s.count {
            if s[i] == quote {
                if i + 1 < s.count && s[i + 1] == quote {
                    i += 2
                    continue
                }
                return i + 1
            }
            i += 1
        }
        return s.count
    }

    private static func endOfLineComment(_ s: [UInt8], from start: Int) -> Int {
        var i = start + 2
        while i < s.count && s[i] != UInt8(ascii: "\n") { i += 1 }
        return i
    }

    /// Block comments nest in both PostgreSQL and the SQL standard; SQLite does not nest them,
    /// but the store never writes nested comments, so nesting is not tracked.
    private static func endOfBlockComment(_ s: [UInt8], from start: Int) -> Int {
        var i = start + 2
        while i + 1 < s.count {
            if s[i] == UInt8(ascii: "*") && s[i + 1] == UInt8(ascii: "/") { return i + 2 }
            i += 1
        }
        return s.count
    }
}

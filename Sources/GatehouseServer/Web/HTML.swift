/// A fragment of HTML. String literals are trusted markup; every interpolated `String` is
/// escaped by ``escape(_:)``, the one escaping function of the web pages, so a value can only
/// reach a page as text, never as markup (OWASP XSS Prevention, rule 1 and 2: attribute values
/// are always double-quoted).
///
/// ```swift
/// let name = "<script>alert(1)</script>"
/// let fragment: HTML = "<p title=\"\(name)\">\(name)</p>"   // both escaped
/// let page: HTML = "<main>\(fragment)</main>"               // an HTML value is inserted as is
/// ```
struct HTML: ExpressibleByStringInterpolation, CustomStringConvertible, Sendable {
    /// The markup.
    let markup: String

    init(stringLiteral value: String) { markup = value }
    init(stringInterpolation: StringInterpolation) { markup = stringInterpolation.markup }
    private init(markup: String) { self.markup = markup }

    var description: String { markup }

    /// Escapes `&`, `<`, `>`, `"` and `'`: safe in element content and in quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Concatenates fragments.
    static func joined(_ parts: [HTML], separator: HTML = "") -> HTML {
        HTML(markup: parts.map(\.markup).joined(separator: separator.markup))
    }

    /// `if condition`: `fragment`, else nothing.
    static func when(_ condition: Bool, _ fragment: @autoclosure () -> HTML) -> HTML { condition ? fragment() : "" }

    struct StringInterpolation: StringInterpolationProtocol {
        var markup = ""
        init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity + 16 * interpolationCount) }
        mutating func appendLiteral(_ literal: String) { markup += literal }
        /// Text: escaped.
        mutating func appendInterpolation(_ text: String) { markup += HTML.escape(text) }
        /// Optional text: escaped, nothing for `nil`.
        mutating func appendInterpolation(_ text: String?) { markup += HTML.escape(text ?? "") }
        /// A number.
        mutating func appendInterpolation(_ number: Int) { markup += String(number) }
        /// Markup built from trusted literals and escaped values: inserted as is.
        mutating func appendInterpolation(_ fragment: HTML) { markup += fragment.markup }
    }
}

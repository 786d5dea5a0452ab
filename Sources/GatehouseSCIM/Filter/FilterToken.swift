/// One token of a filter or PATCH path. Offsets are in UTF-8 bytes.
struct FilterToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// An attribute path, operator or keyword (`and`, `true`, …): a run of name characters.
        case word(String)
        /// A JSON string literal, unescaped and in NFC.
        case string(String)
        /// A JSON number literal.
        case number(SCIMValue)
        case openParen, closeParen, openBracket, closeBracket
        case end
    }

    let kind: Kind
    let start: Int
    let end: Int

    /// The word in lowercase, or `nil` for other tokens: keywords are case-insensitive.
    var keyword: String? {
        if case .word(let w) = kind { return w.lowercased() }
        return nil
    }

    /// How an error message names the token (the parser names `.end` itself).
    var quoted: String {
        switch kind {
        case .word(let w): "\"\(FilterToken.clipped(w))\""
        case .string(let s): "string \"\(FilterToken.clipped(s))\""
        case .number(let n): "number \(n.jsonString)"
        case .openParen: "\"(\""
        case .closeParen: "\")\""
        case .openBracket: "\"[\""
        case .closeBracket: "\"]\""
        case .end: "end"
        }
    }

    /// At most 40 characters of `s`, so a long value does not swamp the message.
    static func clipped(_ s: String) -> String { s.count <= 40 ? s : String(s.prefix(40)) + "…" }
}

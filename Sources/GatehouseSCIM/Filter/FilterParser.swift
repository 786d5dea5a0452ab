/// A recursive-descent parser for the filter grammar of RFC 7644 §3.4.2.2, Figure 1:
///
///     FILTER    = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"
///     valuePath = attrPath "[" valFilter "]"
///     attrExp   = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
///     logExp    = FILTER SP ("and" / "or") SP FILTER
///
/// with `and` binding tighter than `or` (§3.4.2.2, "order of operations"). Keywords are
/// case-insensitive, as ABNF literals are. Recursion only happens on `(`, `not (` and `[`,
/// and is capped by ``SCIMFilterLimits/maxDepth``, so no input can exhaust the stack.
struct FilterParser {
    private var lexer: FilterLexer
    private var token: FilterToken
    private let limits: SCIMFilterLimits
    private let subject: String
    private var depth = 0
    private var comparisons = 0
    /// Where the previous token ended, to tell `].value` from `] .value`.
    private var lastEnd = 0

    static let operatorList = "eq, ne, co, sw, ew, gt, ge, lt, le or pr"

    init(_ text: String, limits: SCIMFilterLimits, subject: String) throws(SCIMError) {
        let length = text.utf8.count
        guard length <= limits.maxLength else {
            throw .invalidFilter("the \(subject) is \(length) bytes long; at most \(limits.maxLength) are accepted")
        }
        self.limits = limits
        self.subject = subject
        self.lexer = FilterLexer(text, subject: subject)
        self.token = FilterToken(kind: .end, start: 0, end: 0)
        self.token = try lexer.next()
        guard token.kind != .end else { throw .invalidFilter("the \(subject) is empty", offset: 0) }
    }

    /// A whole `filter` parameter: a filter and then the end of the text.
    mutating func parseWholeFilter() throws(SCIMError) -> SCIMFilter {
        let filter = try parseOr(inBrackets: false)
        guard token.kind == .end else { throw unexpected(expected: "\"and\", \"or\" or the end of the filter") }
        return filter
    }

    /// A PATCH path (RFC 7644 §3.5.2, Figure 7): `attrPath / valuePath [subAttr]`.
    mutating func parseWholePath() throws(SCIMError) -> SCIMPatchPath {
        let attribute = try attributePath()
        try advance()
        guard token.kind == .openBracket else {
            guard token.kind == .end else { throw unexpected(expected: "\"[\" or the end of the path") }
            return SCIMPatchPath(attribute: attribute)
        }
        let filter = try bracketed(after: attribute)
        var subAttribute: String?
        if case .word(let word) = token.kind, word.hasPrefix("."), token.start == lastEnd {
            let name = word.dropFirst()
            guard AttributePathSyntax.isAttributeName(name) else {
                throw lexer.error("invalid sub-attribute \"\(FilterToken.clipped(word))\"", at: token.start,
                                  reason: "an attribute name starts with a letter and holds only letters, digits, \"-\" and \"_\"")
            }
            subAttribute = String(name)
            try advance()
        }
        guard token.kind == .end else { throw unexpected(expected: "\".\" and a sub-attribute, or the end of the path") }
        return SCIMPatchPath(attribute: attribute, filter: filter, subAttribute: subAttribute)
    }

    private mutating func advance() throws(SCIMError) {
        lastEnd = token.end
        token = try lexer.next()
    }

    private mutating func parseOr(inBrackets: Bool) throws(SCIMError) -> SCIMFilter {
        var left = try parseAnd(inBrackets: inBrackets)
        while token.keyword == "or" {
            try advance()
            left = .or(left, try parseAnd(inBrackets: inBrackets))
        }
        return left
    }

    private mutating func parseAnd(inBrackets: Bool) throws(SCIMError) -> SCIMFilter {
        var left = try parseUnary(inBrackets: inBrackets)
        while token.keyword == "and" {
            try advance()
            left = .and(left, try parseUnary(inBrackets: inBrackets))
        }
        return left
    }

    private mutating func parseUnary(inBrackets: Bool) throws(SCIMError) -> SCIMFilter {
        if token.kind == .openParen { return try parenthesised(inBrackets: inBrackets) }
        if token.keyword == "not" {
            try advance()
            guard token.kind == .openParen else {
                throw lexer.error("expected \"(\" after \"not\"", at: token.start, reason: "write not (…)")
            }
            return .not(try parenthesised(inBrackets: inBrackets))
        }
        let pathToken = token
        let path = try attributePath()
        try advance()
        if token.kind == .openBracket {
            guard !inBrackets else { throw lexer.error("a [filter] cannot contain another [filter]", at: token.start) }
            return .valuePath(path, try bracketed(after: path))
        }
        return try attributeExpression(path, at: pathToken)
    }

    /// `( FILTER )`, with the current token on `(`.
    private mutating func parenthesised(inBrackets: Bool) throws(SCIMError) -> SCIMFilter {
        let open = token
        try enter(at: open)
        try advance()
        let inner = try parseOr(inBrackets: inBrackets)
        guard token.kind == .closeParen else {
            let offset = lexer.characterOffset(open.start)
            throw unexpected(expected: token.kind == .end ? "\")\" to close the \"(\" at offset \(offset)" : "\"and\", \"or\" or \")\"")
        }
        depth -= 1
        try advance()
        return inner
    }

    /// `[ valFilter ]`, with the current token on `[`; leaves the token after `]`.
    private mutating func bracketed(after path: SCIMAttributePath) throws(SCIMError) -> SCIMFilter {
        let open = token
        guard path.subAttribute == nil else {
            throw lexer.error("a [filter] cannot follow the sub-attribute \"\(path)\"", at: open.start,
                              reason: "put it after the attribute, as in emails[type eq \"work\"].value")
        }
        try enter(at: open)
        try advance()
        let inner = try parseOr(inBrackets: true)
        guard token.kind == .closeBracket else {
            let offset = lexer.characterOffset(open.start)
            throw unexpected(expected: token.kind == .end ? "\"]\" to close the \"[\" at offset \(offset)" : "\"and\", \"or\" or \"]\"")
        }
        depth -= 1
        try advance()
        return inner
    }

    /// `pr`, or a comparison operator and its value, after `path`.
    private mutating func attributeExpression(_ path: SCIMAttributePath, at pathToken: FilterToken) throws(SCIMError) -> SCIMFilter {
        comparisons += 1
        guard comparisons <= limits.maxComparisons else {
            throw lexer.error("the \(subject) has more than \(limits.maxComparisons) comparisons", at: pathToken.start)
        }
        let opToken = token
        guard case .word(let opWord) = opToken.kind else {
            if opToken.kind == .end { throw lexer.error("missing operator after \"\(path)\"", at: opToken.start, expected: Self.operatorList) }
            throw unexpected(expected: "an operator (\(Self.operatorList))")
        }
        let lowered = opWord.lowercased()
        if lowered == "pr" {
            try advance()
            return .present(path)
        }
        guard let op = SCIMComparisonOperator(rawValue: lowered) else {
            throw lexer.error("unknown operator \"\(FilterToken.clipped(opWord))\"", at: opToken.start, expected: Self.operatorList)
        }
        try advance()
        let value = try comparisonValue(after: opWord)
        try check(op, opWord, accepts: value)
        try advance()
        return .comparison(path, op, value)
    }

    /// `compValue = false / null / true / number / string`.
    private func comparisonValue(after opWord: String) throws(SCIMError) -> SCIMValue {
        switch token.kind {
        case .string(let s): return .string(s)
        case .number(let n): return n
        case .word(let w):
            switch w.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            default: break
            }
        case .end: throw lexer.error("missing value after \"\(opWord)\"", at: token.start, expected: Self.valueList)
        default: break
        }
        throw unexpected(expected: Self.valueList)
    }

    static let valueList = "a value (a \"quoted string\", a number, true, false or null)"

    /// Operator and literal that cannot go together (RFC 7644 §3.4.2.2, Table 3): `co`, `sw`,
    /// `ew` compare strings; `gt`, `ge`, `lt`, `le` never apply to booleans or null.
    private func check(_ op: SCIMComparisonOperator, _ opWord: String, accepts value: SCIMValue) throws(SCIMError) {
        if op.isSubstring, case .string = value { return }
        if op.isSubstring { throw lexer.error("operator \"\(opWord)\" needs a string value", at: token.start) }
        guard op.isOrdering else { return }
        switch value {
        case .bool: throw lexer.error("operator \"\(opWord)\" does not apply to booleans", at: token.start, reason: "only eq and ne do")
        case .null: throw lexer.error("operator \"\(opWord)\" does not apply to null", at: token.start, reason: "only eq and ne do")
        default: return
        }
    }

    /// The current token as an attribute path.
    private func attributePath() throws(SCIMError) -> SCIMAttributePath {
        guard case .word(let word) = token.kind, token.keyword != "and", token.keyword != "or" else {
            throw unexpected(expected: "an attribute name")
        }
        if let reason = AttributePathSyntax.problem(in: word) {
            throw lexer.error("invalid attribute path \"\(FilterToken.clipped(word))\"", at: token.start, reason: reason)
        }
        return SCIMAttributePath(checked: word)
    }

    private mutating func enter(at open: FilterToken) throws(SCIMError) {
        depth += 1
        guard depth <= limits.maxDepth else {
            throw lexer.error("the \(subject) nests deeper than \(limits.maxDepth) levels", at: open.start)
        }
    }

    private func unexpected(expected: String) -> SCIMError {
        let what = token.kind == .end ? "end of the \(subject)" : token.quoted
        return lexer.error("unexpected \(what)", at: token.start, expected: expected)
    }
}

extension SCIMFilter: CustomStringConvertible {
    /// The filter written back in RFC 7644 §3.4.2.2 syntax, with parentheses wherever the
    /// tree needs them, so that parsing the text gives this filter again.
    ///
    /// ```swift
    /// try SCIMFilter.parse(#"a eq 1 or b pr and c eq "x""#).description   // a eq 1 or b pr and c eq "x"
    /// ```
    public var description: String {
        switch self {
        case .comparison(let path, let op, let value): "\(path) \(op.rawValue) \(SCIMFilter.literal(value))"
        case .present(let path): "\(path) pr"
        case .and(let l, let r): "\(l.operand(of: .and, right: false)) and \(r.operand(of: .and, right: true))"
        case .or(let l, let r): "\(l.operand(of: .or, right: false)) or \(r.operand(of: .or, right: true))"
        case .not(let inner): "not (\(inner))"
        case .valuePath(let path, let inner): "\(path)[\(inner)]"
        }
    }

    private enum Logical { case and, or }

    /// This filter as an operand of `and`/`or`, parenthesised where the grammar would
    /// otherwise group it differently.
    private func operand(of parent: Logical, right: Bool) -> String {
        switch (self, parent) {
        case (.or, .and): "(\(self))"
        case (.or, .or) where right, (.and, .and) where right: "(\(self))"
        default: description
        }
    }

    /// A comparison value as filter text: JSON for strings, numbers, booleans and null.
    static func literal(_ value: SCIMValue) -> String {
        switch value {
        case .string(let s):
            var out = ""
            SCIMValue.writeString(s, to: &out)
            return out
        default: return value.jsonString
        }
    }
}

import GatehouseCore

/// One attribute value against one comparison value (RFC 7644 §3.4.2.2, Table 3).
enum ValueComparison {
    /// True when `attribute op target` holds. Strings compare case-insensitively unless
    /// `caseExact` (RFC 7643 §2.3.1), after NFC; two `xsd:dateTime` strings compare as
    /// instants; numbers by value. Values of different types are never equal. A boolean
    /// attribute only supports `eq` and `ne`; anything else is `invalidFilter`.
    static func matches(_ attribute: SCIMValue, _ op: SCIMComparisonOperator, _ target: SCIMValue,
                        caseExact: Bool, path: SCIMAttributePath) throws(SCIMError) -> Bool {
        switch attribute {
        case .bool(let a):
            guard op == .eq || op == .ne else {
                throw .invalidFilter("\"\(path)\" is a boolean attribute; only eq and ne apply to it")
            }
            return (target == .bool(a)) == (op == .eq)
        case .string(let a):
            guard case .string(let b) = target else { return op == .ne }
            return strings(a, op, b, caseExact: caseExact)
        case .int, .double:
            guard let x = attribute.number, let y = target.number else { return op == .ne }
            return order(x, op, y)
        case .null, .array, .object:
            return op == .ne
        }
    }

    static func strings(_ a: String, _ op: SCIMComparisonOperator, _ b: String, caseExact: Bool) -> Bool {
        if !op.isSubstring, let x = SCIMDateTime(a), let y = SCIMDateTime(b) { return order(x, op, y) }
        let x = fold(a, caseExact: caseExact)
        let y = fold(b, caseExact: caseExact)
        switch op {
        case .co: return y.isEmpty || x.contains(y)
        case .sw: return x.hasPrefix(y)
        case .ew: return x.hasSuffix(y)
        default: return order(x, op, y)
        }
    }

    /// NFC, and lowercase unless `caseExact`.
    static func fold(_ s: String, caseExact: Bool) -> String {
        let nfc = s.utf8.allSatisfy { $0 < 0x80 } ? s : Text.nfc(s)
        return caseExact ? nfc : nfc.lowercased()
    }

    static func order<T: Comparable>(_ x: T, _ op: SCIMComparisonOperator, _ y: T) -> Bool {
        switch op {
        case .eq: x == y
        case .ne: x != y
        case .gt: x > y
        case .ge: x >= y
        case .lt: x < y
        case .le: x <= y
        case .co, .sw, .ew: false
        }
    }
}

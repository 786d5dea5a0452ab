import Foundation
import Yams

/// Reads the keys of one YAML mapping with their types checked, recording an issue (with the
/// offending node's line and column) for every wrong value, unknown key or missing required key.
/// Readers return `nil` after an error so the caller can keep going and find the next one.
struct Fields {
    let node: Node
    let context: String
    let diagnostics: Diagnostics
    private let pairs: [String: (key: Node, value: Node)]

    /// `nil` (after recording an issue) when `node` is not a mapping. Keys outside `allowed` are
    /// reported as unknown, with the closest allowed key suggested.
    init?(_ node: Node, allowed: [String], context: String, diagnostics: Diagnostics) {
        self.node = node
        self.context = context
        self.diagnostics = diagnostics
        guard case .mapping(let mapping) = node else {
            diagnostics.error(Self.prefix(context) + "expected a mapping of \(allowed.joined(separator: ", ")), found \(Self.kind(of: node))", at: node)
            return nil
        }
        var pairs: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                diagnostics.error(Self.prefix(context) + "keys must be plain names", at: key)
                continue
            }
            guard allowed.contains(scalar.string) else {
                let hint = Self.closest(to: scalar.string, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                diagnostics.error(Self.prefix(context) + "unknown key '\(scalar.string)'\(hint); expected one of \(allowed.joined(separator: ", "))", at: key)
                continue
            }
            pairs[scalar.string] = (key, value)
        }
        self.pairs = pairs
    }

    /// Records `message` at `node`, prefixed with this mapping's context.
    func error(_ message: String, at node: Node?) {
        diagnostics.error(Self.prefix(context) + message, at: node ?? self.node)
    }

    func has(_ key: String) -> Bool { pairs[key] != nil }

    /// The value node of `key`; records an issue when `required` and absent.
    func value(_ key: String, required: Bool = false) -> Node? {
        if let pair = pairs[key] { return pair.value }
        if required { error("missing required key '\(key)'", at: node) }
        return nil
    }

    /// The key node of `key`, to point at a key rather than its value.
    func keyNode(_ key: String) -> Node? { pairs[key]?.key }

    // MARK: Scalars

    func string(_ key: String, required: Bool = false) -> String? {
        guard let v = value(key, required: required) else { return nil }
        return string(v, what: "'\(key)'")
    }

    /// Any non-null scalar, as text.
    func string(_ v: Node, what: String) -> String? {
        guard case .scalar(let s) = v, v.null == nil else {
            error("\(what) must be a text value, found \(Self.kind(of: v))", at: v)
            return nil
        }
        return s.string
    }

    func int(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let v = value(key, required: required) else { return nil }
        // No colon: Yams reads `1:30` as a YAML 1.1 base-60 number, and traps when one overflows `Int`.
        guard case .scalar(let scalar) = v, !scalar.string.contains(":"), let n = v.int else {
            error("'\(key)' must be a whole number, found \(Self.kind(of: v))", at: v)
            return nil
        }
        guard range.contains(n) else {
            error("'\(key)' is \(n); expected \(range.lowerBound)…\(range.upperBound)", at: v)
            return nil
        }
        return n
    }

    func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let v = value(key, required: required) else { return nil }
        guard case .scalar = v, let b = v.bool else {
            error("'\(key)' must be true or false, found \(Self.kind(of: v))", at: v)
            return nil
        }
        return b
    }

    /// A duration written as a whole number and a unit: `90s`, `5m`, `8h`, `30d`; in seconds.
    func duration(_ key: String, in range: ClosedRange<TimeInterval>, required: Bool = false) -> TimeInterval? {
        guard let v = value(key, required: required), let text = string(v, what: "'\(key)'") else { return nil }
        guard let seconds = PolicyDuration.parse(text) else {
            error("'\(key)' is '\(text)'; expected a duration such as 90s, 5m, 8h or 30d", at: v)
            return nil
        }
        guard range.contains(seconds) else {
            error("'\(key)' is \(text); expected \(PolicyDuration.format(range.lowerBound))…\(PolicyDuration.format(range.upperBound))", at: v)
            return nil
        }
        return seconds
    }

    /// A value from a fixed set, spelled exactly as `options` lists it.
    func choice<T>(_ key: String, _ options: [(String, T)], required: Bool = false) -> T? {
        guard let v = value(key, required: required), let text = string(v, what: "'\(key)'") else { return nil }
        guard let hit = options.first(where: { $0.0 == text }) else {
            error("'\(key)' is '\(text)'; expected \(options.map(\.0).joined(separator: ", "))", at: v)
            return nil
        }
        return hit.1
    }

    // MARK: Collections

    /// The items of a sequence; a missing key gives `nil`, recorded when `required`.
    func sequence(_ key: String, required: Bool = false) -> [Node]? {
        guard let v = value(key, required: required) else { return nil }
        guard case .sequence(let seq) = v else {
            error("'\(key)' must be a list, found \(Self.kind(of: v))", at: v)
            return nil
        }
        return Array(seq)
    }

    /// A list of text values, each with its node (for positions); wrong items are reported and skipped.
    func strings(_ key: String, required: Bool = false) -> [(String, Node)]? {
        guard let items = sequence(key, required: required) else { return nil }
        return items.compactMap { item in string(item, what: "each item of '\(key)'").map { ($0, item) } }
    }

    /// A nested mapping.
    func fields(_ key: String, allowed: [String], context: String? = nil, required: Bool = false) -> Fields? {
        guard let v = value(key, required: required) else { return nil }
        return Fields(v, allowed: allowed, context: context ?? self.context, diagnostics: diagnostics)
    }

    // MARK: Helpers

    static func prefix(_ context: String) -> String { context.isEmpty ? "" : context + ": " }

    static func kind(of node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let s):
            node.null != nil ? "nothing (null)" : "'\(s.string)'"
        }
    }

    /// The allowed key nearest to a misspelt one, when it is close enough to be a typo.
    static func closest(to key: String, in allowed: [String]) -> String? {
        let scored = allowed.map { ($0, editDistance(key, $0)) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, key.count / 3) else { return nil }
        return best
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}

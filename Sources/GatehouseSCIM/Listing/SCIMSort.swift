/// The `sortBy` and `sortOrder` query parameters (RFC 7644 §3.4.2.3).
///
/// ```swift
/// let sort = try SCIMSort.parse(sortBy: "name.familyName", sortOrder: "descending")
/// let ordered = sort?.sorted(users, evaluator: evaluator) ?? users
/// ```
///
/// Strings order case-insensitively unless the attribute is case-exact, `xsd:dateTime`
/// strings chronologically, numbers numerically, `false` before `true`. For a multi-valued
/// attribute the primary value counts, or else the first. Resources without a value come
/// last when ascending and first when descending; ties keep their order.
public struct SCIMSort: Hashable, Sendable {
    /// `ascending` (the default) or `descending`.
    public enum Order: String, Hashable, Sendable, CaseIterable {
        /// Smallest first; the default.
        case ascending
        /// Largest first.
        case descending
    }

    /// The attribute to sort by (`sortBy`).
    public var by: SCIMAttributePath
    /// The direction (`sortOrder`).
    public var order: Order

    /// Creates a sort.
    public init(by: SCIMAttributePath, order: Order = .ascending) {
        self.by = by
        self.order = order
    }

    /// Reads the query parameters; `nil` without `sortBy` (a lone `sortOrder` is ignored).
    /// Bad values are 400 `invalidValue`.
    public static func parse(sortBy: String?, sortOrder: String?) throws(SCIMError) -> SCIMSort? {
        guard let sortBy else { return nil }
        guard let path = SCIMAttributePath(sortBy) else {
            throw .invalidValue("sortBy \"\(FilterToken.clipped(sortBy))\" is not an attribute path")
        }
        guard let sortOrder else { return SCIMSort(by: path) }
        guard let order = Order(rawValue: sortOrder.lowercased()) else {
            throw .invalidValue("sortOrder must be \"ascending\" or \"descending\", not \"\(FilterToken.clipped(sortOrder))\"")
        }
        return SCIMSort(by: path, order: order)
    }

    /// `resources` in this order; stable.
    public func sorted(_ resources: [SCIMValue], evaluator: SCIMFilterEvaluator = SCIMFilterEvaluator()) -> [SCIMValue] {
        let keys = resources.map { SortKey(sortValue(of: $0, evaluator: evaluator), caseExact: isCaseExact(evaluator)) }
        let ordered = resources.indices.sorted { a, b in
            switch (keys[a], keys[b]) {
            case (nil, nil): return a < b
            case (nil, _): return order == .descending
            case (_, nil): return order == .ascending
            case (let x?, let y?):
                if x == y { return a < b }
                return order == .ascending ? x < y : y < x
            }
        }
        return ordered.map { resources[$0] }
    }

    private func isCaseExact(_ evaluator: SCIMFilterEvaluator) -> Bool {
        evaluator.isCaseExact(by) || (by.subAttribute == nil && evaluator.isCaseExact(by.appending("value")))
    }

    /// The single value `by` names in `resource`: for a multi-valued attribute the primary
    /// entry's, or else the first's; for a complex entry its `value` sub-attribute.
    private func sortValue(of resource: SCIMValue, evaluator: SCIMFilterEvaluator) -> SCIMValue? {
        let scope = SCIMFilterEvaluator.Scope(resource: resource, parent: nil)
        let (entries, multiValued) = evaluator.values(of: by.parent, in: scope)
        let chosen = multiValued ? entries.first { $0.member("primary") == .bool(true) } ?? entries.first : entries.first
        guard var value = chosen else { return nil }
        if let sub = by.subAttribute {
            guard let inner = value.member(sub) else { return nil }
            value = inner
        } else if value.isObject {
            guard multiValued, let inner = value.member("value") else { return nil }
            value = inner
        }
        return value.hasValue ? value : nil
    }
}

/// A sortable value: types order boolean < number < dateTime < string among
/// themselves, which only matters when a sort attribute holds mixed types.
private enum SortKey: Comparable {
    case bool(Bool)
    case number(Double)
    case dateTime(SCIMDateTime)
    case string(String)

    init?(_ value: SCIMValue?, caseExact: Bool) {
        guard let value else { return nil }
        switch value {
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(Double(i))
        case .double(let d): self = .number(d)
        case .string(let s):
            if let instant = SCIMDateTime(s) { self = .dateTime(instant) } else {
                self = .string(ValueComparison.fold(s, caseExact: caseExact))
            }
        default: return nil
        }
    }

    static func < (a: SortKey, b: SortKey) -> Bool {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): !x && y
        case (.number(let x), .number(let y)): x < y
        case (.dateTime(let x), .dateTime(let y)): x < y
        case (.string(let x), .string(let y)): x < y
        default: a.rank < b.rank
        }
    }

    private var rank: Int {
        switch self {
        case .bool: 0
        case .number: 1
        case .dateTime: 2
        case .string: 3
        }
    }
}

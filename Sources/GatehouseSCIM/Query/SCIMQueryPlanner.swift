/// Turns a filter into a ``SCIMQueryPlan`` over the fields of a ``SCIMQueryMapping``.
///
/// A part of the filter goes to the store only when the store's answer is exactly what
/// ``SCIMFilterEvaluator`` would decide, so the plan never changes a result:
/// `eq`, `ne`, `sw`, `ew`, `co` and `pr` on text fields (with string values that are not
/// dateTimes), `eq`/`ne` on `active`, `eq null`/`ne null`, and `and`/`or`/`not` of those. A
/// value path with one comparison inside (`emails[value eq "…"]`) counts as that comparison.
/// `gt`, `ge`, `lt`, `le` stay in memory, as the store's collation may differ. From an `and`,
/// the parts that can go to the store do and the rest becomes the residual.
///
/// ```swift
/// try SCIMQueryPlanner().plan(SCIMFilter.parse(#"userName sw "Nguyen" and title pr"#))
/// // .storeThenFilter(.startsWith(.username, "nguyen"), residual: title pr)
/// ```
public struct SCIMQueryPlanner: Sendable {
    /// The attributes the store can filter on.
    public let mapping: SCIMQueryMapping

    /// Creates a planner.
    public init(mapping: SCIMQueryMapping = .gatehouseUsers()) { self.mapping = mapping }

    /// The plan for `filter`; ``SCIMStoreQuery/everything`` when there is none. A comparison
    /// that no account could support (`active gt …`) is 400 `invalidFilter`, as evaluation
    /// would find.
    public func plan(_ filter: SCIMFilter?) throws(SCIMError) -> SCIMQueryPlan {
        guard let filter else { return .store(.everything) }
        let (query, residual) = try split(filter)
        switch (query, residual) {
        case (let q?, nil): return .store(q)
        case (let q?, let r?): return .storeThenFilter(q, residual: r)
        case (nil, _): return .inMemory(filter)
        }
    }

    /// The store part and the residual of `filter`, splitting `and`s.
    private func split(_ filter: SCIMFilter) throws(SCIMError) -> (SCIMStoreQuery?, SCIMFilter?) {
        guard case .and(let l, let r) = filter else {
            if let q = try exact(filter) { return (q, nil) }
            return (nil, filter)
        }
        let (lq, lr) = try split(l)
        let (rq, rr) = try split(r)
        let query: SCIMStoreQuery? = switch (lq, rq) {
        case (let a?, let b?): .and(Self.operands(a, ofAnd: true) + Self.operands(b, ofAnd: true))
        case (let a?, nil): a
        case (nil, let b): b
        }
        let residual: SCIMFilter? = switch (lr, rr) {
        case (let a?, let b?): .and(a, b)
        case (let a?, nil): a
        case (nil, let b): b
        }
        return (query, residual)
    }

    /// The whole of `filter` as a store query, or `nil` when some part cannot go.
    private func exact(_ filter: SCIMFilter) throws(SCIMError) -> SCIMStoreQuery? {
        switch filter {
        case .comparison(let path, let op, let value):
            return try comparison(path, op, value)
        case .present(let path):
            return mapping.field(for: path).map { .present($0) }
        case .and(let l, let r), .or(let l, let r):
            guard let a = try exact(l), let b = try exact(r) else { return nil }
            let isAnd = if case .and = filter { true } else { false }
            let list = Self.operands(a, ofAnd: isAnd) + Self.operands(b, ofAnd: isAnd)
            return isAnd ? .and(list) : .or(list)
        case .not(let inner):
            return try exact(inner).map { .not($0) }
        case .valuePath(let path, .comparison(let sub, let op, let value)) where sub.schema == nil && sub.subAttribute == nil:
            return try comparison(path.appending(sub.name), op, value)
        case .valuePath(let path, .present(let sub)) where sub.schema == nil && sub.subAttribute == nil:
            return mapping.field(for: path.appending(sub.name)).map { .present($0) }
        case .valuePath:
            return nil
        }
    }

    private func comparison(_ path: SCIMAttributePath, _ op: SCIMComparisonOperator, _ value: SCIMValue) throws(SCIMError) -> SCIMStoreQuery? {
        guard let field = mapping.field(for: path) else { return nil }
        if value == .null {
            switch op {
            case .eq: return .not(.present(field))
            case .ne: return .present(field)
            default: return nil
            }
        }
        if field.isBoolean {
            guard op == .eq || op == .ne else {
                throw .invalidFilter("\"\(path)\" is a boolean attribute; only eq and ne apply to it")
            }
            guard case .bool(let b) = value else { return nil }
            return op == .eq ? .equals(field, .bool(b)) : .not(.equals(field, .bool(b)))
        }
        guard case .string(let text) = value, SCIMDateTime(text) == nil || op.isSubstring else { return nil }
        let parameter = ValueComparison.fold(text, caseExact: field.isCaseExact)
        switch op {
        case .eq: return .equals(field, .text(parameter))
        case .ne: return .not(.equals(field, .text(parameter)))
        case .sw: return .startsWith(field, parameter)
        case .ew: return .endsWith(field, parameter)
        case .co: return .contains(field, parameter)
        case .gt, .ge, .lt, .le: return nil
        }
    }

    /// The operands of `q` when it is an `and` (or an `or`), else `q` alone: flattens nesting.
    private static func operands(_ q: SCIMStoreQuery, ofAnd: Bool) -> [SCIMStoreQuery] {
        switch q {
        case .and(let list) where ofAnd: list
        case .or(let list) where !ofAnd: list
        default: [q]
        }
    }
}

extension SCIMPatcher {
    /// An operation on `attr[filter]` or `attr[filter].sub`: it acts on the matching values
    /// only, and fails with `noTarget` when none match (RFC 7644 §3.5.2.2, §3.5.2.3), except
    /// for an `add` whose filter only fixes sub-attribute values, which adds a new entry.
    func applyFiltered(_ op: SCIMPatchOperation.Kind, _ attribute: SCIMAttributePath, _ filter: SCIMFilter,
                       _ sub: String?, _ value: SCIMValue?, to root: inout [String: SCIMValue]) throws(SCIMError) {
        try checkWritable(attribute)
        try withContainer(of: attribute, in: &root) { (container: inout [String: SCIMValue]) throws(SCIMError) in
            let key = SCIMValue.key(named: attribute.name, in: container) ?? attribute.name
            var items: [SCIMValue]
            switch container[key] {
            case nil, .null?: items = []
            case .array(let list)?: items = list
            default: throw .invalidPath("\"\(attribute)\" is not multi-valued, so it takes no [filter]")
            }
            var matched: [Int] = []
            for (index, item) in items.enumerated() where try evaluator.matches(filter, element: item, of: attribute) {
                matched.append(index)
            }
            if matched.isEmpty, op == .add, let entry = try newEntry(for: filter, sub, value ?? .null, of: attribute) {
                items.append(entry)
                container[key] = .array(PatchEdits.onePrimary(items, preferring: [items.count - 1]))
                return
            }
            guard !matched.isEmpty else { throw .noTarget("no value of \"\(attribute)\" matches [\(filter)]") }
            switch op {
            case .remove where sub == nil:
                items = items.enumerated().filter { !matched.contains($0.offset) }.map(\.element)
            case .remove, .add, .replace:
                for index in matched {
                    items[index] = try editEntry(items[index], op, sub, value ?? .null, of: attribute)
                }
                items = PatchEdits.onePrimary(items, preferring: matched)
            }
            container[key] = items.isEmpty ? nil : .array(items)
        }
    }

    /// For `add` to a value filter that matches nothing, such as
    /// `emails[type eq "work"].value`: a new entry made of the filter's equalities and the
    /// value, since an attribute that has no value is added (RFC 7644 §3.5.2.1). `nil` when
    /// the filter is not a plain `eq` or an `and` of them.
    func newEntry(for filter: SCIMFilter, _ sub: String?, _ value: SCIMValue,
                  of attribute: SCIMAttributePath) throws(SCIMError) -> SCIMValue? {
        guard var members = Self.equalities(filter) else { return nil }
        if let sub {
            PatchEdits.add(value, as: sub, in: &members)
        } else {
            guard case .object(let update) = value else {
                throw .invalidValue("add to a filtered \"\(attribute)\" needs an object of sub-attributes as its value")
            }
            for name in update.keys.sorted() { PatchEdits.add(update[name]!, as: name, in: &members) }
        }
        let entry = SCIMValue.object(members)
        return try evaluator.matches(filter, element: entry, of: attribute) ? entry : nil
    }

    /// The sub-attribute values that `a eq x and b eq y` fixes, or `nil` for any other filter.
    static func equalities(_ filter: SCIMFilter) -> [String: SCIMValue]? {
        switch filter {
        case .comparison(let path, .eq, let value) where path.schema == nil && path.subAttribute == nil && value != .null:
            return [path.name: value]
        case .and(let l, let r):
            guard let a = equalities(l), let b = equalities(r) else { return nil }
            var merged = a
            for (name, value) in b {
                if let key = SCIMValue.key(named: name, in: merged), merged[key] != value { return nil }
                merged[SCIMValue.key(named: name, in: merged) ?? name] = value
            }
            return merged
        default:
            return nil
        }
    }

    /// One matched entry after the operation: its sub-attribute edited, the value merged
    /// into it (`add`), or the value in its place (`replace`).
    func editEntry(_ entry: SCIMValue, _ op: SCIMPatchOperation.Kind, _ sub: String?, _ value: SCIMValue,
                   of attribute: SCIMAttributePath) throws(SCIMError) -> SCIMValue {
        if op == .replace, sub == nil { return value }
        guard case .object(var members) = entry else {
            throw .invalidPath("the values of \"\(attribute)\" are not complex, so they have no sub-attributes")
        }
        if let sub {
            edit(op, sub, op == .remove ? nil : value, in: &members)
        } else {
            guard case .object(let update) = value else {
                throw .invalidValue("add to a filtered \"\(attribute)\" needs an object of sub-attributes as its value")
            }
            for name in update.keys.sorted() { PatchEdits.add(update[name]!, as: name, in: &members) }
        }
        return .object(members)
    }
}

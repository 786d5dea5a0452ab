/// Edits of one member of a JSON object, as PATCH `add`, `replace` and `remove` make them
/// (RFC 7644 §3.5.2.1–3.5.2.3). Names match case-insensitively and keep their spelling.
enum PatchEdits {
    /// `add`: a multi-valued attribute gains the values it lacks, a complex attribute gains
    /// or updates the given sub-attributes, anything else is set (RFC 7644 §3.5.2.1).
    static func add(_ value: SCIMValue, as name: String, in members: inout [String: SCIMValue]) {
        guard value != .null else { return }
        let key = SCIMValue.key(named: name, in: members) ?? name
        switch (members[key], value) {
        case (.array(let old)?, _):
            members[key] = .array(adding(value.items, to: old))
        case (.object(var old)?, .object(let new)):
            for sub in new.keys.sorted() { add(new[sub]!, as: sub, in: &old) }
            members[key] = .object(old)
        case (_, .array(let items)):
            members[key] = .array(adding(items, to: []))
        default:
            members[key] = value
        }
    }

    /// `replace`: a complex attribute has the given sub-attributes replaced and keeps the
    /// others; a multi-valued attribute gets exactly the given values; null unassigns
    /// (RFC 7644 §3.5.2.3).
    static func replace(_ value: SCIMValue, as name: String, in members: inout [String: SCIMValue]) {
        let key = SCIMValue.key(named: name, in: members) ?? name
        switch (members[key], value) {
        case (_, .null):
            members.removeValue(forKey: key)
        case (.object(var old)?, .object(let new)):
            for sub in new.keys.sorted() { replace(new[sub]!, as: sub, in: &old) }
            members[key] = .object(old)
        case (_, .array(let list)):
            members[key] = list.isEmpty ? nil : .array(onePrimary(list, preferring: Array(list.indices)))
        case (.array?, _):
            members[key] = .array([value])
        default:
            members[key] = value
        }
    }

    /// `remove`: the member goes; for a multi-valued attribute with `values`, only the
    /// entries they identify go (RFC 7644 §3.5.2.2). An attribute left empty is unassigned.
    static func remove(_ name: String, from members: inout [String: SCIMValue], values: SCIMValue? = nil) {
        guard let key = SCIMValue.key(named: name, in: members) else { return }
        guard let values, values != .null, case .array(let items)? = members[key] else {
            members.removeValue(forKey: key)
            return
        }
        let targets = values.items
        let remaining = items.filter { item in !targets.contains { identifies($0, item) } }
        members[key] = remaining.isEmpty ? nil : .array(remaining)
    }

    /// `old` plus each new entry; an entry that `identifies` an existing one updates it.
    private static func adding(_ new: [SCIMValue], to old: [SCIMValue]) -> [SCIMValue] {
        var list = old
        var touched: [Int] = []
        for entry in new where entry != .null {
            if let i = list.firstIndex(where: { identifies(entry, $0) }) {
                if case .object(var existing) = list[i], case .object(let update) = entry {
                    for sub in update.keys.sorted() { replace(update[sub]!, as: sub, in: &existing) }
                    list[i] = .object(existing)
                }
                touched.append(i)
            } else {
                list.append(entry)
                touched.append(list.count - 1)
            }
        }
        return onePrimary(list, preferring: touched)
    }

    /// True when `pattern` names `entry`: equal, or both complex with the same `value`
    /// sub-attribute (and the same `type`, when the pattern has one).
    static func identifies(_ pattern: SCIMValue, _ entry: SCIMValue) -> Bool {
        if pattern == entry { return true }
        guard let value = pattern.member("value"), entry.isObject, entry.member("value") == value else { return false }
        guard let type = pattern.member("type") else { return true }
        return entry.member("type") == type
    }

    /// At most one entry with `"primary": true` (RFC 7643 §2.4): the last such entry among
    /// `preferring` keeps it and every other entry loses it.
    static func onePrimary(_ list: [SCIMValue], preferring indices: [Int]) -> [SCIMValue] {
        guard let keep = indices.last(where: { list[$0].member("primary") == .bool(true) }) else { return list }
        return list.enumerated().map { index, entry in
            guard index != keep, entry.member("primary") == .bool(true), case .object(var members) = entry else { return entry }
            members[SCIMValue.key(named: "primary", in: members) ?? "primary"] = .bool(false)
            return .object(members)
        }
    }
}

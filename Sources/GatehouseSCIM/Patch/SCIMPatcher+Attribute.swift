extension SCIMPatcher {
    /// An operation on `attr` or `attr.sub`, without a value filter.
    func applyAttribute(_ op: SCIMPatchOperation.Kind, _ path: SCIMAttributePath, _ value: SCIMValue?,
                        to root: inout [String: SCIMValue]) throws(SCIMError) {
        try checkWritable(path)
        try withContainer(of: path, in: &root) { (container: inout [String: SCIMValue]) throws(SCIMError) in
            guard let sub = path.subAttribute else {
                var value = value
                if op != .remove, let single = value, single != .null, !single.isArray,
                    multiValuedAttributes.contains(path.relative(toCore: evaluator.coreSchemas)) {
                    value = .array([single])
                }
                edit(op, path.name, value, in: &container)
                return
            }
            let key = SCIMValue.key(named: path.name, in: container)
            switch key.flatMap({ container[$0] }) {
            case nil, .null?:
                guard op != .remove, let value, value != .null else { return }
                container[key ?? path.name] = .object([sub: value])
            case .object(var parent)?:
                edit(op, sub, value, in: &parent)
                container[key ?? path.name] = parent.isEmpty ? nil : .object(parent)
            case .array?:
                throw .invalidPath("\"\(path.parent)\" is multi-valued; choose its values with a filter, as in \(path.name)[type eq \"work\"].\(sub)")
            default:
                throw .invalidPath("\"\(path.parent)\" is not a complex attribute, so it has no sub-attribute \"\(sub)\"")
            }
        }
    }

    /// `op` on the member `name` of `members`.
    func edit(_ op: SCIMPatchOperation.Kind, _ name: String, _ value: SCIMValue?, in members: inout [String: SCIMValue]) {
        switch op {
        case .add: PatchEdits.add(value ?? .null, as: name, in: &members)
        case .replace: PatchEdits.replace(value ?? .null, as: name, in: &members)
        case .remove: PatchEdits.remove(name, from: &members, values: value)
        }
    }
}

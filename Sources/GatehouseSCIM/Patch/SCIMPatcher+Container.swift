extension SCIMPatcher {
    /// Runs `body` on the object that holds `path`'s attribute: the resource itself, or the
    /// extension's object, made when missing and dropped when left empty.
    func withContainer(of path: SCIMAttributePath, in root: inout [String: SCIMValue],
                       _ body: (inout [String: SCIMValue]) throws(SCIMError) -> Void) throws(SCIMError) {
        guard let schema = path.schema, !evaluator.isCore(schema) else {
            try body(&root)
            return
        }
        let key = SCIMValue.key(named: schema, in: root)
        var container: [String: SCIMValue]
        switch key.flatMap({ root[$0] }) {
        case .object(let existing)?: container = existing
        case nil, .null?: container = [:]
        default: throw .invalidValue("\"\(schema)\" must hold an object of attributes")
        }
        try body(&container)
        if container.isEmpty {
            if let key { root.removeValue(forKey: key) }
            return
        }
        root[key ?? schema] = .object(container)
        if key == nil, let schemasKey = SCIMValue.key(named: "schemas", in: root), case .array(var list)? = root[schemasKey],
            !list.contains(where: { if case .string(let s) = $0 { SCIMSchema.same(s, schema) } else { false } }) {
            list.append(.string(schema))
            root[schemasKey] = .array(list)
        }
    }

    /// True when `key` names an extension schema: a known one or one the resource declares.
    func isExtension(_ key: String, in root: [String: SCIMValue]) -> Bool {
        guard key.contains(":") else { return false }
        if extensionSchemas.contains(where: { SCIMSchema.same($0, key) }) { return true }
        guard case .array(let declared)? = SCIMValue.object(root).member("schemas") else { return false }
        return declared.contains { if case .string(let s) = $0 { SCIMSchema.same(s, key) } else { false } }
    }

    /// Refuses read-only attributes with `mutability` (RFC 7643 §2.2).
    func checkWritable(_ path: SCIMAttributePath) throws(SCIMError) {
        let attribute = path.parent.relative(toCore: evaluator.coreSchemas)
        if readOnlyAttributes.contains(attribute) { throw .mutability("\"\(attribute)\" is read-only") }
    }
}

extension SCIMPatcher {
    /// The extension URN when `path` names a whole extension rather than one of its
    /// attributes: `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User` reads as the
    /// attribute `User` of the schema `…:2.0`, but is the extension's object.
    func extensionNamed(by path: SCIMPatchPath, in root: [String: SCIMValue]) -> String? {
        guard path.filter == nil, path.subAttribute == nil, path.attribute.subAttribute == nil,
              let schema = path.attribute.schema else { return nil }
        let urn = schema + ":" + path.attribute.name
        return isExtension(urn, in: root) ? urn : nil
    }

    /// An operation on a whole extension (RFC 7644 §3.5.2): `add` and `replace` apply each
    /// attribute of the value (an object) as if its path were `urn:…:attribute`; `remove`
    /// removes the extension's object, unless it holds a read-only attribute.
    ///
    /// ```json
    /// {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    ///  "value": {"department": "/ha-noi/phuong-ba-dinh"}}
    /// ```
    func applyExtension(_ op: SCIMPatchOperation.Kind, _ urn: String, _ value: SCIMValue?,
                        to root: inout [String: SCIMValue]) throws(SCIMError) {
        if op == .remove {
            guard let key = SCIMValue.key(named: urn, in: root) else { return }
            if case .object(let members)? = root[key] {
                for name in members.keys { try checkWritable(SCIMAttributePath(schema: urn, name: name)) }
            }
            root.removeValue(forKey: key)
            return
        }
        guard case .object(let members)? = value else {
            throw .invalidValue("\(op.rawValue) of \(urn) needs a JSON object of the extension's attributes as its value")
        }
        for (name, member) in members.sorted(by: { $0.key < $1.key }) where name.lowercased() != "schemas" {
            try applyAttribute(op, SCIMAttributePath(schema: urn, name: name), member, to: &root)
        }
    }
}

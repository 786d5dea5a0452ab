/// Which SCIM attributes a store can filter on, and the field each one is.
///
/// ```swift
/// var mapping = SCIMQueryMapping.gatehouseUsers()
/// mapping.fields[SCIMAttributePath(schema: SCIMSchema.enterpriseUser, name: "department")] = .unitPath
/// ```
public struct SCIMQueryMapping: Sendable {
    /// Attribute paths (relative to ``coreSchemas``) and their fields.
    public var fields: [SCIMAttributePath: SCIMStoreField]
    /// Schema URNs whose attributes sit at the top of a resource.
    public var coreSchemas: [String]

    /// Creates a mapping.
    public init(fields: [SCIMAttributePath: SCIMStoreField], coreSchemas: [String] = [SCIMSchema.coreUser, SCIMSchema.coreGroup]) {
        self.fields = fields
        self.coreSchemas = coreSchemas
    }

    /// Gatehouse accounts as SCIM Users (RFC 7643 §4.1): `id`, `userName`, `displayName`,
    /// `emails` and `emails.value` (the one address), `externalId`, `active`, and
    /// `unitAttribute` (by default the Gatehouse extension's `unit`; a deployment may name
    /// the Enterprise extension's `organization`, `division` or `department` instead).
    ///
    /// Plans agree with evaluation when resources are rendered from accounts this way: the
    /// field's value as the attribute, and `emails` present exactly when the account has an
    /// address (never an empty one), as its only entry.
    public static func gatehouseUsers(
        unitAttribute: SCIMAttributePath = SCIMAttributePath(schema: SCIMSchema.gatehouseUser, name: "unit")
    ) -> SCIMQueryMapping {
        SCIMQueryMapping(fields: [
            SCIMAttributePath(name: "id"): .id,
            SCIMAttributePath(name: "userName"): .username,
            SCIMAttributePath(name: "displayName"): .displayName,
            SCIMAttributePath(name: "emails"): .email,
            SCIMAttributePath(name: "emails", subAttribute: "value"): .email,
            SCIMAttributePath(name: "externalId"): .externalID,
            SCIMAttributePath(name: "active"): .active,
            unitAttribute: .unitPath,
        ])
    }

    /// The field `path` stands for, if any.
    public func field(for path: SCIMAttributePath) -> SCIMStoreField? {
        if let field = fields[path] { return field }
        let relative = path.relative(toCore: coreSchemas)
        return fields.first { $0.key.relative(toCore: coreSchemas) == relative }?.value
    }
}

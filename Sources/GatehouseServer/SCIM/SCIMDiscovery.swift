import GatehouseSCIM

/// The discovery documents of RFC 7644 §4 and RFC 7643 §5–§7: `/ServiceProviderConfig`,
/// `/ResourceTypes` and `/Schemas`, describing exactly what ``SCIMRoutes`` serves.
///
/// Groups are Gatehouse's role catalogue, read-only and without `members`: a role is granted
/// to an account at a unit (`province-admin@/ha-noi`), which a SCIM group membership cannot
/// express, so grants are made through the admin API (`POST /admin/accounts/{id}/grants`),
/// where the granting rules are checked. Writes to `/Groups` answer 501.
struct SCIMDiscovery: Sendable {
    /// The absolute URL of `/scim/v2`.
    let base: String

    static let serviceProviderConfigSchema = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
    static let resourceTypeSchema = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
    static let schemaSchema = "urn:ietf:params:scim:schemas:core:2.0:Schema"

    var serviceProviderConfig: SCIMValue {
        [
            "schemas": [.string(Self.serviceProviderConfigSchema)],
            "documentationUri": .string("\(base)/ResourceTypes"),
            "patch": ["supported": true],
            "bulk": ["supported": true, "maxOperations": .int(SCIMBulk.maxOperations), "maxPayloadSize": .int(SCIMBulk.maxPayloadSize)],
            "filter": ["supported": true, "maxResults": .int(SCIMUserQuery.maxResults)],
            // PUT and PATCH set `password` (RFC 7643 §5), for callers with accounts.reset_credentials.
            "changePassword": ["supported": true],
            "sort": ["supported": true],
            "etag": ["supported": true],
            "authenticationSchemes": [[
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "An access token this server issued to an administrator (RFC 6750), with the scope gatehouse:admin. The administrator's role grants decide which accounts are visible and what may change.",
                "specUri": "https://www.rfc-editor.org/info/rfc6750",
                "primary": true,
            ]],
            "meta": meta("ServiceProviderConfig", "\(base)/ServiceProviderConfig"),
        ]
    }

    var resourceTypes: [SCIMValue] {
        [
            [
                "schemas": [.string(Self.resourceTypeSchema)],
                "id": "User", "name": "User", "endpoint": "/Users",
                "description": "Gatehouse accounts within the caller's reach. The home unit's path is the Enterprise department and the Gatehouse unit.",
                "schema": .string(SCIMSchema.coreUser),
                "schemaExtensions": [
                    ["schema": .string(SCIMSchema.enterpriseUser), "required": true],
                    ["schema": .string(SCIMSchema.gatehouseUser), "required": true],
                ],
                "meta": meta("ResourceType", "\(base)/ResourceTypes/User"),
            ],
            [
                "schemas": [.string(Self.resourceTypeSchema)],
                "id": "Group", "name": "Group", "endpoint": "/Groups",
                "description": "The role catalogue, read-only and without members: roles are granted to accounts at units through the admin API (POST /admin/accounts/{id}/grants).",
                "schema": .string(SCIMSchema.coreGroup),
                "meta": meta("ResourceType", "\(base)/ResourceTypes/Group"),
            ],
        ]
    }

    var schemas: [SCIMValue] {
        [
            schema(SCIMSchema.coreUser, "User", "User Account", [
                Self.attribute("userName", required: true, mutability: "immutable", uniqueness: "server",
                               "The login name, unique and compared without regard to case; it cannot change."),
                Self.attribute("displayName", required: true, "The name shown to people, such as Nguyễn Thị Lan; userName when not given at creation."),
                Self.attribute("name", type: "complex", required: true, "The person's name; formatted is the display name.", subAttributes: [
                    Self.attribute("formatted", "The full name; the same as displayName."),
                ]),
                Self.attribute("emails", type: "complex", multiValued: true,
                               "The account's one address, as the primary. Two different addresses are refused.", subAttributes: [
                    Self.attribute("value", "The address."),
                    Self.attribute("type", "Always work.", canonicalValues: ["work"]),
                    Self.attribute("primary", type: "boolean", "Always true."),
                ]),
                Self.attribute("active", type: "boolean", required: true, "Whether the account may log in; false when disabled or locked. True when not given at creation."),
                Self.attribute("password", mutability: "writeOnly", returned: "never",
                               "Checked against the password policy. At creation, the first password; by PUT or PATCH, a new one, "
                               + "which needs accounts.reset_credentials and ends the account's sessions. Not for accounts of a directory."),
            ]),
            schema(SCIMSchema.enterpriseUser, "EnterpriseUser", "Enterprise User", [
                Self.attribute("department", required: true,
                               "The path of the account's home unit, such as /ha-noi/phuong-ba-dinh. At creation, the one subtree where the caller may create accounts when not given."),
            ]),
            schema(SCIMSchema.gatehouseUser, "GatehouseUser", "Gatehouse account", [
                Self.attribute("unit", required: true, "The path of the account's home unit, such as /ha-noi/phuong-ba-dinh (the same as the Enterprise department)."),
                Self.attribute("status", mutability: "readOnly", "active, disabled or locked."),
                Self.attribute("source", mutability: "readOnly", "local, or ldap:NAME for an account of a directory."),
                Self.attribute("mustChangePassword", type: "boolean", mutability: "readOnly", "The next login must set a new password."),
                Self.attribute("secondFactorEnrolled", type: "boolean", mutability: "readOnly", "Whether a second factor is enrolled."),
                Self.attribute("grants", multiValued: true, mutability: "readOnly",
                               "Role grants as role@/unit/path; granted through the admin API."),
            ]),
            schema(SCIMSchema.coreGroup, "Group", "A role of the catalogue", [
                Self.attribute("displayName", mutability: "readOnly", "The role's name."),
                Self.attribute("members", type: "complex", multiValued: true, mutability: "readOnly",
                               "Not listed: roles are granted at units through the admin API.", subAttributes: [
                    Self.attribute("value", mutability: "readOnly", "The id of a member."),
                ]),
            ]),
        ]
    }

    private func schema(_ id: String, _ name: String, _ description: String, _ attributes: [SCIMValue]) -> SCIMValue {
        [
            "schemas": [.string(Self.schemaSchema)],
            "id": .string(id), "name": .string(name), "description": .string(description),
            "attributes": .array(attributes),
            "meta": meta("Schema", "\(base)/Schemas/\(id)"),
        ]
    }

    private func meta(_ resourceType: String, _ location: String) -> SCIMValue {
        ["resourceType": .string(resourceType), "location": .string(location)]
    }

    /// An attribute definition (RFC 7643 §7).
    private static func attribute(_ name: String, type: String = "string", multiValued: Bool = false, required: Bool = false,
                                  mutability: String = "readWrite", returned: String = "default", uniqueness: String = "none",
                                  _ description: String, canonicalValues: [String]? = nil, subAttributes: [SCIMValue]? = nil) -> SCIMValue {
        var definition: [String: SCIMValue] = [
            "name": .string(name), "type": .string(type), "multiValued": .bool(multiValued), "description": .string(description),
            "required": .bool(required), "mutability": .string(mutability), "returned": .string(returned),
            "uniqueness": .string(uniqueness),
        ]
        if type == "string" { definition["caseExact"] = false }
        if let subAttributes { definition["subAttributes"] = .array(subAttributes) }
        if let canonicalValues { definition["canonicalValues"] = .array(canonicalValues.map(SCIMValue.string)) }
        return .object(definition)
    }
}

import Foundation
import GatehouseSCIM

/// The "Tour Guides" group of RFC 7644 §3.5.2 and a way to send PATCH bodies to a resource.
enum PatchFixture {
    static let patcher = SCIMPatcher()
    static let babs = "2819c223-7f76-453a-919d-413861904646"
    static let mandy = "902c246b-6245-4190-8e05-00816be7344a"

    static let group: SCIMValue = [
        "schemas": [.string(SCIMSchema.coreGroup)],
        "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
        "displayName": "Tour Guides",
        "members": [
            ["value": .string(babs), "display": "Babs Jensen", "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"],
            ["value": .string(mandy), "display": "Mandy Pepperidge", "$ref": "https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a"],
        ],
    ]

    static func patch(_ resource: SCIMValue, _ operations: String) throws(SCIMError) -> SCIMValue {
        let body = #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":["# + operations + "]}"
        return try patcher.apply(try SCIMPatchRequest(json: Data(body.utf8)), to: resource)
    }

    static func memberIDs(_ group: SCIMValue) -> [String] {
        guard case .array(let members)? = group.member("members") else { return [] }
        return members.compactMap { if case .string(let id)? = $0.member("value") { id } else { nil } }
    }
}

/// Schema and message URNs used by this module (RFC 7643 §8.7, RFC 7644 §3.1).
public enum SCIMSchema {
    /// The core User schema (RFC 7643 §4.1).
    public static let coreUser = "urn:ietf:params:scim:schemas:core:2.0:User"
    /// The core Group schema (RFC 7643 §4.2).
    public static let coreGroup = "urn:ietf:params:scim:schemas:core:2.0:Group"
    /// The Enterprise User extension (RFC 7643 §4.3): `employeeNumber`, `organization`,
    /// `division`, `department`, `manager`, …
    public static let enterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    /// Gatehouse's User extension; its `unit` attribute holds the account's unit path
    /// (`/ha-noi/phuong-ba-dinh`).
    public static let gatehouseUser = "urn:ietf:params:scim:schemas:extension:gatehouse:2.0:User"

    /// The List Response message (RFC 7644 §3.4.2).
    public static let listResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    /// The Error message (RFC 7644 §3.12).
    public static let error = "urn:ietf:params:scim:api:messages:2.0:Error"
    /// The PATCH request message (RFC 7644 §3.5.2).
    public static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    /// True when two URNs name the same schema: schema URIs compare case-insensitively
    /// (RFC 7644 §3.10).
    static func same(_ a: String, _ b: String) -> Bool { a.lowercased() == b.lowercased() }
}

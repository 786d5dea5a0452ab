extension SCIMError: Encodable {
    /// The Error message (RFC 7644 §3.12): `status` is a string, `scimType` is left out
    /// when there is none.
    ///
    /// ```json
    /// {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "400",
    ///  "scimType": "invalidFilter", "detail": "unexpected \")\" at offset 15, …"}
    /// ```
    public var json: SCIMValue {
        var members: [String: SCIMValue] = [
            "schemas": [.string(SCIMSchema.error)],
            "status": .string(String(status)),
            "detail": .string(detail),
        ]
        if let scimType { members["scimType"] = .string(scimType.rawValue) }
        return .object(members)
    }

    /// Encodes ``json``.
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

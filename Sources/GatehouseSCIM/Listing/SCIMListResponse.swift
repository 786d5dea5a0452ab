/// A List Response (RFC 7644 §3.4.2): one page of query results.
///
/// ```json
/// {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
///  "totalResults": 2, "startIndex": 1, "itemsPerPage": 2, "Resources": [{…}, {…}]}
/// ```
public struct SCIMListResponse: Hashable, Sendable, Encodable {
    /// How many resources matched the query in all (RFC 7644 §3.4.2.4).
    public var totalResults: Int
    /// The 1-based index of the first resource of this page.
    public var startIndex: Int
    /// The resources of this page.
    public var resources: [SCIMValue]

    /// Creates a response.
    public init(totalResults: Int, startIndex: Int = 1, resources: [SCIMValue]) {
        self.totalResults = totalResults
        self.startIndex = startIndex
        self.resources = resources
    }

    /// The number of resources on this page.
    public var itemsPerPage: Int { resources.count }

    /// The message as JSON; `Resources` is present even when empty.
    public var json: SCIMValue {
        [
            "schemas": [.string(SCIMSchema.listResponse)],
            "totalResults": .int(totalResults),
            "startIndex": .int(startIndex),
            "itemsPerPage": .int(itemsPerPage),
            "Resources": .array(resources),
        ]
    }

    /// Encodes ``json``.
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

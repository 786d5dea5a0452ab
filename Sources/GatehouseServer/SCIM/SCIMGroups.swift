import GatehouseCore
import GatehouseSCIM

/// `/Groups`: the role catalogue as read-only SCIM Groups (RFC 7643 §4.2), without `members`
/// (see ``SCIMDiscovery`` for why). The catalogue is small, so filters, sorting and paging
/// are evaluated in memory.
struct SCIMGroups: Sendable {
    let roles: [Role]
    /// The absolute URL of `/scim/v2`.
    let base: String

    func render(_ role: Role) -> SCIMValue {
        [
            "schemas": [.string(SCIMSchema.coreGroup)],
            "id": .string(role.name),
            "displayName": .string(role.name),
            "meta": ["resourceType": "Group", "location": .string("\(base)/Groups/\(role.name)")],
        ]
    }

    func list(_ query: SCIMUserQuery) throws(SCIMError) -> SCIMListResponse {
        let evaluator = SCIMFilterEvaluator()
        var groups = try evaluator.select(roles.sorted { $0.name < $1.name }.map(render), matching: query.filter)
        if let sort = query.sort { groups = sort.sorted(groups, evaluator: evaluator) }
        return query.pagination.listResponse(of: groups)
    }

    func get(_ id: String) throws(SCIMError) -> SCIMValue {
        guard let role = roles.first(where: { $0.name == id }) else { throw .notFound("no Group with id \"\(id)\"") }
        return render(role)
    }

    /// The answer to POST, PUT, PATCH and DELETE (RFC 7644 §3.12: 501 for an operation the
    /// service provider does not support).
    static let readOnly = SCIMError(status: 501, scimType: nil, detail:
        "Groups are Gatehouse's role catalogue and are read-only: roles are granted to accounts at units through the admin API (POST /admin/accounts/{id}/grants)")
}

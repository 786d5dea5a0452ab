import Foundation
import GatehouseCore
import GatehouseStore

extension SQLTransaction {
    static let grantColumns = "id, account_id, role, unit_id, granted_by, created_at"

    func decodeGrant(_ row: SQLRow) throws(StoreError) -> RoleGrant {
        let r = RowReader(row, "role grant")
        return RoleGrant(
            id: try r.uuid("id"), accountID: try r.uuid("account_id"), role: try r.text("role"), unitID: try r.uuid("unit_id"),
            grantedBy: try r.optionalUUID("granted_by"), createdAt: try r.time("created_at"))
    }

    func grant(id: UUID) throws -> RoleGrant {
        let rows = try query("SELECT \(Self.grantColumns) FROM role_grants WHERE id = $1", [.uuid(id)])
        guard let row = rows.first else { throw StoreError.notFound("role grant \(id.lowercasedString)") }
        return try decodeGrant(row)
    }

    func grants(accountID: UUID) throws -> [RoleGrant] {
        try query("SELECT \(Self.grantColumns) FROM role_grants WHERE account_id = $1 ORDER BY created_at, id", [.uuid(accountID)])
            .map(decodeGrant)
    }

    func grants(unitID: UUID) throws -> [RoleGrant] {
        try query("SELECT \(Self.grantColumns) FROM role_grants WHERE unit_id = $1 ORDER BY created_at, id", [.uuid(unitID)])
            .map(decodeGrant)
    }

    func effectiveGrants(accountID: UUID) throws -> [EffectiveGrant] {
        let rows = try query(
            "SELECT g.role, u.path FROM role_grants g JOIN units u ON u.id = g.unit_id WHERE g.account_id = $1 ORDER BY u.path, g.role",
            [.uuid(accountID)])
        return try rows.map { (row) throws(StoreError) -> EffectiveGrant in
            let r = RowReader(row, "role grant")
            return EffectiveGrant(role: try r.text("role"), unit: try r.path("path"))
        }
    }

    func insertGrant(_ grant: RoleGrant) throws {
        try execute(
            "INSERT INTO role_grants (id, account_id, role, unit_id, granted_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            [.uuid(grant.id), .uuid(grant.accountID), .text(grant.role), .uuid(grant.unitID), .uuid(grant.grantedBy), .time(grant.createdAt)],
            Meaning(
                duplicate: { error in
                    error.message.contains("role_grants.id") || error.message.contains("pkey")
                        ? "role grant \(grant.id.lowercasedString)"
                        : "grant of role '\(grant.role)' at unit \(grant.unitID.lowercasedString) to account \(grant.accountID.lowercasedString)"
                },
                missingReference: "role grant '\(grant.role)' refers to account \(grant.accountID.lowercasedString) or unit \(grant.unitID.lowercasedString), which does not exist"))
    }

    func deleteGrant(id: UUID) throws {
        let deleted = try execute("DELETE FROM role_grants WHERE id = $1", [.uuid(id)])
        guard deleted > 0 else { throw StoreError.notFound("role grant \(id.lowercasedString)") }
    }

    // MARK: Clients

    static let clientColumns = """
        id, name, secret_hash, jwks, is_public, auth_method, redirect_uris, post_logout_redirect_uris, backchannel_logout_uri, \
        grant_types, scopes, id_token_signed_response_alg, from_policy, created_at, updated_at, unit_id
        """

    func decodeClient(_ row: SQLRow) throws(StoreError) -> Client {
        let r = RowReader(row, "client")
        let grantNames: [String] = try r.json("grant_types")
        var grantTypes = Set<GrantType>()
        for name in grantNames {
            guard let grantType = GrantType(rawValue: name) else { throw r.unreadable("grant_types") }
            grantTypes.insert(grantType)
        }
        return Client(
            id: try r.text("id"), name: try r.text("name"), secretHash: r.optionalText("secret_hash"), jwks: r.optionalText("jwks"),
            isPublic: try r.bool("is_public"), authMethod: try r.enumeration("auth_method", as: ClientAuthMethod.self),
            redirectURIs: try r.json("redirect_uris"), postLogoutRedirectURIs: try r.json("post_logout_redirect_uris"),
            backchannelLogoutURI: r.optionalText("backchannel_logout_uri"), grantTypes: grantTypes,
            scopes: Set(try r.json("scopes", as: [String].self)), idTokenSignedResponseAlg: r.optionalText("id_token_signed_response_alg"),
            fromPolicy: try r.bool("from_policy"), unitID: try r.optionalUUID("unit_id"), createdAt: try r.time("created_at"),
            updatedAt: try r.time("updated_at"))
    }

    func clientParameters(_ client: Client) -> [SQLValue] {
        [.text(client.id), .text(client.name), .textOrNull(client.secretHash), .textOrNull(client.jwks), .bool(client.isPublic),
         .text(client.authMethod.rawValue), .json(client.redirectURIs), .json(client.postLogoutRedirectURIs),
         .textOrNull(client.backchannelLogoutURI), .json(Set(client.grantTypes.map(\.rawValue))), .json(client.scopes),
         .textOrNull(client.idTokenSignedResponseAlg), .bool(client.fromPolicy), .time(client.createdAt), .time(client.updatedAt),
         .uuid(client.unitID)]
    }

    func client(id: String) throws -> Client {
        let rows = try query("SELECT \(Self.clientColumns) FROM clients WHERE id = $1", [.text(id)])
        guard let row = rows.first else { throw StoreError.notFound("client '\(id)'") }
        return try decodeClient(row)
    }

    func clients() throws -> [Client] {
        try query("SELECT \(Self.clientColumns) FROM clients ORDER BY id", []).map(decodeClient)
    }

    func insertClient(_ client: Client) throws {
        try execute(
            "INSERT INTO clients (\(Self.clientColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            clientParameters(client), Meaning(duplicate: { _ in "client '\(client.id)'" }, missingReference: Self.missingUnit(of: client)))
    }

    /// Why a client's foreign key failed: its owning unit is the only one it has.
    static func missingUnit(of client: Client) -> String {
        "client '\(client.id)' refers to unit \(client.unitID?.lowercasedString ?? "(none)"), which does not exist"
    }

    func updateClient(_ client: Client) throws -> Client {
        var updated = client
        updated.updatedAt = now()
        // Every column but created_at, which never changes: $1-$13 as for insert, then updated_at and unit_id.
        var parameters = clientParameters(updated)
        parameters.remove(at: 13)
        let rows = try query(
            """
            UPDATE clients SET name = $2, secret_hash = $3, jwks = $4, is_public = $5, auth_method = $6, redirect_uris = $7,
                post_logout_redirect_uris = $8, backchannel_logout_uri = $9, grant_types = $10, scopes = $11,
                id_token_signed_response_alg = $12, from_policy = $13, updated_at = $14, unit_id = $15
            WHERE id = $1
            RETURNING created_at
            """,
            parameters, Meaning(missingReference: Self.missingUnit(of: client)))
        guard let row = rows.first else { throw StoreError.notFound("client '\(client.id)'") }
        updated.createdAt = try RowReader(row, "client").time("created_at")
        return updated
    }

    func deleteClient(id: String) throws {
        let deleted = try execute("DELETE FROM clients WHERE id = $1", [.text(id)])
        guard deleted > 0 else { throw StoreError.notFound("client '\(id)'") }
    }
}

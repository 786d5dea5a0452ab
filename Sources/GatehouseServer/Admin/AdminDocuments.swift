import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehouseJOSE

// The JSON bodies of the admin API (see /admin/openapi.json). Snake-case keys, RFC 3339 times;
// secrets (password hashes, second-factor secrets, recovery codes) have no field to leak into.

struct AccountDocument: Codable, Sendable {
    var id: String
    var username: String
    var display_name: String
    var email: String?
    var unit: String
    var status: String
    var must_change_password: Bool
    var second_factor_enrolled: Bool
    /// `local`, or `ldap:NAME` for an account of a directory.
    var source: String
    var created_at: Date
    var updated_at: Date
    var version: Int
    var grants: [GrantDocument]

    init(_ managed: ManagedAccount) {
        let a = managed.account
        id = a.id.uuidString.lowercased(); username = a.username.value; display_name = a.displayName; email = a.email
        unit = managed.unit.description; status = a.status.rawValue; must_change_password = a.mustChangePassword
        second_factor_enrolled = a.hasSecondFactor; source = a.source.directoryName.map { "ldap:\($0)" } ?? "local"
        created_at = a.createdAt; updated_at = a.updatedAt; version = a.version; grants = managed.grants.map(GrantDocument.init)
    }

    /// The entity tag of this version (RFC 9110 §8.8.3), weak: the representation may change
    /// with the API while the version stays.
    static func etag(_ version: Int) -> String { "W/\"\(version)\"" }
}

struct GrantDocument: Codable, Sendable {
    var id: String
    var account_id: String
    var role: String
    var unit: String
    var granted_by: String?
    var created_at: Date

    init(_ g: ManagedGrant) {
        id = g.id.uuidString.lowercased(); account_id = g.accountID.uuidString.lowercased(); role = g.role; unit = g.unit.description
        granted_by = g.grantedBy?.uuidString.lowercased(); created_at = g.createdAt
    }
}

struct UnitDocument: Codable, Sendable {
    var id: String
    var path: String
    var name: String
    var code: String?
    var level: String
    var parent: String?
    var created_at: Date
    var updated_at: Date

    init(_ u: OrgUnit) {
        id = u.id.uuidString.lowercased(); path = u.path.description; name = u.name; code = u.code; level = u.level.rawValue
        parent = u.path.parent?.description; created_at = u.createdAt; updated_at = u.updatedAt
    }
}

struct AuditEventDocument: Codable, Sendable {
    var sequence: Int64
    var action: String
    var actor: String
    var target: String?
    var unit: String?
    var client_id: String?
    var source_ip: String?
    var result: String
    var detail: [String: String]
    var time: Date
    var hash: String
    var previous_hash: String

    init(_ e: AuditEvent) {
        let r = e.record
        sequence = e.sequence; action = r.action; actor = r.actor; target = r.target; unit = r.unit?.description; client_id = r.clientID
        source_ip = r.sourceIP; result = r.result.rawValue; detail = r.detail; time = r.time; hash = e.hash; previous_hash = e.previousHash
    }
}

struct RoleDocument: Codable, Sendable {
    var name: String
    var description: String
    var permissions: [String]
    var levels: [String]
    var mfa_required: Bool

    init(_ r: Role) {
        name = r.name; description = r.description; permissions = r.permissions.map(\.rawValue).sorted()
        levels = r.grantableAt.sorted().map(\.rawValue); mfa_required = r.mfaRequired
    }
}

/// A relying party, in the names of OAuth 2.0 Dynamic Client Registration (RFC 7591) where
/// one exists. The secret is never part of it, only of ``RegisteredClientDocument``, once.
struct ClientDocument: Codable, Sendable {
    var client_id: String
    var client_name: String
    var unit: String
    var token_endpoint_auth_method: String
    var redirect_uris: [String]
    var post_logout_redirect_uris: [String]
    var backchannel_logout_uri: String?
    var grant_types: [String]
    var scope: String
    var jwks: JWKSet?
    /// Declared in Policies/clients.yaml: read-only here.
    var from_policy: Bool
    var created_at: Date
    var updated_at: Date

    init(_ managed: ManagedClient) {
        let c = managed.client
        client_id = c.id; client_name = c.name; unit = managed.unit.description; token_endpoint_auth_method = c.authMethod.rawValue
        redirect_uris = c.redirectURIs; post_logout_redirect_uris = c.postLogoutRedirectURIs; backchannel_logout_uri = c.backchannelLogoutURI
        grant_types = c.grantTypes.map(\.rawValue).sorted(); scope = c.scopes.sorted().joined(separator: " ")
        jwks = c.jwks.flatMap { try? JWKSet(json: Data($0.utf8)) }; from_policy = c.fromPolicy
        created_at = c.createdAt; updated_at = c.updatedAt
    }
}

struct RegisteredClientDocument: Codable, Sendable {
    var client: ClientDocument
    /// Shown once; stored only as a keyed hash.
    var client_secret: String?

    init(_ registered: RegisteredClient) {
        client = ClientDocument(registered.client); client_secret = registered.secret
    }
}

// Request bodies.

struct AccountCreateBody: Decodable, Sendable {
    var username: String
    var display_name: String
    var email: String?
    var unit: String
    var password: String?
    var active: Bool?
}

struct AccountPatchBody: Decodable, Sendable {
    var display_name: String?
    /// Present and null removes the address; absent leaves it.
    var email: String??
    var unit: String?
    var active: Bool?

    enum CodingKeys: String, CodingKey { case display_name, email, unit, active }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        display_name = try c.decodeIfPresent(String.self, forKey: .display_name)
        if c.contains(.email) { email = .some(try c.decodeNil(forKey: .email) ? nil : try c.decode(String.self, forKey: .email)) }
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        active = try c.decodeIfPresent(Bool.self, forKey: .active)
    }
}

struct GrantBody: Decodable, Sendable {
    var role: String
    var unit: String
}

struct UnitCreateBody: Decodable, Sendable {
    var path: String
    var name: String
    var code: String?
}

struct UnitPatchBody: Decodable, Sendable {
    var name: String?
    var code: String?
}

struct UnitMoveBody: Decodable, Sendable {
    var path: String
    var parent: String
    var slug: String?
    var dry_run: Bool?
}

struct UnitMergeBody: Decodable, Sendable {
    var path: String
    var into: String
    var dry_run: Bool?
}

/// RFC 7591 client metadata, plus the owning unit. `jwks` is read from the raw body.
struct ClientCreateBody: Decodable, Sendable {
    var client_id: String
    var client_name: String?
    var unit: String
    var token_endpoint_auth_method: String?
    var redirect_uris: [String]?
    var post_logout_redirect_uris: [String]?
    var backchannel_logout_uri: String?
    var grant_types: [String]?
    var scope: String?
}

struct ClientPatchBody: Decodable, Sendable {
    var client_name: String?
    var unit: String?
    var redirect_uris: [String]?
    var post_logout_redirect_uris: [String]?
    /// Present and null removes the endpoint; absent leaves it.
    var backchannel_logout_uri: String??
    var grant_types: [String]?
    var scope: String?

    enum CodingKeys: String, CodingKey {
        case client_name, unit, redirect_uris, post_logout_redirect_uris, backchannel_logout_uri, grant_types, scope
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        client_name = try c.decodeIfPresent(String.self, forKey: .client_name)
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        redirect_uris = try c.decodeIfPresent([String].self, forKey: .redirect_uris)
        post_logout_redirect_uris = try c.decodeIfPresent([String].self, forKey: .post_logout_redirect_uris)
        if c.contains(.backchannel_logout_uri) {
            backchannel_logout_uri = .some(try c.decodeNil(forKey: .backchannel_logout_uri) ? nil : try c.decode(String.self, forKey: .backchannel_logout_uri))
        }
        grant_types = try c.decodeIfPresent([String].self, forKey: .grant_types)
        scope = try c.decodeIfPresent(String.self, forKey: .scope)
    }
}

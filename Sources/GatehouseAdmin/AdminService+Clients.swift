public import Foundation
public import GatehouseCore
public import GatehouseStore
import GatehouseJOSE
import GatehouseOAuth
import GatehousePolicy

/// A relying party as administrators see it: the client (its secret hash never leaves through
/// the API encoders) and the path of the unit that owns it (`/` for a platform-wide client).
public struct ManagedClient: Sendable, Hashable {
    public var client: Client
    public var unit: UnitPath
}

/// A client just registered, or whose secret was just replaced, with the secret in clear:
/// returned once, stored only as a keyed hash.
public struct RegisteredClient: Sendable, Hashable {
    public var client: ManagedClient
    public var secret: String?
}

/// A new relying party.
public struct ClientDraft: Sendable, Hashable {
    public var id: String
    public var name: String?
    /// The owning unit: `clients.manage` is needed there.
    public var unit: UnitPath
    /// A public client (a browser or native application) has no secret and must use PKCE.
    public var isPublic: Bool
    /// For a confidential client: `client_secret_basic` (the default), `client_secret_post` or
    /// `private_key_jwt` (with ``jwks``).
    public var authMethod: ClientAuthMethod?
    public var redirectURIs: [String]
    public var postLogoutRedirectURIs: [String]
    public var backchannelLogoutURI: String?
    /// Default: `authorization_code` and `refresh_token`.
    public var grantTypes: Set<GrantType>?
    /// Default: `openid profile email`.
    public var scopes: Set<String>?
    /// A JWK Set (JSON) of the client's public keys, for `private_key_jwt`.
    public var jwks: String?

    public init(id: String, name: String? = nil, unit: UnitPath, isPublic: Bool = false, authMethod: ClientAuthMethod? = nil,
                redirectURIs: [String] = [], postLogoutRedirectURIs: [String] = [], backchannelLogoutURI: String? = nil,
                grantTypes: Set<GrantType>? = nil, scopes: Set<String>? = nil, jwks: String? = nil) {
        self.id = id; self.name = name; self.unit = unit; self.isPublic = isPublic; self.authMethod = authMethod
        self.redirectURIs = redirectURIs; self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.backchannelLogoutURI = backchannelLogoutURI; self.grantTypes = grantTypes; self.scopes = scopes; self.jwks = jwks
    }
}

/// Changes to a client; `nil` leaves a field as it is. Whether it is public, and how it
/// authenticates, are fixed at registration: register a new client to change them.
public struct ClientPatch: Sendable, Hashable {
    public var name: String?
    /// A new owning unit (`clients.manage` at both).
    public var unit: UnitPath?
    public var redirectURIs: [String]?
    public var postLogoutRedirectURIs: [String]?
    /// `.some(nil)` removes the endpoint.
    public var backchannelLogoutURI: String??
    public var grantTypes: Set<GrantType>?
    public var scopes: Set<String>?
    public var jwks: String?

    public init(name: String? = nil, unit: UnitPath? = nil, redirectURIs: [String]? = nil, postLogoutRedirectURIs: [String]? = nil,
                backchannelLogoutURI: String?? = nil, grantTypes: Set<GrantType>? = nil, scopes: Set<String>? = nil, jwks: String? = nil) {
        self.name = name; self.unit = unit; self.redirectURIs = redirectURIs; self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.backchannelLogoutURI = backchannelLogoutURI; self.grantTypes = grantTypes; self.scopes = scopes; self.jwks = jwks
    }

    public var isEmpty: Bool {
        name == nil && unit == nil && redirectURIs == nil && postLogoutRedirectURIs == nil && backchannelLogoutURI == nil
            && grantTypes == nil && scopes == nil && jwks == nil
    }
}

extension AdminAuditAction {
    public static let clientCreate = "client.create"
    public static let clientEdit = "client.edit"
    public static let clientSecretRotate = "client.secret.rotate"
    public static let clientDelete = "client.delete"
}

extension AdminService {
    /// Clients Gatehouse registers and keeps in line itself (the admin console): not changed here.
    static let reservedClientIDs: Set<String> = ["gatehouse-console"]

    /// Scopes that open Gatehouse's own APIs to the client's users' tokens: only an
    /// administrator of the whole tree (`clients.manage` at `/`) may give them.
    static func isPlatformScope(_ scope: String) -> Bool { scope.hasPrefix("gatehouse:") }

    // MARK: Reading

    /// Clients owned within the actor's reach for `clients.manage`, by id.
    public func clients(by actor: AdminActor) async throws -> [ManagedClient] {
        let reach = try clientReach(of: actor)
        return try await read { tx in
            var paths: [UUID: UnitPath] = [:]
            return try tx.clients().compactMap { client -> ManagedClient? in
                let managed = try Self.managed(client, tx: tx, paths: &paths)
                return reach.contains { $0.contains(managed.unit) } ? managed : nil
            }
        }
    }

    /// One client the actor manages; outside its reach, "not found".
    public func client(id: String, by actor: AdminActor) async throws -> ManagedClient {
        let reach = try clientReach(of: actor)
        return try await read { tx in try Self.visibleClient(id, reach: reach, tx: tx) }
    }

    // MARK: Changing

    /// Registers a client owned by `draft.unit`. A confidential client authenticating with a
    /// secret gets a generated one (256 bits), returned once.
    public func createClient(_ draft: ClientDraft, by actor: AdminActor) async throws -> RegisteredClient {
        do { try Client.validateID(draft.id) } catch { throw AdminError.invalid(error.description) }
        guard !Self.reservedClientIDs.contains(draft.id) else {
            throw AdminError.conflict("client '\(draft.id)' is registered by Gatehouse itself")
        }
        try authorizer.require(.clientsManage, at: draft.unit, actor: actor)
        let authMethod = try Self.authMethod(draft)
        var client = Client(
            id: draft.id, name: try draft.name.map(Self.clientName), jwks: draft.jwks, isPublic: draft.isPublic, authMethod: authMethod,
            redirectURIs: draft.redirectURIs, postLogoutRedirectURIs: draft.postLogoutRedirectURIs,
            backchannelLogoutURI: draft.backchannelLogoutURI, grantTypes: draft.grantTypes ?? [.authorizationCode, .refreshToken],
            scopes: draft.scopes ?? ["openid", "profile", "email"], createdAt: now)
        try validate(client, owner: draft.unit, actor: actor)
        var secret: String?
        if Self.usesSecret(client) {
            secret = ClientSecrets.generate()
            client.secretHash = ClientSecrets.hash(secret: secret!, pepper: engine.configuration.clientSecretPepper)
        }
        let now = self.now, unitPath = draft.unit
        let registered = client
        let stored = try await write { tx in
            var client = registered
            client.unitID = try Self.owningUnitID(unitPath, tx: tx)
            try tx.insertClient(client)
            try tx.appendAudit(actor.record(AdminAuditAction.clientCreate, target: client.id, unit: unitPath,
                                            detail: Self.auditDetail(client), at: now))
            return ManagedClient(client: client, unit: unitPath)
        }
        return RegisteredClient(client: stored, secret: secret)
    }

    /// Changes a client the actor manages. Narrowing redirect URIs, grant types or scopes
    /// takes effect at the next request; tokens already issued keep their lifetime.
    public func updateClient(id: String, _ patch: ClientPatch, by actor: AdminActor) async throws -> ManagedClient {
        guard !patch.isEmpty else { throw AdminError.invalid("nothing to change") }
        let reach = try clientReach(of: actor)
        let name = try patch.name.map(Self.clientName)
        if let unit = patch.unit { try authorizer.require(.clientsManage, at: unit, actor: actor) }
        let now = self.now
        let authorizer = self.authorizer
        return try await write { tx in
            let current = try Self.changeableClient(id, reach: reach, tx: tx)
            try authorizer.require(.clientsManage, at: current.unit, actor: actor)
            var client = current.client
            if let name { client.name = name }
            if let uris = patch.redirectURIs { client.redirectURIs = uris }
            if let uris = patch.postLogoutRedirectURIs { client.postLogoutRedirectURIs = uris }
            if let uri = patch.backchannelLogoutURI { client.backchannelLogoutURI = uri }
            if let grants = patch.grantTypes { client.grantTypes = grants }
            if let scopes = patch.scopes { client.scopes = scopes }
            if let jwks = patch.jwks { client.jwks = jwks }
            let owner = patch.unit ?? current.unit
            try self.validate(client, owner: owner, actor: actor)
            if patch.unit != nil { client.unitID = try Self.owningUnitID(owner, tx: tx) }
            let updated = try tx.updateClient(client)
            var detail = Self.auditDetail(updated)
            if owner != current.unit { detail["from_unit"] = current.unit.description }
            try tx.appendAudit(actor.record(AdminAuditAction.clientEdit, target: id, unit: owner, detail: detail, at: now))
            return ManagedClient(client: updated, unit: owner)
        }
    }

    /// Replaces a confidential client's secret: the old one stops working at once, the new
    /// one is returned once.
    public func rotateClientSecret(id: String, by actor: AdminActor) async throws -> RegisteredClient {
        let reach = try clientReach(of: actor)
        let secret = ClientSecrets.generate()
        let hash = ClientSecrets.hash(secret: secret, pepper: engine.configuration.clientSecretPepper)
        let now = self.now
        let managed = try await write { tx in
            let current = try Self.changeableClient(id, reach: reach, tx: tx)
            guard Self.usesSecret(current.client) else {
                throw AdminError.invalid("client '\(id)' authenticates with \(current.client.authMethod.rawValue); it has no secret to replace")
            }
            var client = current.client
            client.secretHash = hash
            let updated = try tx.updateClient(client)
            try tx.appendAudit(actor.record(AdminAuditAction.clientSecretRotate, target: id, unit: current.unit, at: now))
            return ManagedClient(client: updated, unit: current.unit)
        }
        return RegisteredClient(client: managed, secret: secret)
    }

    /// Deletes a client the actor manages. Its authorization codes, refresh tokens and
    /// consents go with it; its access tokens expire on their own (they are short-lived).
    public func deleteClient(id: String, by actor: AdminActor) async throws {
        let reach = try clientReach(of: actor)
        let now = self.now
        try await write { tx in
            let current = try Self.changeableClient(id, reach: reach, tx: tx)
            try tx.deleteClient(id: id)
            try tx.appendAudit(actor.record(AdminAuditAction.clientDelete, target: id, unit: current.unit,
                                            detail: ["name": current.client.name], at: now))
        }
    }

    // MARK: Rules

    /// Where the actor holds `clients.manage`; none at all is "forbidden".
    func clientReach(of actor: AdminActor) throws(AdminError) -> [UnitPath] {
        let reach = authorizer.reach(of: actor, for: [.clientsManage])
        guard !reach.isEmpty else { throw .forbidden("\(actor.username) may not manage clients anywhere") }
        return reach
    }

    /// The client with its owner's path, or "not found" when the actor cannot see it.
    static func visibleClient(_ id: String, reach: [UnitPath], tx: any StoreReader) throws -> ManagedClient {
        let notFound = AdminError.notFound("client '\(id)' not found")
        let client: Client
        do { client = try tx.client(id: id) } catch StoreError.notFound { throw notFound }
        var paths: [UUID: UnitPath] = [:]
        let managed = try managed(client, tx: tx, paths: &paths)
        guard reach.contains(where: { $0.contains(managed.unit) }) else { throw notFound }
        return managed
    }

    /// A visible client that may be changed here: not one of Gatehouse's own, nor one
    /// declared in Policies/clients.yaml (which would put it back at the next start).
    static func changeableClient(_ id: String, reach: [UnitPath], tx: any StoreReader) throws -> ManagedClient {
        let managed = try visibleClient(id, reach: reach, tx: tx)
        if reservedClientIDs.contains(id) { throw AdminError.conflict("client '\(id)' is registered by Gatehouse itself") }
        if managed.client.fromPolicy {
            throw AdminError.conflict("client '\(id)' is declared in Policies/clients.yaml; change it there")
        }
        return managed
    }

    static func managed(_ client: Client, tx: any StoreReader, paths: inout [UUID: UnitPath]) throws -> ManagedClient {
        guard let unitID = client.unitID else { return ManagedClient(client: client, unit: .root) }
        if let path = paths[unitID] { return ManagedClient(client: client, unit: path) }
        let path = try tx.unit(id: unitID).path
        paths[unitID] = path
        return ManagedClient(client: client, unit: path)
    }

    /// The id stored for an owning unit: `nil` for the root (a platform-wide client).
    static func owningUnitID(_ path: UnitPath, tx: any StoreReader) throws -> UUID? {
        if path.isRoot { return nil }
        do { return try tx.unit(path: path).id } catch StoreError.notFound { throw AdminError.notFound("unit \(path) not found") }
    }

    static func authMethod(_ draft: ClientDraft) throws(AdminError) -> ClientAuthMethod {
        if draft.isPublic {
            guard draft.authMethod == nil || draft.authMethod == ClientAuthMethod.none else {
                throw .invalid("a public client has no secret or keys: token_endpoint_auth_method must be none")
            }
            return .none
        }
        let method = draft.authMethod ?? (draft.jwks != nil ? .privateKeyJWT : .clientSecretBasic)
        guard method != .none else { throw .invalid("a confidential client cannot use token_endpoint_auth_method none; register it as public") }
        return method
    }

    static func usesSecret(_ client: Client) -> Bool {
        !client.isPublic && (client.authMethod == .clientSecretBasic || client.authMethod == .clientSecretPost)
    }

    /// The rules `gatehouse clients add` and clients.yaml apply, and the platform-scope rule.
    func validate(_ client: Client, owner: UnitPath, actor: AdminActor) throws(AdminError) {
        for uri in client.redirectURIs + client.postLogoutRedirectURIs + [client.backchannelLogoutURI].compactMap({ $0 }) {
            if let problem = RedirectURI.problem(with: uri) { throw .invalid("'\(uri)' \(problem)") }
        }
        if client.grantTypes.isEmpty { throw .invalid("grant_types must name at least one of authorization_code, refresh_token, client_credentials") }
        if client.grantTypes.contains(.authorizationCode) && client.redirectURIs.isEmpty {
            throw .invalid("authorization_code needs at least one redirect URI")
        }
        if client.grantTypes == [.refreshToken] { throw .invalid("refresh_token alone cannot obtain a first token; add authorization_code") }
        if client.isPublic && client.grantTypes.contains(.clientCredentials) { throw .invalid("a public client cannot use client_credentials") }
        if client.scopes.isEmpty { throw .invalid("scopes must not be empty") }
        if let bad = client.scopes.first(where: { !Self.isScopeToken($0) }) {
            throw .invalid("scope '\(bad)' is not a scope token (RFC 6749 §3.3: printable ASCII, no spaces, quotes or backslashes)")
        }
        if let platform = client.scopes.sorted().first(where: Self.isPlatformScope), !actor.isCommandLine {
            let decision = authorizer.decide(.clientsManage, at: .root, grants: actor.grants)
            guard decision.isAllowed else {
                throw .forbidden("scope '\(platform)' opens Gatehouse's own APIs; only an administrator of the whole tree may give it")
            }
        }
        if client.authMethod == .privateKeyJWT {
            guard let jwks = client.jwks else { throw .invalid("private_key_jwt needs the client's public keys (jwks)") }
            let set: JWKSet
            do { set = try JWKSet(json: Data(jwks.utf8)) } catch { throw .invalid("jwks is not a JWK Set: \(error)") }
            if set.keys.isEmpty { throw .invalid("jwks holds no key") }
            if set.keys.contains(where: { !$0.privateMemberNames.isEmpty }) { throw .invalid("jwks holds a private key; send only the public keys") }
            do { _ = try VerificationKeySet(set) } catch { throw .invalid("jwks: \(error)") }
        } else if client.jwks != nil {
            throw .invalid("jwks is only for private_key_jwt clients")
        }
    }

    /// RFC 6749 §3.3 `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`, at most 128 characters.
    static func isScopeToken(_ scope: String) -> Bool {
        (1...128).contains(scope.utf8.count)
            && scope.utf8.allSatisfy { $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) }
    }

    static func clientName(_ raw: String) throws(AdminError) -> String {
        do { return try Text.displayName(raw) } catch { throw .invalid(error.description) }
    }

    static func auditDetail(_ client: Client) -> [String: String] {
        ["name": client.name, "public": "\(client.isPublic)", "auth_method": client.authMethod.rawValue,
         "grant_types": client.grantTypes.map(\.rawValue).sorted().joined(separator: " "),
         "scopes": client.scopes.sorted().joined(separator: " "), "redirect_uris": client.redirectURIs.joined(separator: " ")]
    }
}

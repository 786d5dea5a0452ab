import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehouseOAuth
import GatehouseStore
import Hummingbird
import HTTPTypes

/// The admin REST API under `/admin`: JSON in and out, described by `/admin/openapi.json`.
///
/// Every call but the document carries an access token Gatehouse issued to a user
/// (`Authorization: Bearer`, RFC 6750) with the scope `gatehouse:admin`; the user's grants,
/// read afresh on each call, decide what it may do (``AdminService``). Errors are JSON
/// `{"error": CODE, "error_description": TEXT}` with 400, 401, 403, 404, 409, 412, 413 or 503.
struct AdminRoutes {
    let services: AdminServices

    /// The scope an access token needs for the admin API and SCIM.
    static let scope = "gatehouse:admin"
    /// Largest JSON body accepted.
    static let maximumBody = 64 * 1024

    func register(on router: Router<GatehouseRequestContext>) {
        let admin = router.group("admin")
        admin.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
                     body: .init(byteBuffer: ByteBuffer(string: AdminOpenAPI.document)))
        }
        admin.get("me") { request, context in
            try await respond(request, context) { actor in
                let reach = services.admin.authorizer.reach(of: actor, for: Set(Permission.administrative))
                return .json(MeDocument(id: actor.accountID?.uuidString.lowercased(), username: actor.username,
                                        grants: actor.grants.map(\.description), reach: reach.map(\.description)))
            }
        }
        admin.get("roles") { request, context in
            try await respond(request, context) { _ in
                .json(RolesDocument(roles: services.admin.authorizer.roles.values.sorted { $0.name < $1.name }.map(RoleDocument.init)))
            }
        }
        registerAccounts(admin)
        registerUnits(admin)
        registerClients(admin)
        admin.get("audit") { request, context in
            try await respond(request, context) { actor in
                let q = request.uri.queryParameters
                let unit = try q["unit"].map { try Self.path(String($0)) }
                let after = Int64(q["after"].map(String.init) ?? "0") ?? 0
                let limit = Int(q["limit"].map(String.init) ?? "100") ?? 100
                let events = try await services.admin.auditEvents(in: unit, after: after, limit: limit, by: actor)
                return .json(AuditPageDocument(events: events.map(AuditEventDocument.init), next_after: events.last?.sequence ?? after))
            }
        }
    }

    private func registerAccounts(_ admin: RouterGroup<GatehouseRequestContext>) {
        admin.get("accounts") { request, context in
            try await respond(request, context) { actor in
                let q = request.uri.queryParameters
                var search = AccountSearch(text: q["q"].map(String.init), unit: try q["unit"].map { try Self.path(String($0)) })
                if let status = q["status"] {
                    guard let parsed = AccountStatus(rawValue: String(status)) else {
                        throw AdminError.invalid("status must be active, disabled or locked")
                    }
                    search.status = parsed
                }
                search.page = GatehouseStore.Page(limit: min(Int(q["limit"].map(String.init) ?? "50") ?? 50, 500), offset: Int(q["offset"].map(String.init) ?? "0") ?? 0)
                let page = try await services.admin.searchAccounts(search, by: actor)
                return .json(AccountListDocument(total: page.total, accounts: page.accounts.map(AccountDocument.init)))
            }
        }
        admin.post("accounts") { request, context in
            try await respond(request, context) { actor in
                let body = try await Self.decode(AccountCreateBody.self, request)
                let draft = AccountDraft(username: body.username, displayName: body.display_name, email: body.email,
                                         unit: try Self.path(body.unit), password: body.password, active: body.active ?? true)
                let created = try await services.admin.createAccount(draft, by: actor)
                return .json(CreatedAccountDocument(account: AccountDocument(created.account), temporary_password: created.temporaryPassword),
                             status: .created, headers: [.eTag: AccountDocument.etag(created.account.account.version),
                                                         .location: "/admin/accounts/\(created.account.account.id.uuidString.lowercased())"])
            }
        }
        admin.get("accounts/:id") { request, context in
            try await respond(request, context) { actor in
                let account = try await services.admin.account(id: try Self.id(context), by: actor)
                return .json(AccountDocument(account), headers: [.eTag: AccountDocument.etag(account.account.version)])
            }
        }
        admin.patch("accounts/:id") { request, context in
            try await respond(request, context) { actor in
                let body = try await Self.decode(AccountPatchBody.self, request)
                let patch = AccountPatch(displayName: body.display_name, email: body.email, unit: try body.unit.map(Self.path), active: body.active)
                guard !patch.isEmpty else { throw AdminError.invalid("nothing to change: give display_name, email, unit or active") }
                let account = try await services.admin.updateAccount(id: try Self.id(context), patch, ifVersion: try Self.ifMatch(request), by: actor)
                return .json(AccountDocument(account), headers: [.eTag: AccountDocument.etag(account.account.version)])
            }
        }
        admin.delete("accounts/:id") { request, context in
            try await respond(request, context) { actor in
                try await services.admin.deleteAccount(id: try Self.id(context), ifVersion: try Self.ifMatch(request), by: actor)
                return .empty
            }
        }
        admin.post("accounts/:id/password-reset") { request, context in
            try await respond(request, context) { actor in
                let (account, temporary) = try await services.admin.resetPassword(id: try Self.id(context), by: actor)
                return .json(CreatedAccountDocument(account: AccountDocument(account), temporary_password: temporary))
            }
        }
        admin.post("accounts/:id/second-factor-reset") { request, context in
            try await respond(request, context) { actor in
                .json(AccountDocument(try await services.admin.resetSecondFactor(id: try Self.id(context), by: actor)))
            }
        }
        admin.post("accounts/:id/grants") { request, context in
            try await respond(request, context) { actor in
                let body = try await Self.decode(GrantBody.self, request)
                let grant = try await services.admin.grantRole(body.role, at: try Self.path(body.unit), to: try Self.id(context), by: actor)
                return .json(GrantDocument(grant), status: .created)
            }
        }
        admin.delete("grants/:id") { request, context in
            try await respond(request, context) { actor in
                try await services.admin.revokeGrant(id: try Self.id(context), by: actor)
                return .empty
            }
        }
    }

    private func registerUnits(_ admin: RouterGroup<GatehouseRequestContext>) {
        admin.get("units") { request, context in
            try await respond(request, context) { actor in
                let q = request.uri.queryParameters
                let under = try Self.path(q["under"].map(String.init) ?? "/")
                let page = GatehouseStore.Page(limit: min(Int(q["limit"].map(String.init) ?? "500") ?? 500, 5_000), offset: Int(q["offset"].map(String.init) ?? "0") ?? 0)
                let units = try await services.admin.units(in: under, page: page, by: actor)
                return .json(UnitListDocument(units: units.map(UnitDocument.init)))
            }
        }
        admin.post("units") { request, context in
            try await respond(request, context) { actor in
                let body = try await Self.decode(UnitCreateBody.self, request)
                let unit = try await services.admin.createUnit(try Self.path(body.path), name: body.name, code: body.code, by: actor)
                return .json(UnitDocument(unit), status: .created)
            }
        }
        admin.get("units/**") { request, context in
            try await respond(request, context) { actor in
                .json(UnitDocument(try await services.admin.unit(try Self.catchAllPath(context), by: actor)))
            }
        }
        admin.patch("units/**") { request, context in
            try await respond(request, context) { actor in
                let body = try await Self.decode(UnitPatchBody.self, request)
                let code: String?? = body.code.map { .some($0) }
                let unit = try await services.admin.updateUnit(try Self.catchAllPath(context), name: body.name, code: code, by: actor)
                return .json(UnitDocument(unit))
            }
        }
        admin.post("unit-moves") { request, context in
            try await respond(request, context) { actor in
                let body = try await Self.decode(UnitMoveBody.self, request)
                let outcome = try await services.admin.moveUnit(try Self.path(body.path), under: try Self.path(body.parent), slug: body.slug,
                                                                dryRun: body.dry_run ?? false, by: actor)
                return .json(ReorganisationDocument(outcome))
            }
        }
        admin.post("unit-merges") { request, context in
            try await respond(request, context) { actor in
                let body = try await Self.decode(UnitMergeBody.self, request)
                let outcome = try await services.admin.mergeUnit(try Self.path(body.path), into: try Self.path(body.into),
                                                                 dryRun: body.dry_run ?? false, by: actor)
                return .json(ReorganisationDocument(outcome))
            }
        }
    }

    private func registerClients(_ admin: RouterGroup<GatehouseRequestContext>) {
        admin.get("clients") { request, context in
            try await respond(request, context) { actor in
                .json(ClientListDocument(clients: try await services.admin.clients(by: actor).map(ClientDocument.init)))
            }
        }
        admin.post("clients") { request, context in
            try await respond(request, context) { actor in
                let (body, jwks) = try await Self.decodeWithJWKS(ClientCreateBody.self, request)
                let method = try body.token_endpoint_auth_method.map(Self.authMethod)
                let draft = ClientDraft(
                    id: body.client_id, name: body.client_name, unit: try Self.path(body.unit), isPublic: method == ClientAuthMethod.none,
                    authMethod: method, redirectURIs: body.redirect_uris ?? [], postLogoutRedirectURIs: body.post_logout_redirect_uris ?? [],
                    backchannelLogoutURI: body.backchannel_logout_uri, grantTypes: try body.grant_types.map(Self.grantTypes),
                    scopes: try body.scope.map(Self.scopes), jwks: jwks)
                let registered = try await services.admin.createClient(draft, by: actor)
                return .json(RegisteredClientDocument(registered), status: .created,
                             headers: [.location: "/admin/clients/\(Self.escapedSegment(registered.client.client.id))"])
            }
        }
        admin.get("clients/:id") { request, context in
            try await respond(request, context) { actor in
                .json(ClientDocument(try await services.admin.client(id: try Self.clientID(context), by: actor)))
            }
        }
        admin.patch("clients/:id") { request, context in
            try await respond(request, context) { actor in
                let (body, jwks) = try await Self.decodeWithJWKS(ClientPatchBody.self, request)
                let patch = ClientPatch(
                    name: body.client_name, unit: try body.unit.map(Self.path), redirectURIs: body.redirect_uris,
                    postLogoutRedirectURIs: body.post_logout_redirect_uris, backchannelLogoutURI: body.backchannel_logout_uri,
                    grantTypes: try body.grant_types.map(Self.grantTypes), scopes: try body.scope.map(Self.scopes), jwks: jwks)
                guard !patch.isEmpty else {
                    throw AdminError.invalid("nothing to change: give client_name, unit, redirect_uris, post_logout_redirect_uris, backchannel_logout_uri, grant_types, scope or jwks")
                }
                return .json(ClientDocument(try await services.admin.updateClient(id: try Self.clientID(context), patch, by: actor)))
            }
        }
        admin.delete("clients/:id") { request, context in
            try await respond(request, context) { actor in
                try await services.admin.deleteClient(id: try Self.clientID(context), by: actor)
                return .empty
            }
        }
        admin.post("clients/:id/secret") { request, context in
            try await respond(request, context) { actor in
                .json(RegisteredClientDocument(try await services.admin.rotateClientSecret(id: try Self.clientID(context), by: actor)))
            }
        }
    }

    static func clientID(_ context: GatehouseRequestContext) throws -> String {
        guard let raw = context.parameters.get("id"), let id = raw.removingPercentEncoding, (try? Client.validateID(id)) != nil else {
            throw AdminError.notFound("no such client: client ids are 1-128 letters, digits, '.', '_', '-' or ':'")
        }
        return id
    }

    static func escapedSegment(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? s
    }

    static func authMethod(_ raw: String) throws -> ClientAuthMethod {
        guard let method = ClientAuthMethod(rawValue: raw) else {
            throw AdminError.invalid("token_endpoint_auth_method '\(raw)' is not supported; use none, client_secret_basic, client_secret_post or private_key_jwt")
        }
        return method
    }

    static func grantTypes(_ raw: [String]) throws -> Set<GrantType> {
        try Set(raw.map { name in
            guard let grant = GrantType(rawValue: name) else {
                throw AdminError.invalid("grant type '\(name)' is not supported; use authorization_code, refresh_token or client_credentials")
            }
            return grant
        })
    }

    /// A space-separated `scope` (RFC 6749 §3.3, as in RFC 7591 client metadata).
    static func scopes(_ raw: String) throws -> Set<String> {
        Set(raw.split(separator: " ", omittingEmptySubsequences: true).map(String.init))
    }

    /// Decodes a body that may carry a `jwks` object, kept as the JSON text it was sent as.
    static func decodeWithJWKS<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> (T, String?) {
        let buffer = try await collect(request)
        let value: T = try decode(T.self, from: buffer)
        let object = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any]
        guard let jwks = object?["jwks"], !(jwks is NSNull) else { return (value, nil) }
        guard JSONSerialization.isValidJSONObject(jwks), jwks is [String: Any],
              let data = try? JSONSerialization.data(withJSONObject: jwks, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            throw BodyError(message: "jwks must be a JWK Set object: {\"keys\": [...]}")
        }
        return (value, String(decoding: data, as: UTF8.self))
    }

    // MARK: Plumbing

    /// Authenticates the request, runs `body` as the actor, and turns refusals into JSON errors.
    private func respond(_ request: Request, _ context: GatehouseRequestContext,
                         _ body: (AdminActor) async throws -> AdminReply) async throws -> Response {
        let actor: AdminActor
        do {
            let identity = try await services.oidc.engine.authenticateUser(authorization: request.headers[.authorization], scope: Self.scope)
            actor = try await services.admin.actor(accountID: identity.accountID, clientID: identity.clientID, sourceIP: context.clientIP)
        } catch let error as OAuthError {
            return Response(error.httpResponse(realm: services.oidc.issuer))
        } catch {
            return Self.failure(error)
        }
        do {
            return try await body(actor).response()
        } catch {
            return Self.failure(error)
        }
    }

    static func failure(_ error: any Error) -> Response {
        let (status, code, text): (HTTPResponse.Status, String, String)
        switch error {
        case let e as AdminError:
            switch e {
            case .forbidden(let m): (status, code, text) = (.forbidden, "forbidden", m)
            case .notFound(let m): (status, code, text) = (.notFound, "not_found", m)
            case .invalid(let m): (status, code, text) = (.badRequest, "invalid_request", m)
            case .conflict(let m): (status, code, text) = (.conflict, "conflict", m)
            case .preconditionFailed(let m): (status, code, text) = (.preconditionFailed, "precondition_failed", m)
            case .unavailable(let m): (status, code, text) = (.serviceUnavailable, "temporarily_unavailable", m)
            }
        case let e as BodyError:
            (status, code, text) = e.tooLarge ? (.contentTooLarge, "invalid_request", e.message) : (.badRequest, "invalid_request", e.message)
        case let e as DomainError:
            (status, code, text) = (.badRequest, "invalid_request", e.description)
        case let e as StoreError:
            (status, code, text) = (.serviceUnavailable, "temporarily_unavailable", e.description)
        default:
            (status, code, text) = (.internalServerError, "server_error", "the request could not be completed")
        }
        return AdminReply.json(ErrorDocument(error: code, error_description: text), status: status).response()
    }

    struct BodyError: Error {
        var message: String
        var tooLarge = false
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        try decode(T.self, from: try await collect(request))
    }

    static func collect(_ request: Request) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maximumBody {
            throw BodyError(message: "the body is larger than \(maximumBody) bytes", tooLarge: true)
        }
        do { return try await request.body.collect(upTo: maximumBody) } catch {
            throw BodyError(message: "the body is larger than \(maximumBody) bytes", tooLarge: true)
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let DecodingError.keyNotFound(key, _) {
            throw BodyError(message: "the JSON body lacks \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context) {
            throw BodyError(message: "in the JSON body, \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type")
        } catch {
            throw BodyError(message: "the body is not the JSON object this call takes")
        }
    }

    static func path(_ raw: String) throws -> UnitPath {
        do { return try UnitPath(raw) } catch { throw AdminError.invalid(error.description) }
    }

    static func id(_ context: GatehouseRequestContext) throws -> UUID {
        guard let raw = context.parameters.get("id"), let id = UUID(uuidString: raw) else {
            throw AdminError.notFound("no such id: ids are UUIDs")
        }
        return id
    }

    static func catchAllPath(_ context: GatehouseRequestContext) throws -> UnitPath {
        try path("/" + context.parameters.getCatchAll().joined(separator: "/"))
    }

    /// The version an `If-Match` header names (`W/"7"` or `"7"`), if any.
    static func ifMatch(_ request: Request) throws -> Int? {
        guard let raw = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if raw == "*" { return nil }
        let tag = raw.hasPrefix("W/") ? String(raw.dropFirst(2)) : raw
        guard tag.hasPrefix("\""), tag.hasSuffix("\""), tag.count >= 3, let version = Int(tag.dropFirst().dropLast()) else {
            throw AdminError.preconditionFailed("If-Match \(raw) is not an entity tag of this API")
        }
        return version
    }
}

/// What an admin handler answers.
enum AdminReply {
    case json(any Encodable & Sendable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:])
    case empty

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    func response() -> Response {
        switch self {
        case .empty:
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        case .json(let value, let status, var headers):
            let data = (try? Self.encoder.encode(value)) ?? Data("{}".utf8)
            headers[.contentType] = "application/json"
            headers[.cacheControl] = "no-store"
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}

struct ErrorDocument: Codable, Sendable { var error: String; var error_description: String }
struct MeDocument: Codable, Sendable { var id: String?; var username: String; var grants: [String]; var reach: [String] }
struct RolesDocument: Codable, Sendable { var roles: [RoleDocument] }
struct AccountListDocument: Codable, Sendable { var total: Int; var accounts: [AccountDocument] }
struct CreatedAccountDocument: Codable, Sendable { var account: AccountDocument; var temporary_password: String? }
struct UnitListDocument: Codable, Sendable { var units: [UnitDocument] }
struct ClientListDocument: Codable, Sendable { var clients: [ClientDocument] }
struct AuditPageDocument: Codable, Sendable { var events: [AuditEventDocument]; var next_after: Int64 }
struct ReorganisationDocument: Codable, Sendable {
    var action: String, from: String, to: String, units: Int, accounts: Int, grants: Int, grants_dropped: Int, clients: Int, dry_run: Bool
    init(_ o: UnitReorganisation) {
        action = o.action; from = o.from.description; to = o.to.description; units = o.unitsRepathed; accounts = o.accounts
        grants = o.grants; grants_dropped = o.grantsDropped; clients = o.clients; dry_run = o.dryRun
    }
}

/// What the admin API and the console need: the service and the OpenID Connect side it
/// authenticates through.
struct AdminServices: Sendable {
    let admin: AdminService
    let oidc: OIDCServices

    init(oidc: OIDCServices) {
        self.oidc = oidc
        let policy = oidc.passwordPolicy, common = oidc.commonPasswords
        let notifier = oidc.logoutNotifier
        self.admin = AdminService(
            engine: oidc.engine, roles: Array(oidc.engine.configuration.roles.values), passwords: oidc.passwords,
            passwordProblems: { password, username, displayName in
                policy.problems(with: password, username: username, displayName: displayName, commonPasswords: common).map(\.description)
            },
            notify: { await notifier.notify($0) })
    }
}

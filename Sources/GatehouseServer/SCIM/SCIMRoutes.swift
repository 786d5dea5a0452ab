import Foundation
import GatehouseAdmin
import GatehouseOAuth
import GatehouseSCIM
import Hummingbird
import HTTPTypes

/// The SCIM 2.0 service provider (RFC 7643, RFC 7644) under `/scim/v2`: Gatehouse accounts
/// as Users, the role catalogue as read-only Groups, Bulk, and the discovery documents.
///
/// Every call but discovery carries an access token Gatehouse issued to a user, with the
/// scope `gatehouse:admin` (RFC 6750, as for the admin API): the user's role grants, read
/// afresh on each call, decide which accounts exist for the caller and what may change
/// (``AdminService``). Bodies and errors are `application/scim+json`; errors are the SCIM
/// Error message (RFC 7644 §3.12) with the HTTP status as a string and a `scimType` where one
/// applies. Entity tags are `W/"<account version>"`: `If-Match` on PUT, PATCH and DELETE
/// (412 when stale), `If-None-Match` on GET (304 when current).
///
/// Discovery (`/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`) needs no token: it
/// describes the protocol, not the data.
struct SCIMRoutes {
    let services: AdminServices

    /// Largest body of a single-resource request; Bulk takes up to ``SCIMBulk/maxPayloadSize``.
    static let maximumBody = 64 * 1024

    /// The absolute URL of `/scim/v2`, from the issuer.
    var base: String {
        var issuer = services.oidc.issuer
        while issuer.hasSuffix("/") { issuer.removeLast() }
        return issuer + "/scim/v2"
    }

    var users: SCIMUsers { SCIMUsers(admin: services.admin, base: base) }
    var groups: SCIMGroups { SCIMGroups(roles: Array(services.admin.authorizer.roles.values), base: base) }
    var discovery: SCIMDiscovery { SCIMDiscovery(base: base) }

    func register(on router: Router<GatehouseRequestContext>) {
        let scim = router.group("scim/v2")
        registerDiscovery(scim)
        registerUsers(scim)
        registerGroups(scim)
        scim.post("Bulk") { request, context in
            await respond(request, context) { actor in
                let body = try await Self.body(request, limit: SCIMBulk.maxPayloadSize)
                return .document(try await SCIMBulk(users: users).run(body, by: actor))
            }
        }
        // Anything else under /scim/v2 is a SCIM 404, not the server's plain one.
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            scim.on("**", method: method) { request, _ in
                SCIMError.notFound("no SCIM endpoint at \(request.uri.path)").response()
            }
        }
    }

    private func registerDiscovery(_ scim: RouterGroup<GatehouseRequestContext>) {
        // Discovery is read-only: other methods are 405 (RFC 7644 §4).
        for path in ["ServiceProviderConfig", "ResourceTypes", "ResourceTypes/:id", "Schemas", "Schemas/:id"] {
            for method in [HTTPRequest.Method.post, .put, .patch, .delete] {
                scim.on(RouterPath(path), method: method) { _, _ in
                    var response = SCIMError(status: 405, scimType: nil, detail: "\(path) is read-only; use GET").response()
                    response.headers[.allow] = "GET"
                    return response
                }
            }
        }
        scim.get("ServiceProviderConfig") { request, _ in
            Self.unauthenticated(request) { .document(discovery.serviceProviderConfig) }
        }
        scim.get("ResourceTypes") { request, _ in
            Self.unauthenticated(request) { try Self.catalogue(discovery.resourceTypes, request) }
        }
        scim.get("ResourceTypes/:id") { request, context in
            Self.unauthenticated(request) { try Self.entry(discovery.resourceTypes, context, kind: "resource type") }
        }
        scim.get("Schemas") { request, _ in
            Self.unauthenticated(request) { try Self.catalogue(discovery.schemas, request) }
        }
        scim.get("Schemas/:id") { request, context in
            Self.unauthenticated(request) { try Self.entry(discovery.schemas, context, kind: "schema") }
        }
    }

    /// The discovery document of `catalogue` whose `id` the path names; 404 otherwise.
    private static func entry(_ catalogue: [SCIMValue], _ context: GatehouseRequestContext, kind: String) throws -> SCIMReply {
        let id = context.parameters.get("id") ?? ""
        guard let document = catalogue.first(where: { $0.member("id") == .string(id) }) else {
            throw SCIMError.notFound("no \(kind) \"\(id)\"")
        }
        return .document(document)
    }

    private func registerUsers(_ scim: RouterGroup<GatehouseRequestContext>) {
        scim.get("Users") { request, context in
            await respond(request, context) { actor in
                let q = Self.query(request)
                let query = try SCIMUserQuery(filter: q["filter"], sortBy: q["sortBy"], sortOrder: q["sortOrder"],
                                              startIndex: q["startIndex"], count: q["count"])
                return try await listUsers(query, projection: try Self.projection(q), actor)
            }
        }
        scim.post("Users/.search") { request, context in
            await respond(request, context) { actor in
                let (query, projection) = try await Self.searchRequest(request)
                return try await listUsers(query, projection: projection, actor)
            }
        }
        // A search at the root (RFC 7644 §3.4.3) covers every resource type: Users, then the
        // Groups of the role catalogue; each type is sorted on its own.
        scim.post(".search") { request, context in
            await respond(request, context) { actor in
                let (query, projection) = try await Self.searchRequest(request)
                let users = try await self.users.list(query, by: actor)
                let allGroups = try groups.list(SCIMUserQuery(filter: query.filter, sort: query.sort,
                                                              pagination: SCIMPagination(startIndex: 1, count: SCIMUserQuery.maxResults)))
                let groupOffset = max(0, query.pagination.offset - users.totalResults)
                let room = query.pagination.count - users.resources.count
                let groupPage = Array(allGroups.resources.dropFirst(groupOffset).prefix(max(0, room)))
                let list = SCIMListResponse(totalResults: users.totalResults + allGroups.totalResults, startIndex: query.pagination.startIndex,
                                            resources: (users.resources + groupPage).map(projection.apply))
                return .document(list.json)
            }
        }
        scim.post("Users") { request, context in
            await respond(request, context) { actor in
                let body = try await Self.body(request, limit: Self.maximumBody)
                let account = try await users.create(body, by: actor)
                let id = account.account.id.uuidString.lowercased()
                return .document(try Self.projection(Self.query(request)).apply(users.render(account)), status: .created,
                                 etag: SCIMUserResource.etag(account.account.version), location: "\(base)/Users/\(id)")
            }
        }
        scim.get("Users/:id") { request, context in
            await respond(request, context) { actor in
                let account = try await users.get(context.parameters.get("id") ?? "", by: actor)
                let etag = SCIMUserResource.etag(account.account.version)
                if Self.noneMatch(request, etag) { return .notModified(etag: etag) }
                return .document(try Self.projection(Self.query(request)).apply(users.render(account)), etag: etag)
            }
        }
        scim.put("Users/:id") { request, context in
            await respond(request, context) { actor in
                let body = try await Self.body(request, limit: Self.maximumBody)
                let account = try await users.replace(context.parameters.get("id") ?? "", with: body,
                                                      ifVersion: try AdminRoutes.ifMatch(request), by: actor)
                return .document(try Self.projection(Self.query(request)).apply(users.render(account)),
                                 etag: SCIMUserResource.etag(account.account.version))
            }
        }
        scim.patch("Users/:id") { request, context in
            await respond(request, context) { actor in
                let patch = try SCIMPatchRequest(try await Self.body(request, limit: Self.maximumBody))
                let account = try await users.patch(context.parameters.get("id") ?? "", with: patch,
                                                    ifVersion: try AdminRoutes.ifMatch(request), by: actor)
                return .document(try Self.projection(Self.query(request)).apply(users.render(account)),
                                 etag: SCIMUserResource.etag(account.account.version))
            }
        }
        scim.delete("Users/:id") { request, context in
            await respond(request, context) { actor in
                try await users.delete(context.parameters.get("id") ?? "", ifVersion: try AdminRoutes.ifMatch(request), by: actor)
                return .noContent
            }
        }
    }

    private func registerGroups(_ scim: RouterGroup<GatehouseRequestContext>) {
        scim.get("Groups") { request, context in
            await respond(request, context) { _ in
                let q = Self.query(request)
                let query = try SCIMUserQuery(filter: q["filter"], sortBy: q["sortBy"], sortOrder: q["sortOrder"],
                                              startIndex: q["startIndex"], count: q["count"])
                let projection = try Self.projection(q)
                var list = try groups.list(query)
                list.resources = list.resources.map(projection.apply)
                return .document(list.json)
            }
        }
        scim.get("Groups/:id") { request, context in
            await respond(request, context) { _ in .document(try groups.get(context.parameters.get("id") ?? "")) }
        }
        for method in [HTTPRequest.Method.post, .put, .patch, .delete] {
            let path = method == .post ? "Groups" : "Groups/:id"
            scim.on(RouterPath(path), method: method) { request, context in
                await respond(request, context) { _ in throw SCIMGroups.readOnly }
            }
        }
    }

    /// The body of a POST `.search` (RFC 7644 §3.4.3): the query parameters as members.
    private static func searchRequest(_ request: Request) async throws -> (SCIMUserQuery, SCIMProjection) {
        let body = try await Self.body(request, limit: Self.maximumBody)
        guard case .array(let schemas)? = body.member("schemas"),
              schemas.contains(.string("urn:ietf:params:scim:api:messages:2.0:SearchRequest")) else {
            throw SCIMError.invalidSyntax("schemas must list urn:ietf:params:scim:api:messages:2.0:SearchRequest")
        }
        func text(_ name: String) -> String? {
            switch body.member(name) {
            case .string(let s)?: s
            case .int(let i)?: String(i)
            case .array(let items)?: items.compactMap { if case .string(let s) = $0 { s } else { nil } }.joined(separator: ",")
            default: nil
            }
        }
        let query = try SCIMUserQuery(filter: text("filter"), sortBy: text("sortBy"), sortOrder: text("sortOrder"),
                                      startIndex: text("startIndex"), count: text("count"))
        return (query, try SCIMProjection(attributes: text("attributes"), excluded: text("excludedAttributes")))
    }

    private func listUsers(_ query: SCIMUserQuery, projection: SCIMProjection, _ actor: AdminActor) async throws -> SCIMReply {
        var list = try await users.list(query, by: actor)
        list.resources = list.resources.map(projection.apply)
        return .document(list.json)
    }

    // MARK: Plumbing

    /// Authenticates the request, runs `body` as the actor, and turns every failure into a
    /// SCIM error: 401/403 with the bearer challenge (RFC 6750 §3), then the actor's refusals.
    private func respond(_ request: Request, _ context: GatehouseRequestContext,
                         _ body: (AdminActor) async throws -> SCIMReply) async -> Response {
        let actor: AdminActor
        do {
            let identity = try await services.oidc.engine.authenticateUser(authorization: request.headers[.authorization], scope: AdminRoutes.scope)
            actor = try await services.admin.actor(accountID: identity.accountID, clientID: identity.clientID, sourceIP: context.clientIP)
        } catch let error as OAuthError {
            return error.scimResponse(realm: services.oidc.issuer)
        } catch {
            return SCIMError.from(error).response()
        }
        do {
            return try await body(actor).response()
        } catch {
            return SCIMError.from(error).response()
        }
    }

    private static func unauthenticated(_ request: Request, _ body: () throws -> SCIMReply) -> Response {
        do { return try body().response() } catch { return SCIMError.from(error).response() }
    }

    /// A discovery list (RFC 7644 §4): every entry; a filter is refused with 403, as §4 asks.
    private static func catalogue(_ entries: [SCIMValue], _ request: Request) throws -> SCIMReply {
        if query(request)["filter"] != nil {
            throw SCIMError(status: 403, scimType: nil, detail: "discovery endpoints do not take filters (RFC 7644 §4)")
        }
        return .document(SCIMListResponse(totalResults: entries.count, resources: entries).json)
    }

    /// The query parameters, decoded as forms are (`+` is a space), the last of a repeated name winning.
    static func query(_ request: Request) -> [String: String] {
        guard let raw = request.uri.query else { return [:] }
        var out: [String: String] = [:]
        for pair in raw.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            out[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return out
    }

    private static func projection(_ q: [String: String]) throws(SCIMError) -> SCIMProjection {
        try SCIMProjection(attributes: q["attributes"], excluded: q["excludedAttributes"])
    }

    /// True when `If-None-Match` names `etag` (weak comparison, RFC 9110 §13.1.2) or is `*`.
    private static func noneMatch(_ request: Request, _ etag: String) -> Bool {
        guard let header = request.headers[.ifNoneMatch] else { return false }
        func opaque(_ tag: Substring) -> Substring {
            let t = tag.trimmingCharacters(in: .whitespaces)[...]
            return t.hasPrefix("W/") ? t.dropFirst(2) : t
        }
        return header.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "*" || opaque($0) == opaque(etag[...]) }
    }

    /// The JSON body, at most `limit` bytes (413 beyond).
    static func body(_ request: Request, limit: Int) async throws -> SCIMValue {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw SCIMError.tooLarge("the body is larger than \(limit) bytes")
        }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch {
            throw SCIMError.tooLarge("the body is larger than \(limit) bytes")
        }
        return try SCIMValue(json: Data(buffer: buffer))
    }
}

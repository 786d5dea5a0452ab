import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehousePolicy
import GatehouseStore

struct Clients: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clients",
        abstract: "Register relying parties (party applications). Clients can also be declared in Policies/clients.yaml.",
        subcommands: [Add.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a client. A confidential client without --secret-stdin gets a generated secret, printed once."
        )
        @Argument(help: "Client id: letters, digits, '.', '_', '-', ':'.") var id: String
        @Option(help: "Display name.") var name: String?
        @Option(name: .customLong("redirect-uri"), help: "Exact redirect URI; repeat for several.") var redirectURIs: [String] = []
        @Option(name: .customLong("post-logout-redirect-uri"), help: "Exact post-logout redirect URI; repeat for several.") var postLogoutURIs: [String] = []
        @Option(name: .customLong("backchannel-logout-uri"), help: "OpenID Connect Back-Channel Logout endpoint.") var backchannelLogoutURI: String?
        @Flag(help: "A public client (no secret; PKCE only).") var `public` = false
        @Flag(help: "Read the client secret from one line of standard input.") var secretStdin = false
        @Option(name: .customLong("grant-type"), help: "authorization_code, refresh_token or client_credentials; repeat for several (default: the first two).",
                transform: { raw in
                    guard let grant = GrantType(rawValue: raw) else { throw ValidationError("--grant-type must be authorization_code, refresh_token or client_credentials") }
                    return grant
                }) var grantTypes: [GrantType] = []
        @Option(name: .customLong("scope"), help: "Allowed scope; repeat for several (default: openid profile email).") var scopes: [String] = []
        @Option(help: "Path of the owning unit, e.g. /ha-noi (default: none, a client of the whole platform).") var unit: String?
        @OptionGroup var data: DataOptions

        func run() async throws {
            try Client.validateID(id)
            let owner = try unit.map { try UnitPath($0) }
            let grants = Set(grantTypes.isEmpty ? [.authorizationCode, .refreshToken] : grantTypes)
            for uri in redirectURIs + postLogoutURIs + [backchannelLogoutURI].compactMap({ $0 }) {
                if let problem = RedirectURI.problem(with: uri) { throw CLIError("'\(uri)' \(problem)") }
            }
            if grants.contains(.authorizationCode) && redirectURIs.isEmpty {
                throw CLIError("authorization_code needs at least one --redirect-uri")
            }
            if self.public && grants.contains(.clientCredentials) { throw CLIError("a public client cannot use client_credentials") }
            if self.public && secretStdin { throw CLIError("a public client has no secret; drop --secret-stdin") }

            var secret: String?
            var printSecret = false
            if !self.public {
                if secretStdin {
                    guard var line = readLine(strippingNewline: true) else { throw CLIError("--secret-stdin: no line on standard input") }
                    if line.hasSuffix("\r") { line.removeLast() }
                    guard line.utf8.count >= 32 else { throw CLIError("--secret-stdin: a client secret must be at least 32 characters") }
                    secret = line
                } else {
                    secret = ClientSecrets.generate()
                    printSecret = true
                }
            }
            try PepperFile.ensure(keys: data.keysPath)
            let pepper = try PepperFile.load(keys: data.keysPath)
            let now = Date()
            let declared = GatehouseCore.Client(
                id: id, name: name, secretHash: secret.map { ClientSecrets.hash(secret: $0, pepper: pepper) }, isPublic: self.public,
                redirectURIs: redirectURIs, postLogoutRedirectURIs: postLogoutURIs, backchannelLogoutURI: backchannelLogoutURI,
                grantTypes: grants, scopes: scopes.isEmpty ? ["openid", "profile", "email"] : Set(scopes), createdAt: now)
            let client = try await withStore(data) { store in
                try await store.write { tx in
                    var client = declared
                    client.unitID = try owner.flatMap { try ownerUnitID(tx, $0, context: "client '\(client.id)'") }
                    try tx.insertClient(client)
                    var detail = ["public": "\(client.isPublic)", "grant_types": grants.map(\.rawValue).sorted().joined(separator: " ")]
                    if let owner { detail["unit"] = owner.description }
                    try tx.appendAudit(AuditRecord(action: "client.create", actor: "cli", target: client.id, unit: owner, clientID: client.id,
                                                   detail: detail, time: now))
                    return client
                }
            }
            let at = owner.map { " at \($0)" } ?? ""
            print("registered client \(client.id)\(at) (\(client.isPublic ? "public" : "confidential, \(client.authMethod.rawValue)"))")
            if printSecret, let secret {
                print("client secret (shown once; store it in the application's secret store): \(secret)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered clients.")
        @OptionGroup var data: DataOptions

        func run() async throws {
            let rows = try await withStore(data) { store in
                try await store.read { tx in
                    var paths: [UUID: UnitPath] = [:]
                    return try tx.clients().map { c in
                        guard let unitID = c.unitID else { return (c, UnitPath.root) }
                        if paths[unitID] == nil { paths[unitID] = try tx.unit(id: unitID).path }
                        return (c, paths[unitID]!)
                    }
                }
            }
            for (c, unit) in rows {
                print([c.id.padded(24), (c.isPublic ? "public" : c.authMethod.rawValue).padded(20), unit.description.padded(28),
                       c.grantTypes.map(\.rawValue).sorted().joined(separator: ",").padded(44),
                       c.fromPolicy ? "clients.yaml" : "", c.redirectURIs.joined(separator: " ")].joined(separator: " "))
            }
        }
    }
}

/// The id stored for the unit at `path` that is to own a client (`nil` for the root), or an error telling the operator to create it
/// first, after `context` (e.g. `client 'van-ban'`).
func ownerUnitID(_ tx: any StoreReader, _ path: UnitPath, context: String) throws -> UUID? {
    if path.isRoot { return nil }  // a platform-wide client, as the admin API stores it
    do { return try tx.unit(path: path).id } catch StoreError.notFound {
        throw CLIError("\(context): unit \(path) does not exist; import or create it first")
    }
}

/// Brings the store's policy-declared clients in line with `Policies/clients.yaml`: new ones are
/// added, changed ones updated, and ones no longer declared removed. Clients registered with
/// `gatehouse clients add` are left alone. Each declaration's `unit` is resolved to the unit's id
/// in the same transaction; an unknown unit stops the synchronisation. Returns a one-line summary.
func syncPolicyClients(_ declarations: [ClientDeclaration], policiesPath: String, pepper: [UInt8], store: any Store) async throws -> String {
    var wanted: [(client: GatehouseCore.Client, unit: UnitPath?)] = []
    let now = Date()
    for declaration in declarations {
        var hash: String?
        if let source = declaration.secret {
            do { hash = ClientSecrets.hash(secret: try source.read(), pepper: pepper) } catch {
                throw CLIError("\(policiesPath)/clients.yaml: client '\(declaration.id)': \(error)")
            }
        }
        var jwks: String?
        if let file = declaration.jwksFile {
            let path = file.hasPrefix("/") ? file : (policiesPath as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIError("\(policiesPath)/clients.yaml: client '\(declaration.id)': cannot read jwks_file \(path)")
            }
            jwks = String(decoding: data, as: UTF8.self)
        }
        wanted.append((declaration.client(secretHash: hash, jwks: jwks, createdAt: now), declaration.unit))
    }
    let declared = wanted
    return try await store.write { tx in
        var added = 0, updated = 0, removed = 0
        let existing = Dictionary(try tx.clients().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (declaredClient, unit) in declared {
            var client = declaredClient
            if let unit {
                client.unitID = try ownerUnitID(tx, unit, context: "\(policiesPath)/clients.yaml: client '\(client.id)'")
            }
            if let old = existing[client.id] {
                guard old.fromPolicy else {
                    throw CLIError("client '\(client.id)' is declared in clients.yaml but was registered with gatehouse clients add; remove one of them")
                }
                client.createdAt = old.createdAt
                client.updatedAt = old.updatedAt
                if client != old { try tx.updateClient(client); updated += 1 }
            } else {
                try tx.insertClient(client); added += 1
            }
        }
        let declaredIDs = Set(declared.map(\.client.id))
        for old in existing.values where old.fromPolicy && !declaredIDs.contains(old.id) {
            try tx.deleteClient(id: old.id); removed += 1
        }
        if added + updated + removed > 0 {
            try tx.appendAudit(AuditRecord(action: "policy.clients.sync", actor: "policy", target: "clients.yaml",
                                           detail: ["added": "\(added)", "updated": "\(updated)", "removed": "\(removed)"], time: now))
        }
        return "clients.yaml: \(added) added, \(updated) updated, \(removed) removed"
    }
}

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
        @OptionGroup var data: DataOptions

        func run() async throws {
            try Client.validateID(id)
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
            let client = GatehouseCore.Client(
                id: id, name: name, secretHash: secret.map { ClientSecrets.hash(secret: $0, pepper: pepper) }, isPublic: self.public,
                redirectURIs: redirectURIs, postLogoutRedirectURIs: postLogoutURIs, backchannelLogoutURI: backchannelLogoutURI,
                grantTypes: grants, scopes: scopes.isEmpty ? ["openid", "profile", "email"] : Set(scopes), createdAt: now)
            try await withStore(data) { store in
                try await store.write { tx in
                    try tx.insertClient(client)
                    try tx.appendAudit(AuditRecord(action: "client.create", actor: "cli", target: client.id, clientID: client.id,
                                                   detail: ["public": "\(client.isPublic)", "grant_types": grants.map(\.rawValue).sorted().joined(separator: " ")], time: now))
                }
            }
            print("registered client \(client.id) (\(client.isPublic ? "public" : "confidential, \(client.authMethod.rawValue)"))")
            if printSecret, let secret {
                print("client secret (shown once; store it in the application's secret store): \(secret)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered clients.")
        @OptionGroup var data: DataOptions

        func run() async throws {
            let clients = try await withStore(data) { store in try await store.read { tx in try tx.clients() } }
            for c in clients {
                print([c.id.padded(24), (c.isPublic ? "public" : c.authMethod.rawValue).padded(20),
                       c.grantTypes.map(\.rawValue).sorted().joined(separator: ",").padded(44),
                       c.fromPolicy ? "clients.yaml" : "", c.redirectURIs.joined(separator: " ")].joined(separator: " "))
            }
        }
    }
}

/// Brings the store's policy-declared clients in line with `Policies/clients.yaml`: new ones are
/// added, changed ones updated, and ones no longer declared removed. Clients registered with
/// `gatehouse clients add` are left alone. Returns a one-line summary.
func syncPolicyClients(_ declarations: [ClientDeclaration], policiesPath: String, pepper: [UInt8], store: any Store) async throws -> String {
    var wanted: [GatehouseCore.Client] = []
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
        wanted.append(declaration.client(secretHash: hash, jwks: jwks, createdAt: now))
    }
    let declared = wanted
    return try await store.write { tx in
        var added = 0, updated = 0, removed = 0
        let existing = Dictionary(try tx.clients().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for var client in declared {
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
        let declaredIDs = Set(declared.map(\.id))
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

import GatehouseCore
import Yams

enum ClientsLoader {
    static let clientKeys = [
        "id", "name", "type", "redirect_uris", "post_logout_redirect_uris", "backchannel_logout_uri",
        "grant_types", "scopes", "token_endpoint_auth_method", "secret", "secret_env", "secret_file",
        "jwks_file", "id_token_signed_response_alg", "unit",
    ]

    /// Reads `clients.yaml`: `clients:` followed by a list (empty by default).
    static func load(_ root: Node, diagnostics: Diagnostics) -> [ClientDeclaration]? {
        guard let f = Fields(root, allowed: ["clients"], context: "", diagnostics: diagnostics),
              let items = f.sequence("clients", required: true) else { return nil }
        var clients: [ClientDeclaration] = []
        var seen: [String: Int] = [:]
        for item in items {
            guard let client = loadClient(item, diagnostics: diagnostics) else { continue }
            if let line = seen[client.id] {
                diagnostics.error("client '\(client.id)': declared twice (first on line \(line))", at: item)
                continue
            }
            seen[client.id] = item.mark?.line ?? 0
            clients.append(client)
        }
        return clients
    }

    private static func loadClient(_ item: Node, diagnostics: Diagnostics) -> ClientDeclaration? {
        let context = item.mapping?["id"]?.scalar.map { "client '\($0.string)'" } ?? "client"
        guard let f = Fields(item, allowed: clientKeys, context: context, diagnostics: diagnostics) else { return nil }
        let before = diagnostics.issues.count
        let id = f.string("id", required: true) ?? ""
        if f.has("id") {
            do { try Client.validateID(id) } catch { f.error(error.description, at: f.value("id")) }
        }
        let name = f.string("name") ?? id
        let isPublic = f.choice("type", [("confidential", false), ("public", true)], required: true) ?? false

        let redirects = uris(f, "redirect_uris")
        let logouts = uris(f, "post_logout_redirect_uris")
        var backchannel: String?
        if let v = f.value("backchannel_logout_uri"), let uri = f.string(v, what: "'backchannel_logout_uri'") {
            if let why = RedirectURI.problem(with: uri) { f.error("backchannel_logout_uri '\(uri)' \(why)", at: v) } else { backchannel = uri }
        }

        var grants: Set<GrantType> = []
        let grantNames = GrantType.allCases.map(\.rawValue).joined(separator: ", ")
        for (text, node) in f.strings("grant_types", required: true) ?? [] {
            if let g = GrantType(rawValue: text) { grants.insert(g) } else {
                f.error("unknown grant type '\(text)' (expected \(grantNames); implicit and password grants are not supported)", at: node)
            }
        }
        var scopes: Set<String> = []
        for (text, node) in f.strings("scopes") ?? [("openid", item), ("profile", item), ("email", item)] {
            if isValidScope(text) { scopes.insert(text) } else { f.error("scope '\(text)' is not a valid scope token (RFC 6749 §3.3)", at: node) }
        }

        let methods = ClientAuthMethod.allCases.map { ($0.rawValue, $0) }
        let method = f.choice("token_endpoint_auth_method", methods) ?? (isPublic ? .none : .clientSecretBasic)
        let secret = f.secretSource("secret", required: false)
        let jwksFile = f.string("jwks_file")
        let alg = f.choice("id_token_signed_response_alg", SigningAlgorithm.allCases.map { ($0.rawValue, $0) })
        let unit = unitPath(f)

        // Combinations.
        let methodNode = f.value("token_endpoint_auth_method") ?? f.value("type")
        if isPublic {
            if method != .none { f.error("a public client authenticates with token_endpoint_auth_method none, not \(method.rawValue)", at: methodNode) }
            if f.has("secret_env") || f.has("secret_file") { f.error("a public client has no secret", at: f.keyNode("secret_env") ?? f.keyNode("secret_file")) }
            if grants.contains(.clientCredentials) { f.error("a public client cannot use client_credentials", at: f.value("grant_types")) }
        } else {
            switch method {
            case .none:
                f.error("a confidential client must authenticate (client_secret_basic, client_secret_post or private_key_jwt)", at: methodNode)
            case .clientSecretBasic, .clientSecretPost:
                if secret == nil && !f.has("secret") && !f.has("secret_env") && !f.has("secret_file") {
                    f.error("\(method.rawValue) needs secret_env or secret_file", at: f.node)
                }
                if jwksFile != nil { f.error("jwks_file is only for private_key_jwt", at: f.value("jwks_file")) }
            case .privateKeyJWT:
                if jwksFile == nil { f.error("private_key_jwt needs jwks_file", at: f.node) }
                if f.has("secret_env") || f.has("secret_file") { f.error("private_key_jwt uses keys, not a secret", at: f.keyNode("secret_env") ?? f.keyNode("secret_file")) }
            }
        }
        if grants.contains(.authorizationCode) && redirects.isEmpty && f.has("grant_types") {
            f.error("authorization_code needs at least one redirect_uris entry", at: f.value("redirect_uris") ?? f.node)
        }
        guard diagnostics.issues.count == before else { return nil }
        return ClientDeclaration(
            id: id, name: name, isPublic: isPublic, redirectURIs: redirects, postLogoutRedirectURIs: logouts,
            backchannelLogoutURI: backchannel, grantTypes: grants, scopes: scopes, authMethod: method,
            secret: secret, jwksFile: jwksFile, idTokenSignedResponseAlg: alg, unit: unit)
    }

    /// The optional `unit` key: the path of the owning unit. Whether the unit exists is checked
    /// against the store when clients are synchronised, not here.
    private static func unitPath(_ f: Fields) -> UnitPath? {
        guard let v = f.value("unit"), let text = f.string(v, what: "'unit'") else { return nil }
        do { return try UnitPath(text) } catch {
            f.error("unit: \(error.description)", at: v)
            return nil
        }
    }

    private static func uris(_ f: Fields, _ key: String) -> [String] {
        var result: [String] = []
        for (uri, node) in f.strings(key) ?? [] {
            if let why = RedirectURI.problem(with: uri) { f.error("\(key): '\(uri)' \(why)", at: node) } else { result.append(uri) }
        }
        return result
    }

    /// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
    static func isValidScope(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 128 && s.utf8.allSatisfy { $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) }
    }
}

public import GatehouseJOSE
import Foundation
import GatehouseCore

extension OAuthEngine {
    /// `POST /introspect` (RFC 7662): the JSON answer, or the client-authentication error.
    public func introspect(_ request: EndpointRequest) async -> OAuthHTTPResponse {
        do {
            return .json(try await introspection(request))
        } catch {
            return error.httpResponse(realm: issuer)
        }
    }

    /// Token introspection (RFC 7662 §2). Only confidential clients, authenticated by their
    /// registered method, may ask (§2.1, §4), and only about tokens issued to them or, for
    /// access tokens, naming them in `aud` (§4: no token scanning across clients).
    ///
    /// `{"active": false}` and nothing else for anything unknown, malformed, expired, revoked,
    /// of an ended session or inactive account, or another client's (§2.2). Active tokens
    /// carry `scope`, `client_id`, `username`, `token_type`, `exp`, `iat`, `sub`, `aud`, `iss`
    /// and `jti` (refresh tokens: no `aud`, `jti`, `token_type`).
    public func introspection(_ request: EndpointRequest) async throws(OAuthError) -> [String: JSONValue] {
        let token = try? ParameterReader(parameters: request.parameters).required("token", maximumLength: 16384)
        let now = clock.now()
        let verified = token.flatMap { try? verifyAccessToken($0, now: now) }
        let refresh = token.flatMap(RefreshTokenValue.init(parsing:))
        let authenticator = ClientAuthenticator(configuration: configuration, endpoint: configuration.endpoints.introspection)
        let issuer = self.issuer
        let outcome: Result<[String: JSONValue], OAuthError> = try await write { storage in
            let client: Client
            switch try authenticator.authenticate(request, publicClients: .refused, now: now, storage: storage) {
            case .failure(let error): return .failure(error)
            case .success(let authenticated): client = authenticated
            }
            guard token != nil else { return .failure(OAuthError(.invalidRequest, "The parameter token is required.")) }
            if let verified {
                return .success(try Self.describe(verified, for: client, now: now, storage: storage) ?? ["active": false])
            }
            if let refresh {
                return .success(try Self.describe(refresh, for: client, issuer: issuer, now: now, storage: storage) ?? ["active": false])
            }
            return .success(["active": false])
        }
        return try outcome.get()
    }

    private static func describe(
        _ token: VerifiedAccessToken, for client: Client, now: Date, storage: some TokenStateLookup & AccountStorage
    ) throws -> [String: JSONValue]? {
        let audience = token.claims.audience?.values ?? []
        guard token.clientID == client.id || audience.contains(client.id), try isAlive(token, now: now, storage: storage) else { return nil }
        var out: [String: JSONValue] = ["active": true, "token_type": "Bearer", "scope": .string(token.scope.description)]
        for name in ["client_id", "exp", "iat", "sub", "aud", "iss", "jti", "sid", "auth_time", "acr"] {
            if let value = token.claims[name] { out[name] = value }
        }
        if let accountID = token.accountID, let account = try lookup({ try storage.account(id: accountID) }) {
            out["username"] = .string(account.username.value)
        }
        return out
    }

    private static func describe(
        _ token: RefreshTokenValue, for client: Client, issuer: String, now: Date, storage: some TokenStateLookup & AccountStorage
    ) throws -> [String: JSONValue]? {
        guard let family = try lookup({ try storage.refreshFamily(id: token.familyID) }), family.clientID == client.id,
              family.revokedAt == nil, family.expiresAt > now, token.matches(family.currentTokenHash),
              let account = try lookup({ try storage.account(id: family.accountID) }), account.status == .active
        else { return nil }
        if let sessionID = family.sessionID {
            guard let session = try lookup({ try storage.session(idHash: sessionID) }), session.revokedAt == nil, session.expiresAt > now else { return nil }
        }
        return [
            "active": true, "scope": .string(family.scope), "client_id": .string(family.clientID),
            "username": .string(account.username.value), "sub": .string(account.id.uuidString.lowercased()), "iss": .string(issuer),
            "exp": .integer(Int64(family.expiresAt.timeIntervalSince1970.rounded(.down))),
            "iat": .integer(Int64(family.createdAt.timeIntervalSince1970.rounded(.down))),
        ]
    }
}

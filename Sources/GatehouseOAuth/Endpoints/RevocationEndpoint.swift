import Foundation
import GatehouseCore

extension OAuthEngine {
    /// `POST /revoke` (RFC 7009): `200` with an empty body, or the client-authentication error.
    public func revoke(_ request: EndpointRequest) async -> OAuthHTTPResponse {
        do {
            try await revocation(request)
            return OAuthHTTPResponse(status: 200, headers: OAuthHTTPResponse.noStore)
        } catch {
            return error.httpResponse(realm: issuer)
        }
    }

    /// Token revocation (RFC 7009 §2.1). The client authenticates by its registered method;
    /// public clients may revoke their own tokens (§5). `token_type_hint` is not needed: the
    /// two kinds are told apart by their form.
    ///
    /// - A refresh token revokes its whole family (the grant), so no later rotation works, and
    ///   the access tokens issued from it (their `gid`) with it (§2.1): UserInfo and
    ///   introspection refuse them at once, and the revocation feed announces the `gid` to
    ///   applications that verify tokens offline.
    /// - An access token is revoked by its `jti` until it expires: UserInfo and introspection
    ///   refuse it at once, and the revocation feed announces the `jti` to applications that
    ///   verify tokens offline.
    ///
    /// Unknown, malformed, expired and already revoked tokens are answered `200` like any
    /// other (§2.2). So is another client's token, which is left untouched and recorded in the
    /// audit trail: saying more would confirm to a thief that the token is live.
    public func revocation(_ request: EndpointRequest) async throws(OAuthError) {
        let token = try? ParameterReader(parameters: request.parameters).required("token", maximumLength: 16384)
        let now = clock.now()
        // Expired access tokens need no revocation; anything that does not verify is unknown.
        let access = token.flatMap { try? verifyAccessToken($0, now: now) }
        let refresh = token.flatMap(RefreshTokenValue.init(parsing:))
        let authenticator = ClientAuthenticator(configuration: configuration, endpoint: configuration.endpoints.revocation)
        let skew = configuration.clockSkew
        let announcer = RevocationAnnouncer(configuration)
        let outcome: Result<Void, OAuthError> = try await write { storage in
            let client: Client
            switch try authenticator.authenticate(request, publicClients: .allowed, now: now, storage: storage) {
            case .failure(let error): return .failure(error)
            case .success(let authenticated): client = authenticated
            }
            guard token != nil else { return .failure(OAuthError(.invalidRequest, "The parameter token is required.")) }
            func record(_ kind: String, owner: String, subject: String?, _ detail: [String: String]) throws {
                let own = owner == client.id
                try storage.appendAudit(AuditRecord(
                    action: AuditAction.tokenRevoked, actor: "client:\(client.id)", target: subject ?? owner,
                    clientID: client.id, sourceIP: request.sourceIP, result: own ? .success : .failure,
                    detail: detail.merging(["token_type": kind, "owner": owner]) { a, _ in a }
                        .merging(own ? [:] : ["reason": "token of another client"]) { a, _ in a },
                    time: now))
            }
            if let access {
                if access.clientID == client.id, try !storage.isAccessTokenRevoked(jti: access.jti) {
                    try storage.revokeAccessToken(jti: access.jti, expiresAt: access.expiresAt + skew)
                    try announcer.tokenRevoked(jti: access.jti, expiresAt: access.expiresAt, at: now, storage: storage)
                }
                try record("access_token", owner: access.clientID, subject: access.accountID?.uuidString.lowercased(), ["jti": access.jti])
            } else if let refresh, var family = try lookup({ try storage.refreshFamily(id: refresh.familyID) }),
                      family.revokedAt == nil, refresh.matches(family.currentTokenHash) {
                if family.clientID == client.id {
                    family.revokedAt = now
                    try storage.updateRefreshFamily(family)
                    try announcer.grantsRevoked([family.id], at: now, storage: storage)
                }
                try record("refresh_token", owner: family.clientID, subject: family.accountID.uuidString.lowercased(),
                           ["refresh_family": family.id.uuidString.lowercased()])
            }
            return .success(())
        }
        try outcome.get()
    }
}

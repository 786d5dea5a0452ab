import Foundation
import GatehouseCore

/// `grant_type=refresh_token` (RFC 6749 §6, RFC 9700 §4.14.2, OIDC Core §12).
///
/// Every use rotates the token: a new secret, `generation + 1`, the old secret dead. A token
/// whose family exists but whose secret is not the current one was rotated out, so it was
/// copied: the family and its SSO session are revoked and the request gets `invalid_grant`.
///
/// The family must belong to the client, be unrevoked and unexpired; its session must be
/// unrevoked and within its absolute lifetime; the account must be active. `scope` may only
/// narrow the family's scope, and applies to this access token only: the family keeps its
/// scope (RFC 6749 §6). The family's expiry slides with use (`refreshTokenIdle`) up to its
/// absolute lifetime and never past the session's. A new ID token is issued for `openid`,
/// without `nonce`, with the original `auth_time` (OIDC Core §12.2). The access token's `gid`
/// names the family.
///
/// A revocation on reuse is announced on the revocation feed in the same transaction: `gid`
/// for every family revoked, `sid` for the session.
///
/// Storage: `RefreshTokenStorage`, `SessionStorage`, `AccountStorage`, `AuditStorage`,
/// `RevocationFeedStorage`.
struct RefreshTokenGrant: TokenGrantHandler {
    let minter: TokenMinter
    var grantType: GrantType { .refreshToken }
    var configuration: OAuthConfiguration { minter.configuration }

    func handle(_ request: GrantRequest, storage: StoreTransaction) throws -> GrantResult {
        try rotate(request, storage: storage)
    }

    private func rotate(
        _ request: GrantRequest, storage: some RefreshTokenStorage & SessionStorage & AccountStorage & AuditStorage & RevocationFeedStorage
    ) throws -> GrantResult {
        let presented: String
        let requestedScope: Scope?
        do {
            presented = try request.form.required("refresh_token", maximumLength: 256)
            requestedScope = try request.requestedScope()
        } catch {
            return .refuse(error)
        }
        let invalid = { (debug: String) in GrantResult.refuse(OAuthError(.invalidGrant, "The refresh token is invalid, expired or revoked.", debug: debug)) }
        guard let token = RefreshTokenValue(parsing: presented) else { return invalid("malformed refresh token") }
        guard var family = try lookup({ try storage.refreshFamily(id: token.familyID) }) else { return invalid("unknown family") }
        guard family.clientID == request.client.id else { return invalid("family of another client") }
        guard family.revokedAt == nil else { return invalid("family revoked") }
        guard family.expiresAt > request.now else { return invalid("family expired") }
        guard token.matches(family.currentTokenHash) else { return try reuse(family, request, storage) }

        let session = try family.sessionID.flatMap { id in try lookup { try storage.session(idHash: id) } }
        guard let session, session.revokedAt == nil, session.expiresAt > request.now else {
            family.revokedAt = request.now
            try storage.updateRefreshFamily(family)
            return invalid("the session has ended")
        }
        let user = try AccountClaims.load(accountID: family.accountID, clientID: request.client.id, catalogue: configuration.roles, storage: storage)
        guard user.account.status == .active else { return invalid("account is \(user.account.status.rawValue)") }

        let granted = Scope(parsing: family.scope) ?? Scope([])
        if let requestedScope, !requestedScope.isSubset(of: granted.tokens) {
            return .refuse(OAuthError(.invalidScope, "The scope may only narrow the original grant."))
        }
        let scope = requestedScope ?? granted
        let next = RefreshTokenValue.generate(familyID: family.id)
        let authentication = Authentication(sessionID: session.idHash, authTime: session.authTime, acr: session.acr, amr: session.amr)
        let issuance: TokenIssuance
        do {
            let access = minter.accessClaims(subject: user.subject, clientID: request.client.id, scope: scope, now: request.now,
                                             user: (user, authentication), grantID: family.id)
            let id = scope.contains("openid")
                ? minter.idClaims(user: user, authentication: authentication, clientID: request.client.id, scope: scope, nonce: nil, now: request.now)
                : nil
            issuance = try minter.issuance(access: access, id: id, idAlgorithm: try minter.idTokenAlgorithm(for: request.client),
                                           refreshToken: next.token, scope: scope, now: request.now)
        } catch {
            return .refuse(error)
        }
        let lifetimes = configuration.lifetimes
        family.currentTokenHash = next.secretHash
        family.generation += 1
        family.expiresAt = min(request.now + lifetimes.refreshTokenIdle, family.createdAt + lifetimes.refreshToken, session.expiresAt)
        try storage.updateRefreshFamily(family)
        try storage.appendAudit(AuditRecord(
            action: AuditAction.tokensIssued, actor: user.subject, target: user.subject, unit: user.unit,
            clientID: request.client.id, sourceIP: request.sourceIP, result: .success,
            detail: ["grant_type": grantType.rawValue, "scope": scope.description, "jti": issuance.access.jwtID ?? "",
                     "refresh_family": family.id.uuidString.lowercased(), "generation": String(family.generation)],
            time: request.now))
        return .issue(issuance)
    }

    /// RFC 9700 §4.14.2: a rotated-out token came back. Revoke the family and its session
    /// (with every family of that session), and announce each on the revocation feed.
    private func reuse(
        _ family: RefreshFamily, _ request: GrantRequest,
        _ storage: some RefreshTokenStorage & SessionStorage & AccountStorage & AuditStorage & RevocationFeedStorage
    ) throws -> GrantResult {
        let announcer = RevocationAnnouncer(configuration)
        var family = family
        family.revokedAt = request.now
        try storage.updateRefreshFamily(family)
        var others: [UUID] = []
        if let sessionID = family.sessionID {
            others = try storage.revokeRefreshFamilies(sessionID: sessionID, at: request.now)
            if var session = try lookup({ try storage.session(idHash: sessionID) }), session.revokedAt == nil {
                session.revokedAt = request.now
                try storage.updateSession(session)
                try announcer.sessionEnded(session, at: request.now, storage: storage)
            }
        }
        try announcer.grantsRevoked([family.id] + others, at: request.now, storage: storage)
        let subject = family.accountID.uuidString.lowercased()
        let unit = try lookup { try storage.unit(id: storage.account(id: family.accountID).unitID).path }
        try storage.appendAudit(AuditRecord(
            action: AuditAction.refreshTokenReuse, actor: subject, target: subject, unit: unit, clientID: request.client.id,
            sourceIP: request.sourceIP, result: .failure,
            detail: ["refresh_family": family.id.uuidString.lowercased(), "generation": String(family.generation),
                     "other_families_revoked": String(others.count), "session_revoked": String(family.sessionID != nil)],
            time: request.now))
        return .refuse(OAuthError(.invalidGrant, "The refresh token is invalid, expired or revoked.", debug: "refresh token reuse"))
    }
}

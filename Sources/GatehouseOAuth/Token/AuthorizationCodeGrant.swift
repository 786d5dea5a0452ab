import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseStore

/// `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC Core §3.1.3).
///
/// The code must exist, be unexpired, have been issued to this client for exactly this
/// `redirect_uri`, and the `code_verifier` must match its S256 challenge. Only then is it
/// consumed. A code presented after it was consumed is a replay (RFC 6749 §4.1.2, RFC 9700
/// §4.5): every refresh family of its session and the session itself are revoked, so the
/// tokens the first redemption produced stop working, and the request gets `invalid_grant`.
///
/// Issues an access token, an ID token when `openid` was granted, and a refresh token when
/// the client is registered for `refresh_token`; the access token issued with a refresh token
/// carries its family's id as `gid`. Refresh families live inside the SSO session, so
/// `offline_access` carries no special meaning here.
///
/// What a replay revokes is announced on the revocation feed in the same transaction: `gid`
/// for every family, `sid` for the session.
///
/// Storage: `AuthorizationCodeStorage`, `SessionStorage`, `RefreshTokenStorage`,
/// `AccountStorage`, `AuditStorage`, `RevocationFeedStorage`.
struct AuthorizationCodeGrant: TokenGrantHandler {
    let minter: TokenMinter
    var grantType: GrantType { .authorizationCode }
    var configuration: OAuthConfiguration { minter.configuration }

    func handle(_ request: GrantRequest, storage: StoreTransaction) throws -> GrantResult {
        try redeem(request, storage: storage)
    }

    private func redeem(
        _ request: GrantRequest,
        storage: some AuthorizationCodeStorage & SessionStorage & RefreshTokenStorage & AccountStorage & AuditStorage & RevocationFeedStorage
    ) throws -> GrantResult {
        let code: String, redirectURI: String, verifier: String
        do {
            code = try request.form.required("code", maximumLength: 256)
            redirectURI = try request.form.required("redirect_uri")
            verifier = try request.form.required("code_verifier", maximumLength: 128)
        } catch {
            return .refuse(error)
        }
        let invalid = { (debug: String) in GrantResult.refuse(OAuthError(.invalidGrant, "The authorization code is invalid, expired or already used.", debug: debug)) }
        let codeHash = Digest.sha256(code).hexString
        guard let stored = try lookup({ try storage.authorizationCode(hash: codeHash) }) else { return invalid("unknown code") }
        if stored.consumedAt != nil { return try replay(stored, request, storage) }
        guard stored.expiresAt > request.now else { return invalid("code expired") }
        guard stored.clientID == request.client.id else { return invalid("code issued to another client") }
        guard stored.redirectURI == redirectURI else { return invalid("redirect_uri differs from the authorization request") }
        guard PKCE.isValidVerifier(verifier), PKCE.verify(verifier, challenge: stored.codeChallenge) else {
            return invalid("code_verifier does not match the code_challenge")
        }
        do {
            _ = try storage.consumeAuthorizationCode(hash: codeHash, at: request.now)
        } catch let error as StoreError where error.kind == .conflict {
            return try replay(stored, request, storage)
        }

        guard let session = try lookup({ try storage.session(idHash: stored.sessionID) }),
              session.revokedAt == nil, session.expiresAt > request.now else { return invalid("the session has ended") }
        let user = try AccountClaims.load(accountID: stored.accountID, clientID: request.client.id, catalogue: configuration.roles, storage: storage)
        guard user.account.status == .active else { return invalid("account is \(user.account.status.rawValue)") }

        let scope = Scope(parsing: stored.scope) ?? Scope([])
        let authentication = Authentication(sessionID: session.idHash, authTime: stored.authTime, acr: stored.acr, amr: stored.amr)
        let issuance: TokenIssuance
        var refresh: RefreshTokenValue?
        do {
            if request.client.grantTypes.contains(.refreshToken) { refresh = RefreshTokenValue.generate(familyID: UUID()) }
            let access = minter.accessClaims(subject: user.subject, clientID: request.client.id, scope: scope, now: request.now,
                                             user: (user, authentication), grantID: refresh?.familyID)
            let id = scope.contains("openid")
                ? minter.idClaims(user: user, authentication: authentication, clientID: request.client.id, scope: scope, nonce: stored.nonce, now: request.now)
                : nil
            issuance = try minter.issuance(access: access, id: id, idAlgorithm: try minter.idTokenAlgorithm(for: request.client),
                                           refreshToken: refresh?.token, scope: scope, now: request.now)
        } catch {
            return .refuse(error)
        }
        if let refresh {
            let lifetimes = configuration.lifetimes
            try storage.insertRefreshFamily(RefreshFamily(
                id: refresh.familyID, clientID: request.client.id, accountID: user.account.id, sessionID: session.idHash,
                scope: scope.description, currentTokenHash: refresh.secretHash, createdAt: request.now,
                expiresAt: min(request.now + lifetimes.refreshTokenIdle, request.now + lifetimes.refreshToken, session.expiresAt)))
        }
        var detail = ["grant_type": grantType.rawValue, "scope": scope.description, "jti": issuance.access.jwtID ?? ""]
        if let refresh { detail["refresh_family"] = refresh.familyID.uuidString.lowercased() }
        try storage.appendAudit(AuditRecord(
            action: AuditAction.tokensIssued, actor: user.subject, target: user.subject, unit: user.unit,
            clientID: request.client.id, sourceIP: request.sourceIP, result: .success, detail: detail, time: request.now))
        return .issue(issuance)
    }

    /// RFC 6749 §4.1.2: deny, and revoke what the code issued: the session's refresh families
    /// and the session (whose `sid` the access and ID tokens carry), announcing each on the
    /// revocation feed.
    private func replay(
        _ code: AuthorizationCode, _ request: GrantRequest, _ storage: some SessionStorage & AccountStorage & AuditStorage & RevocationFeedStorage
    ) throws -> GrantResult {
        let announcer = RevocationAnnouncer(configuration)
        let families = try storage.revokeRefreshFamilies(sessionID: code.sessionID, at: request.now)
        try announcer.grantsRevoked(families, at: request.now, storage: storage)
        var sessionRevoked = false
        if var session = try lookup({ try storage.session(idHash: code.sessionID) }), session.revokedAt == nil {
            session.revokedAt = request.now
            try storage.updateSession(session)
            try announcer.sessionEnded(session, at: request.now, storage: storage)
            sessionRevoked = true
        }
        let subject = code.accountID.uuidString.lowercased()
        let unit = try lookup { try storage.unit(id: storage.account(id: code.accountID).unitID).path }
        try storage.appendAudit(AuditRecord(
            action: AuditAction.codeReplay, actor: subject, target: subject, unit: unit, clientID: request.client.id,
            sourceIP: request.sourceIP, result: .failure,
            detail: ["code_client": code.clientID, "refresh_families_revoked": String(families.count), "session_revoked": String(sessionRevoked)],
            time: request.now))
        return .refuse(OAuthError(.invalidGrant, "The authorization code is invalid, expired or already used.", debug: "code replay"))
    }
}

import Foundation
import GatehouseCore
import GatehouseCrypto

extension OAuthEngine {
    /// Completes a valid authorization request with the browser's SSO session (OIDC Core
    /// §3.1.2.3–3.1.2.5): decides whether the session satisfies the request and, if it does,
    /// issues the authorization code.
    ///
    /// The session satisfies the request when it is unrevoked, within its absolute and idle
    /// lifetimes, of an active account, and:
    /// - `prompt=login` / `select_account`: the user authenticated in this very interaction
    ///   (`freshAuthentication`, which the server sets after its login form succeeded);
    /// - `max_age`: the authentication is at most that old (`max_age=0` always re-authenticates);
    /// - `id_token_hint`: it is the hinted user's session;
    /// - a second factor: the session's `amr` has `otp` whenever the configuration's
    ///   ``SecondFactorPolicy`` requires one of the account or the request (step-up).
    ///
    /// Otherwise the user must log in (``AuthorizationDecision/login(_:)``), or, under
    /// `prompt=none`, the client gets `login_required`. `prompt=consent` asks for consent once.
    /// A request whose `acr_values` accept only a second factor, to a server that offers none,
    /// gets `unmet_authentication_requirements` (OpenID Connect Core Error Code
    /// unmet_authentication_requirements 1.0 §2), before any login.
    ///
    /// On success, in one transaction: the client is added to the session's clients (for
    /// back-channel logout), the session's `lastSeenAt` moves to now, a consent given is
    /// stored, the code is stored (its SHA-256 only, bound to client, redirect URI, PKCE
    /// challenge, nonce, session, `auth_time`, `acr`, `amr`), and an audit event is appended.
    ///
    /// ```swift
    /// switch await engine.authorize(request, sessionCookie: cookies["gh_session"], sourceIP: peer) {
    /// case .redirect(let r): …            // 302 to r.location
    /// case .login(let reason): …          // login page; afterwards authorize again with freshAuthentication: true
    /// case .consent: …                    // consent page; afterwards authorize again with consentGiven: true
    /// case .showError(let e): …           // error page
    /// }
    /// ```
    public func authorize(
        _ request: AuthorizationRequest, sessionCookie: String?, freshAuthentication: Bool = false, consentGiven: Bool = false,
        sourceIP: String? = nil
    ) async -> AuthorizationDecision {
        let now = clock.now()
        let sessionID = sessionCookie.flatMap { $0.isEmpty || $0.utf8.count > 512 ? nil : SessionCookie.idHash(of: $0) }
        let settings = (issuer: issuer, lifetimes: lifetimes, secondFactor: configuration.secondFactor)
        do {
            return try await write { storage in
                try Self.complete(request, sessionID: sessionID, freshAuthentication: freshAuthentication, consentGiven: consentGiven,
                                  sourceIP: sourceIP, now: now, issuer: settings.issuer, lifetimes: settings.lifetimes,
                                  secondFactor: settings.secondFactor, storage: storage)
            }
        } catch {
            return .redirect(.error(error, to: request.redirectURI, state: request.state, issuer: issuer))
        }
    }

    /// The redirect for a user who declined on the consent page: `access_denied`.
    public func deny(_ request: AuthorizationRequest) -> AuthorizationRedirect {
        .error(OAuthError(.accessDenied, "The user declined."), to: request.redirectURI, state: request.state, issuer: issuer)
    }

    private static func complete(
        _ request: AuthorizationRequest, sessionID: String?, freshAuthentication: Bool, consentGiven: Bool, sourceIP: String?,
        now: Date, issuer: String, lifetimes: TokenLifetimes, secondFactor: SecondFactorPolicy?,
        storage: some ClientStorage & SessionStorage & AccountStorage & AuthorizationCodeStorage & ConsentStorage & AuditStorage
    ) throws -> AuthorizationDecision {
        // The request may have waited on the login page: check it still fits its client.
        guard let client = try lookup({ try storage.client(id: request.clientID) }), client.redirectURIs.contains(request.redirectURI) else {
            return .showError(OAuthError(.invalidRequest, "The client or its redirect_uri is no longer registered."))
        }
        func fail(_ error: OAuthError) -> AuthorizationDecision {
            .redirect(.error(error, to: request.redirectURI, state: request.state, issuer: issuer))
        }
        guard client.grantTypes.contains(.authorizationCode), Scope(request.scope).isSubset(of: client.scopes),
              !request.scope.isEmpty, PKCE.isValidChallenge(request.codeChallenge) else {
            return fail(OAuthError(.invalidRequest, "The request no longer fits the client's registration."))
        }
        if secondFactor == nil, AuthenticationContext.demandsMultiFactor(request.acrValues) {
            return fail(OAuthError(.unmetAuthenticationRequirements, "This server offers no second factor.", debug: "acr_values"))
        }
        let noneAllowed = request.prompt.contains(.none)
        func needLogin(_ reason: LoginReason) -> AuthorizationDecision {
            noneAllowed ? fail(OAuthError(.loginRequired, debug: reason.rawValue)) : .login(reason)
        }

        guard let sessionID, var session = try lookup({ try storage.session(idHash: sessionID) }),
              session.revokedAt == nil, session.expiresAt > now, session.lastSeenAt + lifetimes.sessionIdle > now
        else { return needLogin(.noSession) }
        guard let account = try lookup({ try storage.account(id: session.accountID) }), account.status == .active else {
            return needLogin(.accountInactive)
        }
        let subject = account.id.uuidString.lowercased()
        if let expected = request.expectedSubject, expected != subject { return needLogin(.differentUser) }
        if !freshAuthentication, !request.prompt.isDisjoint(with: [.login, .selectAccount]) { return needLogin(.promptLogin) }
        if let maxAge = request.maxAge, !freshAuthentication, now.timeIntervalSince(session.authTime) > TimeInterval(maxAge) {
            return needLogin(.maxAgeExceeded)
        }
        if let secondFactor, !session.amr.contains(AuthenticationContext.oneTimePassword) {
            let home = try storage.unit(id: account.unitID).path
            let grants = try storage.effectiveGrants(accountID: account.id)
            if secondFactor.reason(account: account, home: home, grants: grants, acrValues: request.acrValues) != nil {
                return needLogin(.secondFactorRequired)
            }
        }
        if request.prompt.contains(.consent), !consentGiven { return .consent }

        let code = SecureRandom.token(byteCount: 32)
        try storage.insertAuthorizationCode(AuthorizationCode(
            codeHash: Digest.sha256(code).hexString, clientID: client.id, accountID: account.id, sessionID: session.idHash,
            redirectURI: request.redirectURI, scope: Scope(request.scope).description, nonce: request.nonce,
            codeChallenge: request.codeChallenge, authTime: session.authTime, acr: session.acr, amr: session.amr,
            createdAt: now, expiresAt: now + lifetimes.authorizationCode))
        session.clients.insert(client.id)
        session.lastSeenAt = now
        try storage.updateSession(session)
        if consentGiven {
            try storage.upsertConsent(Consent(accountID: account.id, clientID: client.id, scopes: Set(request.scope), grantedAt: now))
        }
        let unit = try lookup { try storage.unit(id: account.unitID).path }
        try storage.appendAudit(AuditRecord(
            action: AuditAction.authorizationCodeIssued, actor: subject, target: subject, unit: unit, clientID: client.id,
            sourceIP: sourceIP, result: .success, detail: ["scope": Scope(request.scope).description], time: now))

        var parameters = [("code", code)]
        if let state = request.state { parameters.append(("state", state)) }
        parameters.append(("iss", issuer))
        return .redirect(AuthorizationRedirect(redirectURI: request.redirectURI, parameters: parameters))
    }
}

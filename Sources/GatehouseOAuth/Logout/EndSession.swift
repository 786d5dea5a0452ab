import Foundation
public import GatehouseCore
import GatehouseJOSE

/// A logout token to deliver to one client (OIDC Back-Channel Logout §2.5): `POST` it as
/// `logout_token=…` (form-encoded) to `uri`.
public struct BackchannelLogout: Sendable, Hashable {
    public var clientID: String
    public var uri: String
    public var logoutToken: String
}

/// What ending a session did.
public struct EndSessionResult: Sendable, Hashable {
    /// The session, as revoked; `nil` when there was no live session to end.
    public var session: SSOSession?
    /// How many refresh families were revoked with it.
    public var refreshFamiliesRevoked: Int
    /// The back-channel logouts to send, one per client of the session that registered a
    /// `backchannel_logout_uri`.
    public var backchannel: [BackchannelLogout]
}

extension OAuthEngine {
    /// Ends the SSO session the cookie names (logout): revokes it and its refresh families,
    /// appends an audit event, and returns a signed logout token for every client of the
    /// session that registered a back-channel logout URI. Ending a session that is unknown
    /// or already ended changes nothing and returns no logouts.
    public func endSession(sessionCookie: String, sourceIP: String? = nil) async throws(OAuthError) -> EndSessionResult {
        try await endSession(idHash: SessionCookie.idHash(of: sessionCookie), sourceIP: sourceIP)
    }

    /// ``endSession(sessionCookie:sourceIP:)`` by the session's stored id (`sid`), for an
    /// administrator ending someone's session.
    public func endSession(idHash: String, sourceIP: String? = nil) async throws(OAuthError) -> EndSessionResult {
        let now = clock.now()
        let minter = TokenMinter(configuration: configuration, keys: keys)
        let (result, pending) = try await write { storage in
            guard var session = try lookup({ try storage.session(idHash: idHash) }), session.revokedAt == nil else {
                return (EndSessionResult(session: nil, refreshFamiliesRevoked: 0, backchannel: []), [PendingLogout]())
            }
            session.revokedAt = now
            try storage.updateSession(session)
            let families = try storage.revokeRefreshFamilies(sessionID: idHash, at: now)
            var pending: [PendingLogout] = []
            for clientID in session.clients.sorted() {
                guard let client = try lookup({ try storage.client(id: clientID) }), let uri = client.backchannelLogoutURI else { continue }
                // A client whose ID-token key is missing still gets logged out of the store; it is skipped here.
                guard let algorithm = try? minter.idTokenAlgorithm(for: client), let key = try? minter.signingKey(algorithm, now: now) else { continue }
                pending.append(PendingLogout(clientID: client.id, uri: uri, key: key))
            }
            let subject = session.accountID.uuidString.lowercased()
            let unit = try lookup { try storage.unit(id: storage.account(id: session.accountID).unitID).path }
            try storage.appendAudit(AuditRecord(
                action: AuditAction.sessionEnded, actor: subject, target: subject, unit: unit, sourceIP: sourceIP,
                result: .success,
                detail: ["refresh_families_revoked": String(families), "clients": session.clients.sorted().joined(separator: " ")],
                time: now))
            return (EndSessionResult(session: session, refreshFamiliesRevoked: families, backchannel: []), pending)
        }
        guard let session = result.session else { return result }
        var out = result
        for logout in pending {
            let claims = LogoutToken.claims(issuer: issuer, clientID: logout.clientID, subject: session.accountID.uuidString.lowercased(),
                                            sessionID: session.idHash, now: now, lifetime: configuration.logoutTokenLifetime)
            guard let token = try? LogoutToken.sign(claims, key: logout.key) else { continue }
            out.backchannel.append(BackchannelLogout(clientID: logout.clientID, uri: logout.uri, logoutToken: token))
        }
        return out
    }
}

private struct PendingLogout: Sendable {
    let clientID: String
    let uri: String
    let key: SigningKey
}

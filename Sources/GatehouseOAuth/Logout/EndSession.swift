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
    /// announces it on the revocation feed (`sid`), appends an audit event, and returns a
    /// signed logout token for every client of the session that registered a back-channel
    /// logout URI. Ending a session that is unknown or already ended changes nothing and
    /// returns no logouts.
    public func endSession(sessionCookie: String, sourceIP: String? = nil) async throws(OAuthError) -> EndSessionResult {
        try await endSession(idHash: SessionCookie.idHash(of: sessionCookie), sourceIP: sourceIP)
    }

    /// ``endSession(sessionCookie:sourceIP:)`` by the session's stored id (`sid`), for an
    /// administrator ending someone's session.
    public func endSession(idHash: String, sourceIP: String? = nil) async throws(OAuthError) -> EndSessionResult {
        let now = clock.now()
        let minter = TokenMinter(configuration: configuration, keys: keys)
        let announcer = RevocationAnnouncer(configuration)
        let (result, pending) = try await write { storage in
            guard var session = try lookup({ try storage.session(idHash: idHash) }), session.revokedAt == nil else {
                return (EndSessionResult(session: nil, refreshFamiliesRevoked: 0, backchannel: []), [PendingLogout]())
            }
            session.revokedAt = now
            try storage.updateSession(session)
            let families = try storage.revokeRefreshFamilies(sessionID: idHash, at: now)
            try announcer.sessionEnded(session, at: now, storage: storage)
            let pending = try PendingLogout.forClients(of: session, minter: minter, now: now, storage: storage)
            let subject = session.accountID.uuidString.lowercased()
            let unit = try lookup { try storage.unit(id: storage.account(id: session.accountID).unitID).path }
            try storage.appendAudit(AuditRecord(
                action: AuditAction.sessionEnded, actor: subject, target: subject, unit: unit, sourceIP: sourceIP,
                result: .success,
                detail: ["refresh_families_revoked": String(families.count), "clients": session.clients.sorted().joined(separator: " ")],
                time: now))
            return (EndSessionResult(session: session, refreshFamiliesRevoked: families.count, backchannel: []), pending)
        }
        guard result.session != nil else { return result }
        var out = result
        out.backchannel = pending.compactMap { $0.signed(issuer: issuer, now: now, lifetime: configuration.logoutTokenLifetime) }
        return out
    }
}

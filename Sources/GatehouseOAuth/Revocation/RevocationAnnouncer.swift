import Foundation
import GatehouseCore

/// Appends revocation-feed events in the transaction of the change they announce, so the feed
/// never names a revocation that did not commit and never misses one that did. Each method
/// matches a claim applications compare (see ``RevocationEvent/Kind``).
///
/// Storage: `RevocationFeedStorage`.
struct RevocationAnnouncer: Sendable {
    let retention: RevocationRetention

    init(_ configuration: OAuthConfiguration) {
        retention = RevocationRetention(configuration)
    }

    /// `sid`: the session ended at `now`; its `sid` is its stored id.
    func sessionEnded(_ session: SSOSession, at now: Date, storage: some RevocationFeedStorage) throws {
        try storage.appendRevocation(kind: .session, value: session.idHash, time: now, expires: retention.session(session, endedAt: now))
    }

    /// `gid`: each refresh-token family was revoked at `now` (the `gid` of its access tokens).
    func grantsRevoked(_ familyIDs: [UUID], at now: Date, storage: some RevocationFeedStorage) throws {
        for id in familyIDs.sorted(by: { $0.uuidString < $1.uuidString }) {
            try storage.appendRevocation(kind: .grant, value: id.uuidString.lowercased(), time: now, expires: retention.grant(at: now))
        }
    }

    /// `jti`: one access token, revoked at `now`, expiring at `expiresAt`.
    func tokenRevoked(jti: String, expiresAt: Date, at now: Date, storage: some RevocationFeedStorage) throws {
        try storage.appendRevocation(kind: .token, value: jti, time: now, expires: retention.token(expiresAt: expiresAt))
    }

    /// `sub`: every token of the account issued at or before `now`.
    func subjectCutOff(_ accountID: UUID, at now: Date, storage: some RevocationFeedStorage) throws {
        try storage.appendRevocation(kind: .subject, value: accountID.uuidString.lowercased(), time: now, expires: retention.subject(at: now))
    }
}

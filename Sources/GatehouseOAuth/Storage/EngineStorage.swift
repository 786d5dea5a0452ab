import Foundation
import GatehouseCore
import GatehouseStore

// The narrow slices of the store each handler uses (Fosite's AuthorizeCodeStorage,
// RefreshTokenStorage…). A handler states the slices it needs in its signature, so what it can
// touch is visible at a glance and checked by the compiler. All of them are served by one
// `StoreTransaction`, the write transaction the endpoint opened.

/// Clients, and the `jti`s of their assertions (RFC 7523 §3 item 7).
protocol ClientStorage {
    func client(id: String) throws -> Client
    func recordClientAssertion(clientID: String, jti: String, expiresAt: Date, at time: Date) throws -> Bool
}

/// What tokens say about an account: the account, its home unit and its grants.
protocol AccountStorage {
    func account(id: UUID) throws -> Account
    func unit(id: UUID) throws -> OrgUnit
    func effectiveGrants(accountID: UUID) throws -> [EffectiveGrant]
}

/// SSO sessions, and the refresh families that end with them.
protocol SessionStorage {
    func session(idHash: String) throws -> SSOSession
    func updateSession(_ session: SSOSession) throws
    /// The ids of the families revoked.
    func revokeRefreshFamilies(sessionID: String, at time: Date) throws -> [UUID]
}

/// Authorization codes (RFC 6749 §4.1.2).
protocol AuthorizationCodeStorage {
    func authorizationCode(hash: String) throws -> AuthorizationCode
    func insertAuthorizationCode(_ code: AuthorizationCode) throws
    func consumeAuthorizationCode(hash: String, at time: Date) throws -> AuthorizationCode
}

/// Refresh-token families (RFC 9700 §4.14.2).
protocol RefreshTokenStorage {
    func refreshFamily(id: UUID) throws -> RefreshFamily
    func insertRefreshFamily(_ family: RefreshFamily) throws
    func updateRefreshFamily(_ family: RefreshFamily) throws
}

/// Revoked access-token `jti`s (RFC 7009).
protocol AccessTokenRevocationStorage {
    func isAccessTokenRevoked(jti: String) throws -> Bool
    func revokeAccessToken(jti: String, expiresAt: Date) throws
}

/// Consents given on a consent screen.
protocol ConsentStorage {
    func upsertConsent(_ consent: Consent) throws
}

/// The audit chain, appended in the transaction whose change it records.
protocol AuditStorage {
    @discardableResult func appendAudit(_ record: AuditRecord) throws -> AuditEvent
}

/// The revocation feed, appended in the transaction of the revocation it announces.
protocol RevocationFeedStorage {
    @discardableResult func appendRevocation(kind: RevocationEvent.Kind, value: String, time: Date, expires: Date) throws -> Int64
}

/// One write transaction, seen through the slices above.
struct StoreTransaction: ClientStorage, AccountStorage, SessionStorage, AuthorizationCodeStorage, RefreshTokenStorage,
    AccessTokenRevocationStorage, ConsentStorage, AuditStorage, RevocationFeedStorage
{
    let tx: any StoreWriter

    func client(id: String) throws -> Client { try tx.client(id: id) }
    func recordClientAssertion(clientID: String, jti: String, expiresAt: Date, at time: Date) throws -> Bool {
        try tx.recordClientAssertion(clientID: clientID, jti: jti, expiresAt: expiresAt, at: time)
    }
    func account(id: UUID) throws -> Account { try tx.account(id: id) }
    func unit(id: UUID) throws -> OrgUnit { try tx.unit(id: id) }
    func effectiveGrants(accountID: UUID) throws -> [EffectiveGrant] { try tx.effectiveGrants(accountID: accountID) }
    func session(idHash: String) throws -> SSOSession { try tx.session(idHash: idHash) }
    func updateSession(_ session: SSOSession) throws { try tx.updateSession(session) }
    func revokeRefreshFamilies(sessionID: String, at time: Date) throws -> [UUID] { try tx.revokeRefreshFamilies(sessionID: sessionID, at: time) }
    func authorizationCode(hash: String) throws -> AuthorizationCode { try tx.authorizationCode(hash: hash) }
    func insertAuthorizationCode(_ code: AuthorizationCode) throws { try tx.insertAuthorizationCode(code) }
    func consumeAuthorizationCode(hash: String, at time: Date) throws -> AuthorizationCode { try tx.consumeAuthorizationCode(hash: hash, at: time) }
    func refreshFamily(id: UUID) throws -> RefreshFamily { try tx.refreshFamily(id: id) }
    func insertRefreshFamily(_ family: RefreshFamily) throws { try tx.insertRefreshFamily(family) }
    func updateRefreshFamily(_ family: RefreshFamily) throws { try tx.updateRefreshFamily(family) }
    func isAccessTokenRevoked(jti: String) throws -> Bool { try tx.isAccessTokenRevoked(jti: jti) }
    func revokeAccessToken(jti: String, expiresAt: Date) throws { try tx.revokeAccessToken(jti: jti, expiresAt: expiresAt) }
    func upsertConsent(_ consent: Consent) throws { try tx.upsertConsent(consent) }
    @discardableResult func appendAudit(_ record: AuditRecord) throws -> AuditEvent { try tx.appendAudit(record) }
    @discardableResult func appendRevocation(kind: RevocationEvent.Kind, value: String, time: Date, expires: Date) throws -> Int64 {
        try tx.appendRevocation(kind: kind, value: value, time: time, expires: expires)
    }
}

extension StoreError {
    /// True for `notFound`: a lookup that found nothing, which leaves the transaction usable.
    var isNotFound: Bool { kind == .notFound }
}

/// Runs a lookup, turning `notFound` into `nil` and rethrowing anything else.
func lookup<T>(_ body: () throws -> T) throws -> T? {
    do { return try body() } catch let error as StoreError where error.isNotFound { return nil }
}

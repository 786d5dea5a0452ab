import Foundation
import GatehouseCore
import GatehouseStore

/// What the resource-side endpoints (UserInfo, introspection, revocation) read to decide
/// whether a token is still alive.
protocol TokenStateLookup {
    func isAccessTokenRevoked(jti: String) throws -> Bool
    func session(idHash: String) throws -> SSOSession
    func client(id: String) throws -> Client
    func refreshFamily(id: UUID) throws -> RefreshFamily
}

/// A read transaction, seen through the read-only slices.
struct StoreSnapshot: TokenStateLookup, AccountStorage {
    let tx: any StoreReader

    func isAccessTokenRevoked(jti: String) throws -> Bool { try tx.isAccessTokenRevoked(jti: jti) }
    func session(idHash: String) throws -> SSOSession { try tx.session(idHash: idHash) }
    func client(id: String) throws -> Client { try tx.client(id: id) }
    func refreshFamily(id: UUID) throws -> RefreshFamily { try tx.refreshFamily(id: id) }
    func account(id: UUID) throws -> Account { try tx.account(id: id) }
    func unit(id: UUID) throws -> OrgUnit { try tx.unit(id: id) }
    func effectiveGrants(accountID: UUID) throws -> [EffectiveGrant] { try tx.effectiveGrants(accountID: accountID) }
}

extension StoreTransaction: TokenStateLookup {}

extension OAuthEngine {
    /// Runs `body` in a read transaction; escaping errors become `server_error` or
    /// `temporarily_unavailable`.
    func read<T: Sendable>(_ body: @escaping @Sendable (StoreSnapshot) throws -> T) async throws(OAuthError) -> T {
        do {
            return try await store.read { tx in try body(StoreSnapshot(tx: tx)) }
        } catch {
            throw OAuthError.wrapping(error)
        }
    }
}

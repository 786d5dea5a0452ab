import Foundation
import GatehouseCore
import GatehouseStore

/// What ending every session of an account did, inside the caller's transaction; the logout
/// tokens are signed once it commits.
struct AccountSessionsEnd {
    var sessions: [SSOSession]
    var refreshFamilies: [UUID]
    var pending: [PendingLogout]

    /// Revokes every live session and refresh-token family of `accountID` at `now`, puts one
    /// `sub` event on the revocation feed (every token of the account issued until now is to be
    /// refused), and prepares a back-channel logout for each client of each ended session.
    static func run(accountID: UUID, at now: Date, minter: TokenMinter, announcer: RevocationAnnouncer, tx: any StoreWriter) throws -> Self {
        let storage = StoreTransaction(tx: tx)
        let sessions = try tx.revokeSessions(accountID: accountID, at: now)
        let families = try tx.revokeRefreshFamilies(accountID: accountID, at: now)
        try announcer.subjectCutOff(accountID, at: now, storage: storage)
        var pending: [PendingLogout] = []
        for session in sessions {
            pending += try PendingLogout.forClients(of: session, minter: minter, now: now, storage: storage)
        }
        return Self(sessions: sessions, refreshFamilies: families, pending: pending)
    }
}

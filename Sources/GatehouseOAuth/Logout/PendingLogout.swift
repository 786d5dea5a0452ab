import Foundation
import GatehouseCore
import GatehouseJOSE

/// A back-channel logout (OIDC Back-Channel Logout 1.0 §2.5) decided inside the transaction
/// that ends a session, signed once that transaction commits: the client, its registered URI,
/// the session it names, and the key picked for the client's ID-token algorithm (§2.4: the
/// logout token is signed like the client's ID tokens).
struct PendingLogout: Sendable {
    let clientID: String
    let uri: String
    let subject: String
    let sessionID: String
    let key: SigningKey

    /// One per client of `session` that registered a `backchannel_logout_uri`, in client-id
    /// order. A client whose ID-token key is missing still has its session ended in the store;
    /// it is skipped here.
    static func forClients(of session: SSOSession, minter: TokenMinter, now: Date, storage: some ClientStorage) throws -> [PendingLogout] {
        var pending: [PendingLogout] = []
        for clientID in session.clients.sorted() {
            guard let client = try lookup({ try storage.client(id: clientID) }), let uri = client.backchannelLogoutURI else { continue }
            guard let algorithm = try? minter.idTokenAlgorithm(for: client), let key = try? minter.signingKey(algorithm, now: now) else { continue }
            pending.append(PendingLogout(
                clientID: client.id, uri: uri, subject: session.accountID.uuidString.lowercased(), sessionID: session.idHash, key: key))
        }
        return pending
    }

    /// The signed logout token for its client; `nil` if signing failed.
    func signed(issuer: String, now: Date, lifetime: TimeInterval) -> BackchannelLogout? {
        let claims = LogoutToken.claims(issuer: issuer, clientID: clientID, subject: subject, sessionID: sessionID, now: now, lifetime: lifetime)
        guard let token = try? LogoutToken.sign(claims, key: key) else { return nil }
        return BackchannelLogout(clientID: clientID, uri: uri, logoutToken: token)
    }
}

import Foundation
import GatehouseCore

/// What tokens say about a user: the account, its home unit, and the role grants the client
/// may see, in the compact form `role@/path` (`EffectiveGrant.description`), sorted.
///
/// Storage: `AccountStorage`.
struct AccountClaims: Sendable {
    let account: Account
    let unit: UnitPath
    let roles: [String]

    static func load(accountID: UUID, clientID: String, catalogue: [String: Role], storage: some AccountStorage) throws -> AccountClaims {
        let account = try storage.account(id: accountID)
        let unit = try storage.unit(id: account.unitID).path
        let grants = try storage.effectiveGrants(accountID: accountID)
        return AccountClaims(account: account, unit: unit, roles: visibleRoles(grants, clientID: clientID, catalogue: catalogue))
    }

    /// Grants of roles in the catalogue that `Role.isVisible(to:)` the client. A role no
    /// longer in `roles.yaml` is shown to nobody.
    static func visibleRoles(_ grants: [EffectiveGrant], clientID: String, catalogue: [String: Role]) -> [String] {
        grants.filter { catalogue[$0.role]?.isVisible(to: clientID) == true }.map(\.description).sorted()
    }

    /// The subject identifier: the account's UUID, lowercase (OIDC Core §2 `sub`: stable, never reassigned).
    var subject: String { account.id.uuidString.lowercased() }
}

/// The authentication event tokens for a user derive from: the SSO session and how the user
/// logged in.
struct Authentication: Sendable {
    /// `SSOSession.idHash`, sent as `sid`.
    let sessionID: String
    let authTime: Date
    let acr: String?
    let amr: [String]
}

import Foundation
import GatehouseCore
import GatehousePasswords

/// What importing one row does to the store, decided from the row and the account as stored.
///
/// - No account with the username: it is created with the row's grants.
/// - The account exists with the same content: nothing is written.
/// - Otherwise the account is updated: display name, email, home unit, status and password
///   hash take the row's values and its grants become exactly the row's.
///
/// Three rules keep a re-import from undoing what happened since the last one:
/// - an empty `password_hash` leaves the stored password as it is;
/// - a legacy hash never replaces an Argon2id one: the account has logged in since (and its
///   hash was upgraded) or its password was set here;
/// - `active` does not unlock a `locked` account.
///
/// Disabling an account that is not disabled is not a plain update: it also ends the
/// account's sessions and tokens, so it is flagged (`disable`) for the disabling path of
/// `accounts disable` rather than written here.
enum AccountImportPlan: Sendable {
    case create(Account, [RoleGrant])
    /// `account` is `nil` when only grants change (or only `disable` is due).
    case update(account: Account?, insert: [RoleGrant], delete: [UUID], disable: Bool)
    case unchanged
    case reject(String)

    static func decide(_ row: AccountImportRow, stored: Account?, storedGrants: [RoleGrant], now: Date) -> AccountImportPlan {
        guard let stored else {
            let account = Account(
                id: UUID(), username: row.username, displayName: row.displayName, email: row.email, unitID: row.unitID,
                status: row.status, passwordHash: row.passwordHash, passwordChangedAt: row.passwordHash == nil ? nil : now, createdAt: now)
            let grants = row.grants.map { RoleGrant(id: UUID(), accountID: account.id, role: $0.role, unitID: $0.unitID, createdAt: now) }
            return .create(account, grants)
        }
        if let directory = stored.source.directoryName {
            return .reject("account '\(stored.username)' is synchronised from the directory '\(directory)'; an import does not change it")
        }
        var wanted = stored
        wanted.displayName = row.displayName
        wanted.email = row.email
        wanted.unitID = row.unitID
        if row.status == .active && stored.status == .disabled { wanted.status = .active }
        let disable = row.status == .disabled && stored.status != .disabled
        if let hash = row.passwordHash, hash != stored.passwordHash, !keepsStoredHash(stored.passwordHash, over: hash) {
            wanted.passwordHash = hash
            wanted.passwordChangedAt = now
        }
        let have = Dictionary(storedGrants.map { (GrantKey(role: $0.role, unitID: $0.unitID), $0.id) }, uniquingKeysWith: { a, _ in a })
        let insert = row.grants.subtracting(have.keys)
            .map { RoleGrant(id: UUID(), accountID: stored.id, role: $0.role, unitID: $0.unitID, createdAt: now) }
        let delete = have.filter { !row.grants.contains($0.key) }.map(\.value)
        let accountChanged = wanted != stored
        guard accountChanged || !insert.isEmpty || !delete.isEmpty || disable else { return .unchanged }
        return .update(account: accountChanged ? wanted : nil, insert: insert, delete: delete, disable: disable)
    }

    /// True when `stored` is Argon2id and `incoming` a legacy hash.
    static func keepsStoredHash(_ stored: String?, over incoming: String) -> Bool {
        guard let stored, PasswordScheme.identify(stored) == .argon2id else { return false }
        return PasswordScheme.identify(incoming)?.isLegacy ?? false
    }
}

public import Foundation
public import GatehouseCore
public import GatehouseSCIM
public import GatehouseStore
import GatehouseOAuth

/// An account as administrators see it: the account (its secrets never leave through the
/// API encoders), its home unit's path and its grants.
public struct ManagedAccount: Sendable, Hashable {
    public var account: Account
    public var unit: UnitPath
    public var grants: [ManagedGrant]
}

/// A role grant with the path of its unit.
public struct ManagedGrant: Sendable, Hashable {
    public var id: UUID
    public var accountID: UUID
    public var role: String
    public var unit: UnitPath
    public var grantedBy: UUID?
    public var createdAt: Date
}

/// A new account.
public struct AccountDraft: Sendable, Hashable {
    public var username: String
    public var displayName: String
    public var email: String?
    public var unit: UnitPath
    /// The first password, checked against the password policy; `nil`: Gatehouse makes a
    /// temporary one, returned once, which must be changed at the first login.
    public var password: String?
    public var active: Bool
    /// The id the provisioning client knows the account by (SCIM `externalId`); see
    /// ``Account/provisioningID``.
    public var provisioningID: String?

    public init(username: String, displayName: String, email: String? = nil, unit: UnitPath, password: String? = nil, active: Bool = true,
                provisioningID: String? = nil) {
        self.username = username; self.displayName = displayName; self.email = email; self.unit = unit
        self.password = password; self.active = active; self.provisioningID = provisioningID
    }
}

/// Changes to an account's profile; `nil` leaves a field as it is.
public struct AccountPatch: Sendable, Hashable {
    public var displayName: String?
    /// `.some(nil)` removes the address.
    public var email: String??
    /// A new home unit (the actor must be allowed to edit accounts at both units).
    public var unit: UnitPath?
    /// Enables (`true`) or disables (`false`) the account, with the rules of ``AdminService/setActive(_:id:by:)``.
    public var active: Bool?
    /// A new provisioning id (SCIM `externalId`) of a local account; `.some(nil)` removes it.
    /// A directory account is known by its directory's id, which cannot be changed here.
    public var provisioningID: String??

    public init(displayName: String? = nil, email: String?? = nil, unit: UnitPath? = nil, active: Bool? = nil,
                provisioningID: String?? = nil) {
        self.displayName = displayName; self.email = email; self.unit = unit; self.active = active
        self.provisioningID = provisioningID
    }

    public var isEmpty: Bool { displayName == nil && email == nil && unit == nil && active == nil && provisioningID == nil }
}

/// An account search within the actor's reach.
public struct AccountSearch: Sendable, Hashable {
    /// Matches a username prefix or part of the display name, ignoring case and with
    /// Vietnamese letters folded the same way as stored ("đặng" finds "Đặng").
    public var text: String?
    /// Only accounts whose home unit lies in this subtree.
    public var unit: UnitPath?
    public var status: AccountStatus?
    /// A filter tree (SCIM).
    public var filter: SCIMStoreQuery?
    public var sortBy: SCIMStoreField
    public var descending: Bool
    public var page: Page

    public init(text: String? = nil, unit: UnitPath? = nil, status: AccountStatus? = nil, filter: SCIMStoreQuery? = nil,
                sortBy: SCIMStoreField = .username, descending: Bool = false, page: Page = Page(limit: 50)) {
        self.text = text; self.unit = unit; self.status = status; self.filter = filter
        self.sortBy = sortBy; self.descending = descending; self.page = page
    }
}

/// A page of accounts and how many match in all.
public struct AccountPage: Sendable, Hashable {
    public var accounts: [ManagedAccount]
    public var total: Int
}

/// A created account, with its temporary password when Gatehouse made one (shown once).
public struct CreatedAccount: Sendable, Hashable {
    public var account: ManagedAccount
    public var temporaryPassword: String?
}

/// Audit actions of account administration.
public enum AdminAuditAction {
    public static let accountCreate = "account.create"
    public static let accountEdit = "account.edit"
    public static let accountDisable = "account.disable"
    public static let accountEnable = "account.enable"
    public static let accountDelete = "account.delete"
    public static let passwordReset = "account.password.reset"
    /// A password chosen by the actor (SCIM `password`), as opposed to a temporary one.
    public static let passwordSet = "account.password.set"
    public static let secondFactorReset = "account.mfa.reset"
    public static let roleGrant = "role.grant"
    public static let roleRevoke = "role.revoke"
    public static let unitCreate = "unit.create"
    public static let unitEdit = "unit.edit"
    public static let unitMove = "unit.move"
    public static let unitMerge = "unit.merge"
    /// A refused administrative action, with the reason in the detail.
    public static let denied = "admin.denied"
}

extension AdminService {
    // MARK: Reading

    /// Accounts within the actor's reach matching `search`, a page and the total.
    public func searchAccounts(_ search: AccountSearch, by actor: AdminActor) async throws -> AccountPage {
        var query = AccountQuery(subtree: search.unit, status: search.status, within: authorizer.reach(of: actor, for: Permission.accountViewing),
                                 sortBy: search.sortBy, descending: search.descending)
        var parts: [SCIMStoreQuery] = []
        if let text = search.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let folded = Text.nfc(text).lowercased()
            parts.append(.or([.startsWith(.username, folded), .contains(.displayName, folded)]))
        }
        if let filter = search.filter { parts.append(filter) }
        if !parts.isEmpty { query.filter = parts.count == 1 ? parts[0] : .and(parts) }
        let page = search.page
        let frozen = query
        return try await read { tx in
            let accounts = try tx.accounts(frozen, page: page)
            let total = try tx.countAccounts(frozen)
            return AccountPage(accounts: try accounts.map { try Self.managed($0, tx: tx) }, total: total)
        }
    }

    /// One account, if the actor may see it; "not found" otherwise.
    public func account(id: UUID, by actor: AdminActor) async throws -> ManagedAccount {
        let authorizer = self.authorizer
        return try await read { tx in
            let account = try Self.visibleAccount(id: id, actor: actor, authorizer: authorizer, tx: tx)
            return try Self.managed(account, tx: tx)
        }
    }

    static func managed(_ account: Account, tx: any StoreReader) throws -> ManagedAccount {
        let unit = try tx.unit(id: account.unitID).path
        let grants = try tx.grants(accountID: account.id).map { grant in
            ManagedGrant(id: grant.id, accountID: grant.accountID, role: grant.role, unit: try tx.unit(id: grant.unitID).path,
                         grantedBy: grant.grantedBy, createdAt: grant.createdAt)
        }
        return ManagedAccount(account: account, unit: unit, grants: grants)
    }

    /// The account, if it lies within the actor's reach; "not found" (the same words as for a
    /// missing account) otherwise.
    static func visibleAccount(id: UUID, actor: AdminActor, authorizer: Authorizer, tx: any StoreReader) throws -> Account {
        let missing = AdminError.notFound("account \(id.uuidString.lowercased()) not found")
        let account: Account
        do { account = try tx.account(id: id) } catch StoreError.notFound { throw missing }
        let home = try tx.unit(id: account.unitID).path
        guard authorizer.reach(of: actor, for: Permission.accountViewing).contains(where: { $0.contains(home) }) else { throw missing }
        return account
    }

    /// The account, checked visible, and `permission` checked at its home unit.
    static func account(id: UUID, requiring permission: Permission, actor: AdminActor, authorizer: Authorizer,
                        tx: any StoreReader) throws -> (Account, UnitPath) {
        let account = try visibleAccount(id: id, actor: actor, authorizer: authorizer, tx: tx)
        let home = try tx.unit(id: account.unitID).path
        try authorizer.require(permission, at: home, actor: actor)
        return (account, home)
    }

    // MARK: Creating and editing

    /// Creates an account at `draft.unit`; the actor needs `accounts.create` there.
    public func createAccount(_ draft: AccountDraft, by actor: AdminActor) async throws -> CreatedAccount {
        let username: Username
        do { username = try Username(draft.username) } catch { throw AdminError.invalid(error.description) }
        let displayName: String
        do { displayName = try Text.displayName(draft.displayName) } catch { throw AdminError.invalid(error.description) }
        let email = try Self.checkedEmail(draft.email)
        let provisioningID = try Self.checkedProvisioningID(draft.provisioningID)
        try authorizer.require(.accountsCreate, at: draft.unit, actor: actor)
        var temporary: String?
        let password: String
        if let given = draft.password {
            let problems = passwordProblems(given, username.value, displayName)
            guard problems.isEmpty else { throw AdminError.invalid("the password is not acceptable: " + problems.joined(separator: "; ")) }
            password = given
        } else {
            temporary = Self.temporaryPassword()
            password = temporary!
        }
        let hash: String
        do { hash = try await passwords.hash(password) } catch { throw AdminError.unavailable("password hashing is busy; try again (\(error))") }
        let now = self.now, authorizer = self.authorizer, mustChange = temporary != nil
        let managed = try await write { tx in
            let unit: OrgUnit
            do { unit = try tx.unit(path: draft.unit) } catch StoreError.notFound { throw AdminError.notFound("unit \(draft.unit) not found") }
            try authorizer.require(.accountsCreate, at: unit.path, actor: actor)
            let account = Account(id: UUID(), username: username, displayName: displayName, email: email, unitID: unit.id,
                                  status: draft.active ? .active : .disabled, passwordHash: hash, passwordChangedAt: now,
                                  mustChangePassword: mustChange, provisioningID: provisioningID, createdAt: now)
            try tx.insertAccount(account)
            var detail = ["username": username.value, "status": account.status.rawValue]
            if let provisioningID { detail["provisioning_id"] = provisioningID }
            try tx.appendAudit(actor.record(AdminAuditAction.accountCreate, target: account.id.uuidString, unit: unit.path,
                                            detail: detail, at: now))
            return ManagedAccount(account: account, unit: unit.path, grants: [])
        }
        return CreatedAccount(account: managed, temporaryPassword: temporary)
    }

    /// Applies `patch`, and sets `password` when one is given, in one transaction; with
    /// `ifVersion`, only if the account is still at that version (`If-Match`). Editing
    /// (`patch`'s profile fields and provisioning id) needs `accounts.edit` at the account's
    /// unit (and at the new unit when it moves); enabling or disabling needs `accounts.disable`;
    /// a password needs `accounts.reset_credentials` (see ``setPassword(id:password:ifVersion:by:)``).
    /// A refusal of any part changes nothing. The audit action is `account.password.set` when
    /// a password is set, with the profile changes in its detail.
    public func updateAccount(id: UUID, _ patch: AccountPatch, password: String? = nil, ifVersion: Int? = nil,
                              by actor: AdminActor) async throws -> ManagedAccount {
        let displayName: String?
        do { displayName = try patch.displayName.map(Text.displayName) } catch { throw AdminError.invalid(error.description) }
        let email: String?? = try patch.email.map(Self.checkedEmail)
        let provisioningID: String?? = try patch.provisioningID.map(Self.checkedProvisioningID)
        let authorizer = self.authorizer, now = self.now
        var hash: String?
        if let password { hash = try await passwordHash(password, id: id, displayName: displayName, actor: actor) }
        let profileChanges = patch.displayName != nil || patch.email != nil || patch.unit != nil || patch.provisioningID != nil
        let disabling = patch.active == false
        let required: Permission = profileChanges ? .accountsEdit : hash != nil ? .accountsResetCredentials : .accountsDisable
        let result = try await changeAccount(id: id, endingSessions: disabling || hash != nil) { [hash] tx, account in
            let (current, home) = try Self.account(id: id, requiring: required, actor: actor, authorizer: authorizer, tx: tx)
            if let ifVersion, ifVersion != current.version {
                throw AdminError.preconditionFailed("account '\(current.username)' changed since version \(ifVersion); it is at version \(current.version)")
            }
            var detail: [String: String] = ["username": current.username.value]
            var unitPath = home
            if let displayName { account.displayName = displayName; detail["display_name"] = displayName }
            if let email { account.email = email; detail["email"] = email ?? "" }
            if let provisioningID {
                if let directory = current.source.directoryName {
                    throw AdminError.invalid("account '\(current.username)' is known by its id in directory '\(directory)'; the directory owns it")
                }
                account.provisioningID = provisioningID
                detail["provisioning_id"] = provisioningID ?? ""
            }
            if let target = patch.unit, target != home {
                try authorizer.require(.accountsEdit, at: target, actor: actor)
                let unit: OrgUnit
                do { unit = try tx.unit(path: target) } catch StoreError.notFound { throw AdminError.notFound("unit \(target) not found") }
                account.unitID = unit.id
                detail["from_unit"] = home.description
                unitPath = target
            }
            var action = AdminAuditAction.accountEdit
            if let active = patch.active, active != (current.status == .active) {
                try authorizer.require(.accountsDisable, at: home, actor: actor)
                if actor.accountID == current.id, !active { throw AdminError.forbidden("administrators cannot disable their own account") }
                account.status = active ? .active : .disabled
                if !profileChanges { action = active ? AdminAuditAction.accountEnable : AdminAuditAction.accountDisable }
                detail["status"] = account.status.rawValue
            }
            if let hash {
                try authorizer.require(.accountsResetCredentials, at: home, actor: actor)
                try Self.requireOwnPassword(current)
                account.passwordHash = hash
                account.passwordChangedAt = now
                account.mustChangePassword = false
                action = AdminAuditAction.passwordSet
            }
            return actor.record(action, target: current.id.uuidString, unit: unitPath, detail: detail, at: now)
        }
        return result
    }

    /// Sets the password to `password` (`accounts.reset_credentials` at the account's unit):
    /// checked against the password policy, hashed with Argon2id, not to be changed at the
    /// next login. Every session of the account ends and its refresh tokens are revoked, as
    /// with ``resetPassword(id:by:)``; the audit event `account.password.set` is written in the
    /// same transaction and never holds the password. A directory account's password belongs
    /// to its directory and is refused.
    ///
    /// ```swift
    /// let account = try await admin.setPassword(id: id, password: "Mùa thu Hà Nội 2025!", by: actor)
    /// ```
    public func setPassword(id: UUID, password: String, ifVersion: Int? = nil, by actor: AdminActor) async throws -> ManagedAccount {
        try await updateAccount(id: id, AccountPatch(), password: password, ifVersion: ifVersion, by: actor)
    }

    /// The Argon2id hash of `password` for the account `id`, after the checks that need no
    /// write: the account is visible, the actor holds `accounts.reset_credentials` at its
    /// unit, it is a local account, and the password passes the policy (against the username
    /// and `displayName`, or the stored display name when it does not change).
    private func passwordHash(_ password: String, id: UUID, displayName: String?, actor: AdminActor) async throws -> String {
        let authorizer = self.authorizer
        let (current, _) = try await read { tx in
            try Self.account(id: id, requiring: .accountsResetCredentials, actor: actor, authorizer: authorizer, tx: tx)
        }
        try Self.requireOwnPassword(current)
        let problems = passwordProblems(password, current.username.value, displayName ?? current.displayName)
        guard problems.isEmpty else { throw AdminError.invalid("the password is not acceptable: " + problems.joined(separator: "; ")) }
        do { return try await passwords.hash(password) } catch { throw AdminError.unavailable("password hashing is busy; try again (\(error))") }
    }

    /// Refuses to set the password of a directory account.
    private static func requireOwnPassword(_ account: Account) throws(AdminError) {
        guard let directory = account.source.directoryName else { return }
        throw .invalid("account '\(account.username)' takes its password from directory '\(directory)'; the directory owns this password")
    }

    /// Enables or disables an account (`accounts.disable`). Disabling ends its sessions and
    /// revokes its refresh tokens at once, and tells applications (back-channel logout and the
    /// revocation feed). Enabling also lifts a brute-force lock.
    public func setActive(_ active: Bool, id: UUID, by actor: AdminActor) async throws -> ManagedAccount {
        try await updateAccount(id: id, AccountPatch(active: active), by: actor)
    }

    /// Sets a new temporary password, returned once, which must be changed at the next login;
    /// every session of the account ends (`accounts.reset_credentials`).
    public func resetPassword(id: UUID, by actor: AdminActor) async throws -> (ManagedAccount, temporaryPassword: String) {
        let temporary = Self.temporaryPassword()
        let hash: String
        do { hash = try await passwords.hash(temporary) } catch { throw AdminError.unavailable("password hashing is busy; try again (\(error))") }
        let authorizer = self.authorizer, now = self.now
        let account = try await changeAccount(id: id, endingSessions: true) { tx, account in
            let (current, home) = try Self.account(id: id, requiring: .accountsResetCredentials, actor: actor, authorizer: authorizer, tx: tx)
            guard current.source == .local else {
                throw AdminError.invalid("account '\(current.username)' takes its password from directory '\(current.source.directoryName ?? "")'; reset it there")
            }
            account.passwordHash = hash
            account.passwordChangedAt = now
            account.mustChangePassword = true
            if account.status == .locked { account.status = .active }
            return actor.record(AdminAuditAction.passwordReset, target: current.id.uuidString, unit: home, detail: ["username": current.username.value], at: now)
        }
        return (account, temporary)
    }

    /// Forgets the account's second factor, so it enrols again at the next login; every
    /// session ends (`accounts.reset_credentials`).
    public func resetSecondFactor(id: UUID, by actor: AdminActor) async throws -> ManagedAccount {
        let authorizer = self.authorizer, now = self.now
        return try await changeAccount(id: id, endingSessions: true) { tx, account in
            let (current, home) = try Self.account(id: id, requiring: .accountsResetCredentials, actor: actor, authorizer: authorizer, tx: tx)
            account.clearSecondFactor()
            return actor.record(AdminAuditAction.secondFactorReset, target: current.id.uuidString, unit: home,
                                detail: ["username": current.username.value, "was_enrolled": "\(current.hasSecondFactor)"], at: now)
        }
    }

    /// Deletes an account (`accounts.disable`): it is disabled first, ending its sessions and
    /// telling applications, then removed with its grants. The audit trail keeps its id. With
    /// `ifVersion` (`If-Match`), only if the account is at that version when it is disabled.
    public func deleteAccount(id: UUID, ifVersion: Int? = nil, by actor: AdminActor) async throws {
        let disabled = try await updateAccount(id: id, AccountPatch(active: false), ifVersion: ifVersion, by: actor)
        let now = self.now
        try await write { tx in
            try tx.deleteAccount(id: id)
            try tx.appendAudit(actor.record(AdminAuditAction.accountDelete, target: id.uuidString, unit: disabled.unit,
                                            detail: ["username": disabled.account.username.value], at: now))
        }
    }

    /// One account change through the engine (one transaction with its audit event, sessions
    /// ended when asked), the logouts handed on, the result as administrators see it.
    func changeAccount(id: UUID, endingSessions: Bool,
                       change: @escaping @Sendable (any StoreReader, inout Account) throws -> AuditRecord) async throws -> ManagedAccount {
        let result: AccountChangeResult
        do {
            result = try await engine.changeAccount(id: id, endingSessions: endingSessions, change: change)
        } catch let error as StoreError {
            if case .notFound = error { throw AdminError.notFound("account \(id.uuidString.lowercased()) not found") }
            throw AdminError(error)
        }
        if !result.backchannel.isEmpty { await notify(result.backchannel) }
        return try await read { tx in try Self.managed(result.account, tx: tx) }
    }

    /// Longest provisioning id accepted, in characters.
    static let provisioningIDLimit = 255

    /// A provisioning id as stored: exactly as given (ids are case-exact, RFC 7643 §3.1),
    /// `nil` when empty or blank; one with control characters or over
    /// ``provisioningIDLimit`` characters is refused.
    static func checkedProvisioningID(_ raw: String?) throws(AdminError) -> String? {
        guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard raw.count <= provisioningIDLimit else {
            throw .invalid("an external id has at most \(provisioningIDLimit) characters, not \(raw.count)")
        }
        guard !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid("an external id may not contain control characters")
        }
        return raw
    }

    /// An email address as stored: trimmed, `nil` when empty; a malformed one is refused.
    static func checkedEmail(_ raw: String?) throws(AdminError) -> String? {
        guard let raw else { return nil }
        let email = raw.trimmingCharacters(in: .whitespaces)
        if email.isEmpty { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !email.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw .invalid("'\(email)' is not an email address")
        }
        return email
    }
}

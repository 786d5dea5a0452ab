import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehouseSCIM

/// The User operations of RFC 7644 §3.3–§3.6 on Gatehouse accounts, through ``AdminService``:
/// every one authorised against the caller's grants and audited. The routes and Bulk both
/// call these.
///
/// - Create: `userName` is required; the unit comes from the Gatehouse `unit` or the
///   Enterprise `department`, or is the one subtree where the caller may create accounts.
///   A `password` is checked against the password policy; without one the account gets a
///   temporary password that nobody is shown, so it cannot log in until an administrator
///   resets it (admin API) or it comes from a directory.
/// - `externalId` is the provisioning client's id for a local account (RFC 7643 §3.1), written
///   on create, PUT and PATCH. A directory account's `externalId` is its directory's id and
///   cannot change (`mutability`; a PUT repeating it is fine).
/// - A `password` in PUT or PATCH (replace or add) sets the password through
///   ``AdminService/updateAccount(id:_:password:ifVersion:by:)``: `accounts.reset_credentials`
///   at the account's unit, the password policy, never a directory account's (`mutability`).
/// - `userName` and the Gatehouse extension's derived attributes cannot change (`mutability`).
/// - Replace (PUT) treats a missing `emails` as no address, and a missing `active`, unit or
///   `externalId` as unchanged (RFC 7644 §3.5.1 leaves the choice to the service provider;
///   `externalId` is the client's link to the account, so only an explicit null removes it).
///   PATCH may not remove what every account has (displayName, name, active, the unit).
/// - PUT and PATCH write at the version they read, so a concurrent change is never lost.
///   DELETE with `If-Match` compares the version in the transaction that disables the
///   account before deleting it.
struct SCIMUsers: Sendable {
    let admin: AdminService
    /// The absolute URL of `/scim/v2`, for `meta.location`.
    let base: String

    /// How many times an update is retried when the account changed between read and write
    /// and the client sent no `If-Match`.
    static let retries = 3

    func render(_ managed: ManagedAccount) -> SCIMValue { SCIMUserResource.render(managed, base: base) }

    static func id(_ raw: String) throws(SCIMError) -> UUID {
        guard let id = UUID(uuidString: raw) else { throw .notFound("no User with id \"\(raw)\"") }
        return id
    }

    func get(_ id: String, by actor: AdminActor) async throws -> ManagedAccount {
        try await admin.account(id: try Self.id(id), by: actor)
    }

    func create(_ body: SCIMValue, by actor: AdminActor) async throws -> ManagedAccount {
        try Self.requireUserSchema(body)
        let input = try SCIMUserInput(body)
        guard let userName = input.userName else { throw SCIMError.invalidValue("userName is required") }
        let unit: UnitPath
        if let given = try input.unit() {
            unit = given
        } else {
            let reach = admin.authorizer.reach(of: actor, for: [.accountsCreate])
            guard reach.count == 1 else {
                throw SCIMError.invalidValue("give the unit in \(SCIMSchema.gatehouseUser):unit or \(SCIMSchema.enterpriseUser):department"
                                             + (reach.isEmpty ? "" : "; you may create accounts in " + reach.map(\.description).joined(separator: ", ")))
            }
            unit = reach[0]
        }
        let draft = AccountDraft(username: userName, displayName: input.displayName ?? userName, email: input.email, unit: unit,
                                 password: input.password, active: input.active ?? true, provisioningID: input.externalID)
        return try await admin.createAccount(draft, by: actor).account
    }

    func replace(_ id: String, with body: SCIMValue, ifVersion: Int?, by actor: AdminActor) async throws -> ManagedAccount {
        try Self.requireUserSchema(body)
        let input = try SCIMUserInput(body)
        return try await update(id, ifVersion: ifVersion, by: actor) { current in
            if let userName = input.userName { try Self.requireSameUserName(userName, current) }
            if input.password != nil { try Self.requireLocalPassword(current) }
            var patch = AccountPatch()
            if input.hasExternalID {
                patch.provisioningID = try Self.externalIDChange(from: SCIMUserResource.externalID(of: current.account), to: input.externalID, current)
            }
            let displayName = input.displayName ?? current.account.username.value
            if displayName != current.account.displayName { patch.displayName = displayName }
            if input.email != current.account.email { patch.email = .some(input.email) }
            if let active = input.active, active != (current.account.status == .active) { patch.active = active }
            if let unit = try input.unit(), unit != current.unit { patch.unit = unit }
            return (patch, input.password)
        }
    }

    func patch(_ id: String, with request: SCIMPatchRequest, ifVersion: Int?, by actor: AdminActor) async throws -> ManagedAccount {
        let patcher = SCIMPatcher(readOnlyAttributes: SCIMUserResource.readOnly,
                                  extensionSchemas: [SCIMSchema.enterpriseUser, SCIMSchema.gatehouseUser])
        return try await update(id, ifVersion: ifVersion, by: actor) { current in
            let before = render(current)
            let after = try patcher.apply(request, to: before)
            try Self.requireKept(before: before, after: after)
            let input = try SCIMUserInput(after)
            return (try Self.changes(from: SCIMUserInput(before), to: input, current: current), input.password)
        }
    }

    /// The version check of `If-Match` happens in the transaction that disables the account
    /// before it is deleted, so a change made between the read and the delete is caught.
    func delete(_ id: String, ifVersion: Int?, by actor: AdminActor) async throws {
        try await admin.deleteAccount(id: try Self.id(id), ifVersion: ifVersion, by: actor)
    }

    /// Reads the account, derives the change (a patch and a new password, if any), and writes
    /// it at the version read, so that a concurrent change is never overwritten: with
    /// `If-Match` a stale version is 412, without it the change is derived again from the new
    /// version.
    private func update(_ id: String, ifVersion: Int?, by actor: AdminActor,
                        change: (ManagedAccount) throws -> (AccountPatch, password: String?)) async throws -> ManagedAccount {
        let uuid = try Self.id(id)
        var attempt = 0
        while true {
            attempt += 1
            let current = try await admin.account(id: uuid, by: actor)
            if let ifVersion, ifVersion != current.account.version { throw Self.stale(current, ifVersion) }
            let (patch, password) = try change(current)
            if patch.isEmpty, password == nil { return current }
            do {
                return try await admin.updateAccount(id: uuid, patch, password: password, ifVersion: current.account.version, by: actor)
            } catch AdminError.preconditionFailed(let message) {
                if ifVersion != nil || attempt >= Self.retries { throw AdminError.preconditionFailed(message) }
            }
        }
    }

    /// What a PATCH changed, as an ``AccountPatch``: attributes compared before and after.
    /// The password is not part of it (`after.password` is the new one, if any).
    static func changes(from before: SCIMUserInput, to after: SCIMUserInput, current: ManagedAccount) throws -> AccountPatch {
        if let userName = after.userName { try requireSameUserName(userName, current) } else {
            throw SCIMError.mutability("userName cannot be removed")
        }
        if after.password != nil { try requireLocalPassword(current) }
        var patch = AccountPatch()
        patch.provisioningID = try externalIDChange(from: before.externalID, to: after.externalID, current)
        // displayName and name.formatted are one value: whichever the operations changed wins.
        let formatted = after.formatted != before.formatted ? after.formatted : nil
        guard let displayName = after.displayName != before.displayName ? after.displayName : formatted ?? after.displayName else {
            throw SCIMError.invalidValue("displayName cannot be removed")
        }
        if displayName != before.displayName { patch.displayName = displayName }
        if after.email != before.email { patch.email = .some(after.email) }
        if let active = after.active, active != before.active { patch.active = active }
        let moved = Set(after.units.filter { $0 != current.unit })
        guard moved.count <= 1 else {
            throw SCIMError.invalidValue("the Gatehouse unit and the Enterprise department name different units: "
                                         + moved.map(\.description).sorted().joined(separator: ", "))
        }
        patch.unit = moved.first
        return patch
    }

    /// Attributes every account has; a PATCH that removes one is 400 `invalidValue`, rather
    /// than a success that leaves it in place.
    static let kept: [(schema: String?, name: String, sub: String?)] = [
        (nil, "displayName", nil), (nil, "name", "formatted"), (nil, "active", nil),
        (SCIMSchema.enterpriseUser, "department", nil), (SCIMSchema.gatehouseUser, "unit", nil),
    ]

    static func requireKept(before: SCIMValue, after: SCIMValue) throws(SCIMError) {
        for (schema, name, sub) in kept {
            func value(_ resource: SCIMValue) -> SCIMValue? {
                let container = schema.map { resource.member($0) } ?? resource
                let attribute = container?.member(name)
                let found = sub.map { attribute?.member($0) } ?? attribute
                return found == .null ? nil : found
            }
            if value(before) != nil, value(after) == nil {
                let path = [schema, [name, sub].compactMap { $0 }.joined(separator: ".")].compactMap { $0 }.joined(separator: ":")
                throw .invalidValue("\(path) cannot be removed: every Gatehouse account has one; replace it instead")
            }
        }
    }

    private static func requireSameUserName(_ userName: String, _ current: ManagedAccount) throws {
        let given = (try? Username(userName).value) ?? userName
        guard given == current.account.username.value else {
            throw SCIMError.mutability("userName cannot change (it is \"\(current.account.username.value)\")")
        }
    }

    static func requireUserSchema(_ body: SCIMValue) throws(SCIMError) {
        guard case .array(let schemas)? = body.member("schemas"),
              schemas.contains(where: { if case .string(let s) = $0 { s.lowercased() == SCIMSchema.coreUser.lowercased() } else { false } })
        else { throw .invalidSyntax("schemas must list \(SCIMSchema.coreUser)") }
    }

    /// The new provisioning id when `externalId` goes from `old` to `new`: `nil` when it does
    /// not change, `.some(nil)` when it is removed. A directory account's is refused.
    static func externalIDChange(from old: String?, to new: String?, _ current: ManagedAccount) throws(SCIMError) -> String?? {
        guard new != old else { return nil }
        if let directory = current.account.source.directoryName {
            throw .mutability("externalId of account '\(current.account.username.value)' is its id in directory '\(directory)', "
                              + "and the directory owns it; it cannot change")
        }
        return .some(new)
    }

    /// Refuses a password for a directory account: its directory checks the password.
    static func requireLocalPassword(_ current: ManagedAccount) throws(SCIMError) {
        guard let directory = current.account.source.directoryName else { return }
        throw .mutability("the directory owns this password: account '\(current.account.username.value)' logs in with its password "
                          + "in directory '\(directory)'")
    }

    static func stale(_ current: ManagedAccount, _ version: Int) -> AdminError {
        .preconditionFailed("account '\(current.account.username.value)' changed since version \(version); it is at version \(current.account.version)")
    }
}

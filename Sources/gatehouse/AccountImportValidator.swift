import Foundation
import GatehouseCore

/// Checks the records of an accounts CSV with the rules of `accounts add`: a valid username
/// (listed once in the file), display name and email, an existing home unit, roles that exist
/// and may be granted at their unit's level, a password hash Gatehouse can verify, and a
/// status of `active` or `disabled`.
///
/// `usernames` goes through the records in file order (a username seen before is rejected on
/// its later lines); `row` then checks one record on its own, so records can be checked on
/// several threads at once.
struct AccountImportValidator: Sendable {
    /// Every unit in the store, by path.
    let units: [UnitPath: UUID]
    /// The roles of `Policies/roles.yaml`, by name.
    let roles: [String: Role]
    /// Where the roles are defined, for messages.
    let rolesFile: String

    /// Each record's username, or why the record is rejected: a wrong number of fields, an
    /// invalid username, or one listed on an earlier line.
    func usernames(_ records: some Sequence<CSV.Record>, columns: AccountImportColumns) -> [Result<Username, AccountImportRejection>] {
        var seen: [Username: Int] = [:]
        return records.map { record in
            guard record.fields.count == columns.count else {
                return .failure(AccountImportRejection(line: record.line, reason: "expected \(columns.count) fields, found \(record.fields.count)"))
            }
            do {
                let username = try Username(record.fields[columns.username].trimmedSpaces)
                if let first = seen[username] { throw CLIError("username '\(username)' is listed again (first on line \(first))") }
                seen[username] = record.line
                return .success(username)
            } catch {
                return .failure(AccountImportRejection(line: record.line, reason: "\(error)"))
            }
        }
    }

    /// The row `record` describes, or why it is rejected; `username` comes from `usernames`.
    func row(_ record: CSV.Record, username: Username, columns: AccountImportColumns) -> Result<AccountImportRow, AccountImportRejection> {
        let f = record.fields
        func field(_ i: Int) -> String { f[i].trimmedSpaces }
        do {
            let displayName = try Text.displayName(field(columns.displayName))
            let email = field(columns.email).isEmpty ? nil : try validateEmail(field(columns.email))
            let home = try UnitPath(field(columns.unit))
            guard let unitID = units[home] else { throw CLIError("unit \(home) does not exist") }
            let hash = field(columns.passwordHash)
            if !hash.isEmpty { try LegacyHashCheck.check(hash) }
            let row = AccountImportRow(
                line: record.line, username: username, displayName: displayName, email: email, unitID: unitID,
                passwordHash: hash.isEmpty ? nil : hash, grants: try grants(field(columns.grants)), status: try status(field(columns.status)))
            return .success(row)
        } catch {
            return .failure(AccountImportRejection(line: record.line, reason: "\(error)"))
        }
    }

    /// Space-separated `role@/path`, each role known and grantable at that unit's level.
    private func grants(_ text: String) throws -> Set<GrantKey> {
        var out = Set<GrantKey>()
        for token in text.split(whereSeparator: \.isWhitespace) {
            let grant = try EffectiveGrant(parsing: String(token))
            guard let role = roles[grant.role] else {
                throw CLIError("unknown role '\(grant.role)'; roles are defined in \(rolesFile): \(roles.keys.sorted().joined(separator: ", "))")
            }
            guard role.grantableAt.contains(grant.unit.level) else {
                throw CLIError("role '\(grant.role)' may not be granted at \(grant.unit.level.rawValue) level (\(grant.unit))")
            }
            guard let unitID = units[grant.unit] else { throw CLIError("unit \(grant.unit) of grant \(grant) does not exist") }
            out.insert(GrantKey(role: grant.role, unitID: unitID))
        }
        return out
    }

    private func status(_ text: String) throws -> AccountStatus {
        switch text.lowercased() {
        case "", "active": .active
        case "disabled": .disabled
        default: throw CLIError("status '\(text)' is neither active nor disabled")
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs; the string itself when it has none, which
    /// is the common case and costs no copy.
    var trimmedSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        guard first == " " || first == "\t" || last == " " || last == "\t" else { return self }
        var view = Substring(self).unicodeScalars
        while let c = view.first, c == " " || c == "\t" { view.removeFirst() }
        while let c = view.last, c == " " || c == "\t" { view.removeLast() }
        return String(view)
    }
}

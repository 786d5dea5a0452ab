import Foundation
import GatehouseCore

/// One valid row of an accounts CSV, resolved against the unit tree and the roles: what the
/// account with this username should look like after the import.
struct AccountImportRow: Sendable {
    /// The line the record starts on (the header is line 1).
    var line: Int
    var username: Username
    var displayName: String
    var email: String?
    var unitID: UUID
    /// A legacy or Argon2id verifier, stored as it is; `nil` leaves the stored password alone.
    var passwordHash: String?
    /// Every grant the account should hold, and no other.
    var grants: Set<GrantKey>
    var status: AccountStatus
}

/// A role at a unit, by the unit's id: how grants are compared.
struct GrantKey: Hashable, Sendable {
    var role: String
    var unitID: UUID
}

/// A row that was not imported, reported as `FILE:LINE: reason`.
struct AccountImportRejection: Sendable, Error {
    var line: Int
    var reason: String
}

/// The columns of an accounts CSV, found by name in the header row (any order).
struct AccountImportColumns {
    static let names = ["username", "display_name", "email", "unit", "password_hash", "grants", "status"]

    let username: Int, displayName: Int, email: Int, unit: Int, passwordHash: Int, grants: Int, status: Int
    /// How many fields every record must have.
    let count: Int

    /// Reads the header; every column is required, and unknown or repeated ones are refused.
    init(header: [String]) throws(CLIError) {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let unknown = names.filter { !Self.names.contains($0) }
        guard unknown.isEmpty else {
            throw CLIError("unknown column(s) \(unknown.map { "'\($0)'" }.joined(separator: ", ")); the columns are \(Self.names.joined(separator: ","))")
        }
        let repeated = Set(names.filter { name in names.filter { $0 == name }.count > 1 })
        guard repeated.isEmpty else { throw CLIError("column(s) \(repeated.sorted().joined(separator: ", ")) named twice") }
        let missing = Self.names.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw CLIError("missing column(s) \(missing.joined(separator: ", ")); the columns are \(Self.names.joined(separator: ","))")
        }
        func index(_ name: String) -> Int { names.firstIndex(of: name)! }
        username = index("username"); displayName = index("display_name"); email = index("email"); unit = index("unit")
        passwordHash = index("password_hash"); grants = index("grants"); status = index("status")
        count = names.count
    }
}

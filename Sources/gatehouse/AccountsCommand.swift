import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehousePasswords
import GatehouseServer
import GatehouseStore

struct Accounts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "Manage officials' accounts.",
        subcommands: [Add.self, List.self, Disable.self, Import.self, MFAReset.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a local account, optionally with a password and role grants.")
        @Argument(help: "Username (case-insensitive, stored folded).") var username: String
        @Option(help: "Home unit path.") var unit: String
        @Option(help: "Display name (defaults to the username).") var name: String?
        @Option(help: "Email address.") var email: String?
        @Flag(help: "Read the password from one line of standard input.") var passwordStdin = false
        @Option(name: .customLong("grant"), help: "A role at a unit, ROLE@PATH; repeat for several.") var grants: [String] = []
        @OptionGroup var data: DataOptions

        func run() async throws {
            let policies = try loadPolicies(data)
            let username = try Username(self.username)
            let home = try UnitPath(unit)
            let displayName = try Text.displayName(name ?? self.username)
            let email = try self.email.map(validateEmail)
            let wanted = try grants.map { try EffectiveGrant(parsing: $0) }
            let roles = Dictionary(policies.roles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for grant in wanted {
                guard let role = roles[grant.role] else {
                    throw CLIError("unknown role '\(grant.role)'; roles are defined in \(data.policiesPath)/roles.yaml: \(roles.keys.sorted().joined(separator: ", "))")
                }
                guard role.grantableAt.contains(grant.unit.level) else {
                    throw CLIError("role '\(grant.role)' may not be granted at \(grant.unit.level.rawValue) level (\(grant.unit))")
                }
            }
            var passwordHash: String?
            if passwordStdin {
                let password = try readPasswordLine()
                try checkPassword(password, username: username, displayName: displayName, policies: policies)
                passwordHash = try PasswordHasher(parameters: argon2Parameters(policies)).hash(password)
            }
            let hash = passwordHash
            let account = try await withStore(data) { store in
                try await store.write { tx in
                    let unit = try requireUnit(tx, home)
                    let now = Date()
                    let account = Account(id: UUID(), username: username, displayName: displayName, email: email, unitID: unit.id,
                                          passwordHash: hash, passwordChangedAt: hash == nil ? nil : now, createdAt: now)
                    try tx.insertAccount(account)
                    for grant in wanted {
                        let grantUnit = try requireUnit(tx, grant.unit)
                        try tx.insertGrant(RoleGrant(id: UUID(), accountID: account.id, role: grant.role, unitID: grantUnit.id, createdAt: now))
                    }
                    try tx.appendAudit(AuditRecord(action: "account.create", actor: "cli", target: account.id.uuidString, unit: home,
                                                   detail: ["username": username.value, "grants": wanted.map(\.description).joined(separator: " ")], time: now))
                    return account
                }
            }
            print("created \(account.username) (\(account.id)) at \(home)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts, optionally only those in a unit's subtree.")
        @Option(help: "Only accounts whose home unit is in this subtree.") var unit: String?
        @Option(help: "Only usernames starting with this.") var prefix: String?
        @Option(help: "At most this many.") var limit = 1_000
        @OptionGroup var data: DataOptions

        func run() async throws {
            let query = AccountQuery(subtree: try unit.map { try UnitPath($0) }, usernamePrefix: prefix.map { Text.nfc($0).lowercased() })
            let limit = self.limit
            let rows = try await withStore(data) { store in
                try await store.read { tx in
                    let accounts = try tx.accounts(query, page: Page(limit: limit))
                    var paths: [UUID: UnitPath] = [:]
                    return try accounts.map { a in
                        if paths[a.unitID] == nil { paths[a.unitID] = try tx.unit(id: a.unitID).path }
                        return (a, paths[a.unitID]!)
                    }
                }
            }
            for (account, path) in rows {
                print([account.username.value.padded(28), account.status.rawValue.padded(9), path.description.padded(36), account.displayName].joined(separator: " "))
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: it can no longer log in, and its sessions, refresh tokens and access tokens end at once.",
            discussion: """
                In one transaction: the account is disabled, its sessions and refresh tokens are revoked, and the revocation \
                feed tells applications to refuse its access tokens. Applications of its sessions that registered a \
                back-channel logout URI are queued a logout token, which the running server delivers.
                """)
        @Argument var username: String
        @Option(help: "Issuer URL the logout tokens name: the server's (env GATEHOUSE_ISSUER; default http://GATEHOUSE_HOST:GATEHOUSE_PORT, as serve).")
        var issuer: String?
        @OptionGroup var data: DataOptions

        func run() async throws {
            let username = try Username(self.username)
            let result = try await runAccountOperation(data, issuerOption: issuer, backchannel: \.backchannel) { engine in
                try await engine.disableAccount(username: username, actor: "cli")
            }
            print("disabled \(username); " + sessionsEndedSummary(sessions: result.sessionsEnded.count, families: result.refreshFamiliesRevoked.count,
                                                               backchannel: result.backchannel.count))
        }
    }
}

/// The unit at `path`, or a clear error.
func requireUnit(_ tx: any StoreReader, _ path: UnitPath) throws -> OrgUnit {
    do { return try tx.unit(path: path) } catch StoreError.notFound {
        throw CLIError("unit \(path) does not exist")
    }
}

func validateEmail(_ raw: String) throws -> String {
    let e = raw.trimmingCharacters(in: .whitespaces)
    let parts = e.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), e.count <= 254, !e.contains(where: \.isWhitespace) else {
        throw DomainError.invalidEmail(raw)
    }
    return e
}

/// One line from standard input without its line ending; an empty line is refused.
func readPasswordLine() throws -> String {
    guard var line = readLine(strippingNewline: true) else { throw CLIError("--password-stdin: no line on standard input") }
    if line.hasSuffix("\r") { line.removeLast() }
    guard !line.isEmpty else { throw CLIError("--password-stdin: the password is empty") }
    return line
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

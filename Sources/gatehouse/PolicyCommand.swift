import ArgumentParser
import Foundation
import GatehouseCore
import GatehousePolicy
import GatehouseStore

struct Policy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Validate the policy files.",
        subcommands: [Check.self, Explain.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate every file in the policy folder; print each problem as file:line:column: message.")
        @OptionGroup var data: DataOptions

        func run() async throws {
            let policies: PolicySet
            do { policies = try PolicySet.load(directory: data.policiesPath) } catch {
                FileHandle.standardError.write(Data((error.issues.map { "gatehouse: \($0)" }.joined(separator: "\n") + "\n").utf8))
                throw ExitCode(1)
            }
            print("\(data.policiesPath): ok (\(policies.roles.count) roles, \(policies.clients.count) clients, \(policies.ldap.directories.count) directories)")
        }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether an account may perform an action at a unit, and which grant allows it or why not.",
            discussion: "ACTION is a permission such as accounts.create, or grant:ROLE to ask whether the account may grant ROLE there. Exits 0 when allowed, 3 when denied."
        )
        @Option(help: "Username.") var account: String
        @Option(help: "A permission (accounts.create, roles.grant, documents.read, …) or grant:ROLE.") var action: String
        @Option(help: "Unit path.") var unit: String
        @OptionGroup var data: DataOptions

        func run() async throws {
            let policies = try loadPolicies(data)
            let username = try Username(account)
            let path = try UnitPath(unit)
            let authorizer = Authorizer(roles: policies.roles)
            let (grants, exists) = try await withStore(data) { store in
                try await store.read { tx -> ([EffectiveGrant], Bool) in
                    let account = try tx.account(username: username)
                    _ = try requireUnit(tx, path)
                    return (try tx.effectiveGrants(accountID: account.id), account.status == .active)
                }
            }
            let decision: Decision
            if action.hasPrefix("grant:") {
                decision = authorizer.mayGrant(String(action.dropFirst("grant:".count)), at: path, grants: grants)
            } else {
                decision = authorizer.decide(Permission(rawValue: action), at: path, grants: grants)
            }
            print("\(username) \(action) at \(path): \(decision)")
            print("grants: \(grants.isEmpty ? "none" : grants.map(\.description).joined(separator: ", "))")
            if !exists { print("note: the account is not active, so it can do nothing until re-enabled") }
            if !decision.isAllowed || !exists { throw ExitCode(3) }
        }
    }
}

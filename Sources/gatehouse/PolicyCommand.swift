import ArgumentParser
import Foundation
import GatehousePolicy

struct Policy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Validate the policy files.",
        subcommands: [Check.self]
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
}

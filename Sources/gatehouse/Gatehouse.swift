import ArgumentParser
import Foundation

/// `gatehouse`: serve, and administer units, accounts, keys, policies and the audit log.
/// The only place that chooses storage backends.
@main
struct Gatehouse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "Gatehouse single sign-on: serve, and administer units, accounts, clients, keys, policies and the audit log.",
        subcommands: [Serve.self, Keys.self, Units.self, Accounts.self, Clients.self, Policy.self, Audit.self, LDAP.self]
    )

    /// Parses and runs; a failure of the command itself is one clear line on stderr and exit 1.
    /// Usage errors keep ArgumentParser's message (with the usage line) and exit 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("gatehouse: \(error.message)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch let error as any CustomStringConvertible & Error where !(error is any ParsableArguments) && Self.isOwnError(error) {
            FileHandle.standardError.write(Data("gatehouse: \(error.description)\n".utf8))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }

    /// Errors from Gatehouse's own modules (store, domain, policy, keys) print as one line;
    /// ArgumentParser's own errors (help, usage) go through its formatter.
    static func isOwnError(_ error: any Error) -> Bool {
        let module = String(reflecting: type(of: error))
        return module.hasPrefix("Gatehouse")
    }
}

/// A failure of a command, printed as `gatehouse: MESSAGE`.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32 = 1
    init(_ message: String, exitCode: Int32 = 1) { self.message = message; self.exitCode = exitCode }
    var description: String { message }
}

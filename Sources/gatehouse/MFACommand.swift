import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseOAuth
import GatehouseServer

extension Accounts {
    /// `gatehouse accounts mfa-reset USERNAME`: forgets an account's second factor.
    struct MFAReset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mfa-reset",
            abstract: "Forget an account's second factor (lost phone, leaked secret) and end its sessions.",
            discussion: """
                In one transaction: the account's TOTP secret, recovery codes and replay guard are cleared, its sessions and \
                refresh tokens are revoked, the revocation feed tells applications to refuse its access tokens, and \
                account.mfa.reset is audited. The account stays active; at its next login it enrols a new second factor if its \
                roles, its unit or an application require one. Back-channel logouts are queued for the running server.
                """)
        @Argument(help: "Username.") var username: String
        @Option(help: "Issuer URL the logout tokens name: the server's (env GATEHOUSE_ISSUER; default http://GATEHOUSE_HOST:GATEHOUSE_PORT, as serve).")
        var issuer: String?
        @OptionGroup var data: DataOptions

        func run() async throws {
            let username = try Username(self.username)
            let result = try await runAccountOperation(data, issuerOption: issuer, backchannel: \.backchannel) { engine in
                try await engine.resetSecondFactor(username: username, actor: "cli")
            }
            let summary = sessionsEndedSummary(sessions: result.sessionsEnded.count, families: result.refreshFamiliesRevoked.count,
                                               backchannel: result.backchannel.count)
            print((result.wasEnrolled ? "reset the second factor of \(username)" : "\(username) had no second factor") + "; " + summary)
        }
    }
}

import Foundation
import GatehouseOAuth
import GatehousePolicy
import GatehouseServer
import GatehouseStore

/// Disables accounts a batch marked, the way `accounts disable` does: sessions and refresh
/// tokens end, the revocation feed announces it, back-channel logouts are queued.
struct AccountImportDisabler {
    let engine: OAuthEngine
    let store: any Store

    init(data: DataOptions, policies: PolicySet, issuer: String, store: any Store) throws {
        engine = try administrativeEngine(data, policies: policies, issuer: issuer, store: store)
        self.store = store
    }

    func disable(_ accounts: [(id: UUID, line: Int)], file: String) async throws {
        for account in accounts {
            do {
                let result = try await engine.disableAccount(id: account.id, actor: "cli")
                await BackchannelDispatcher(store: store).notify(result.backchannel)
            } catch {
                throw CLIError("\(file):\(account.line): the account was not disabled (\(error)); run the import again to retry")
            }
        }
    }
}

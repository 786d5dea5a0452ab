public import Foundation
public import GatehouseLDAP
public import GatehouseOAuth

/// The synchronisation's way to disable an account: the engine's account-disable operation
/// (status, sessions, refresh tokens, a `sub` revocation, one audit event), then the
/// back-channel logouts it signs handed to `notifier`.
public struct EngineAccountDisabler: DirectoryAccountDisabler {
    public let engine: OAuthEngine
    public let notifier: any LogoutNotifier

    public init(engine: OAuthEngine, notifier: any LogoutNotifier) {
        self.engine = engine
        self.notifier = notifier
    }

    public func disableAccount(id: UUID, actor: String) async throws {
        let result = try await engine.disableAccount(id: id, actor: actor)
        await notifier.notify(result.backchannel)
    }
}

import Foundation
import GatehouseCore
import GatehouseKeys
import GatehouseOAuth
import GatehousePolicy
import GatehouseServer
import GatehouseStore

extension TokenPolicy {
    /// The engine's lifetimes, as `Policies/tokens.yaml` sets them.
    var lifetimes: TokenLifetimes {
        TokenLifetimes(
            accessToken: accessTokenLifetime, idToken: idTokenLifetime, refreshToken: refreshTokenLifetime,
            refreshTokenIdle: refreshTokenIdle, authorizationCode: authorizationCodeLifetime, sessionIdle: sessionIdle,
            sessionAbsolute: sessionAbsolute)
    }
}

/// The issuer `serve` would have with the same environment: `option`, else `GATEHOUSE_ISSUER`,
/// else `http://GATEHOUSE_HOST:GATEHOUSE_PORT` (default `http://127.0.0.1:8080`).
func configuredIssuer(_ option: String?) -> String {
    option ?? env("GATEHOUSE_ISSUER") ?? "http://\(env("GATEHOUSE_HOST") ?? "127.0.0.1"):\(env("GATEHOUSE_PORT") ?? "8080")"
}

/// The protocol engine for an administrative command that changes protocol state outside the
/// server (ending sessions, signing back-channel logout tokens, announcing revocations), with
/// the policies, keys and issuer `serve` uses. Such commands authenticate no client, so the
/// engine is given no client-secret pepper.
func administrativeEngine(_ data: DataOptions, policies: PolicySet, issuer: String, store: any Store) throws -> OAuthEngine {
    let ring: KeyRing
    do { ring = try KeyRing.load(directory: data.keysPath) } catch { throw CLIError("\(error)") }
    let tokens = policies.tokens
    return OAuthEngine(
        configuration: OAuthConfiguration(
            issuer: issuer, lifetimes: tokens.lifetimes, accessTokenAlgorithm: tokens.accessTokenSigningAlg.jose,
            idTokenAlgorithm: tokens.idTokenSigningAlg.jose, clientSecretPepper: [],
            roles: Dictionary(policies.roles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }), clockSkew: tokens.clockSkew,
            // As `serve` signs them, so the server's dispatcher can retry as long.
            logoutTokenLifetime: ServeDefaults.logoutTokenLifetime),
        store: store, keys: ring)
}

/// Values `serve` and the administrative commands share.
enum ServeDefaults {
    /// Long enough for the back-channel retries to reach an application that is briefly down
    /// (a delivery is abandoned once its token has expired).
    static let logoutTokenLifetime: TimeInterval = 600
}

/// Runs an administrative account operation (disable, second-factor reset) with the engine
/// over the store, then queues the back-channel logouts it returned: they are recorded in the
/// store, and the running server's dispatcher finds and sends them.
func runAccountOperation<R: Sendable>(
    _ data: DataOptions, issuerOption: String?, backchannel: @escaping @Sendable (R) -> [BackchannelLogout],
    _ operation: @escaping @Sendable (OAuthEngine) async throws -> R
) async throws -> R {
    let policies = try loadPolicies(data)
    let issuer = configuredIssuer(issuerOption)
    return try await withStore(data) { store in
        let result = try await operation(try administrativeEngine(data, policies: policies, issuer: issuer, store: store))
        await BackchannelDispatcher(store: store).notify(backchannel(result))
        return result
    }
}

/// "ended N session(s), revoked M refresh token families", and the back-channel logouts queued.
func sessionsEndedSummary(sessions: Int, families: Int, backchannel: Int) -> String {
    var line = "ended \(sessions) session(s), revoked \(families) refresh token famil\(families == 1 ? "y" : "ies")"
    if backchannel > 0 { line += ", queued \(backchannel) back-channel logout(s)" }
    return line
}

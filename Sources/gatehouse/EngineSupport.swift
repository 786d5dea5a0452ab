import Foundation
import GatehouseCore
import GatehouseKeys
import GatehouseOAuth
import GatehousePolicy
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

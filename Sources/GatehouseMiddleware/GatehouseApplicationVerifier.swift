public import AsyncHTTPClient
public import Foundation
public import GatehouseJOSE
public import Logging

/// Everything an application needs to accept Gatehouse logins, set up in one call:
/// discovery, the JWK Set cache (loaded once), the revocation list and the token verifier.
///
/// ```swift
/// let gatehouse = try await GatehouseApplicationVerifier.discover(
///     GatehouseVerifierConfiguration(issuer: "https://sso.example.gov.vn", audience: "notices"))
/// let router = Router(context: BasicIdentityRequestContext.self)
/// router.add(middleware: gatehouse.verifier.bearerMiddleware(for: BasicIdentityRequestContext.self))
/// router.group("/notices").add(middleware: gatehouse.verifier.requireRole("clerk", at: .catchAll,
///                                                                        for: BasicIdentityRequestContext.self))
/// ```
public final class GatehouseApplicationVerifier: Sendable {
    /// What is accepted.
    public let configuration: GatehouseVerifierConfiguration
    /// The provider's discovery document.
    public let metadata: ProviderMetadata
    /// The client used for the provider (discovery, keys, and for the feed or token requests built on top).
    public let httpClient: HTTPClient
    /// The provider's keys.
    public let keys: JWKSCache
    /// Revoked sessions, subjects, tokens and grants, consulted by ``verifier``.
    public let revocations: RevocationList
    /// The access-token verifier.
    public let verifier: TokenVerifier
    /// The logger the parts share.
    public let logger: Logger

    /// Assembles the parts from a discovery document already in hand; nothing is fetched, so
    /// call `keys.refresh()` before serving.
    public init(configuration: GatehouseVerifierConfiguration, metadata: ProviderMetadata, httpClient: HTTPClient,
                revocations: RevocationList = RevocationList(), logger: Logger = Logger(label: "gatehouse.middleware"),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.metadata = metadata
        self.httpClient = httpClient
        self.revocations = revocations
        self.logger = logger
        keys = JWKSCache(jwksURI: metadata.jwksURI, httpClient: httpClient, configuration: configuration, logger: logger, now: now)
        verifier = TokenVerifier(configuration: configuration, keys: keys, revocations: revocations, logger: logger)
    }

    /// Discovers the provider of `configuration.issuer` (checking its `issuer`, OpenID Connect
    /// Discovery 1.0 §4.3) and loads its JWK Set.
    ///
    /// ```swift
    /// let gatehouse = try await GatehouseApplicationVerifier.discover(configuration, httpClient: .shared)
    /// let identity = try await gatehouse.verifier.verify(token)
    /// ```
    /// - Throws: ``ProviderError`` when either fetch fails: an application should not start
    ///   serving without keys.
    public static func discover(_ configuration: GatehouseVerifierConfiguration, httpClient: HTTPClient = .shared,
                                revocations: RevocationList = RevocationList(),
                                logger: Logger = Logger(label: "gatehouse.middleware"),
                                now: @escaping @Sendable () -> Date = { Date() }) async throws(ProviderError) -> GatehouseApplicationVerifier {
        let metadata = try await ProviderMetadata.discover(configuration, httpClient: httpClient)
        let gatehouse = GatehouseApplicationVerifier(configuration: configuration, metadata: metadata, httpClient: httpClient,
                                                     revocations: revocations, logger: logger, now: now)
        try await gatehouse.keys.refresh()
        return gatehouse
    }

    /// The provider's keys for a JWS header's `kid`, refetched once when unknown: the key
    /// source for ID tokens and back-channel logout tokens.
    ///
    /// ```swift
    /// let receiver = BackchannelLogoutReceiver(issuer: gatehouse.metadata.issuer, clientID: "notices",
    ///                                          keys: gatehouse.keySource, revocations: gatehouse.revocations)
    /// ```
    public var keySource: @Sendable (String?) async throws -> VerificationKeySet {
        { [keys] keyID in try await keys.keys(forKeyID: keyID) }
    }
}

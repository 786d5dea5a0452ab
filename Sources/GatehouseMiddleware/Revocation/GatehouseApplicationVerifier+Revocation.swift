import Foundation

extension GatehouseApplicationVerifier {
    /// The revocation feed of this provider, filling ``revocations``; `nil` when its discovery
    /// document advertises no `gatehouse_revocation_feed_endpoint`.
    ///
    /// ```swift
    /// let feed = try #require(gatehouse.revocationFeed(clientID: "notices", clientSecret: secret))
    /// try await feed.poll()
    /// ```
    public func revocationFeed(clientID: String, clientSecret: String, latency: Duration = .seconds(5)) -> RevocationFeed? {
        metadata.revocationFeedEndpoint.map {
            RevocationFeed(endpoint: $0, clientID: clientID, clientSecret: clientSecret, httpClient: httpClient,
                           revocations: revocations, latency: latency, logger: logger)
        }
    }

    /// A back-channel logout receiver for `clientID` that records into ``revocations``.
    public func backchannelLogoutReceiver(clientID: String) -> BackchannelLogoutReceiver {
        BackchannelLogoutReceiver(issuer: metadata.issuer, clientID: clientID, keys: keySource, revocations: revocations,
                                  allowedAlgorithms: configuration.allowedAlgorithms, leeway: configuration.leeway)
    }

    /// A relying party for server-rendered pages, using this provider's endpoints, keys and
    /// revocations.
    public func relyingParty(_ configuration: RelyingPartyConfiguration) -> RelyingParty {
        RelyingParty(configuration: configuration, issuer: metadata.issuer, authorizationEndpoint: metadata.authorizationEndpoint,
                     tokenEndpoint: metadata.tokenEndpoint, endSessionEndpoint: metadata.endSessionEndpoint,
                     httpClient: httpClient, keys: keySource, revocations: revocations)
    }
}

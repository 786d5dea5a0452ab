public import AsyncHTTPClient
public import Foundation
public import Logging

extension JWKSCache {
    /// A cache that fetches `jwksURI` with `httpClient`, within the configuration's timeout and
    /// size limit and with its ``KeyCachePolicy``. It starts empty: call ``refresh()``.
    ///
    /// ```swift
    /// let cache = JWKSCache(jwksURI: metadata.jwksURI, httpClient: .shared, configuration: configuration)
    /// try await cache.refresh()
    /// ```
    public convenience init(jwksURI: String, httpClient: HTTPClient, configuration: GatehouseVerifierConfiguration,
                            logger: Logger = Logger(label: "gatehouse.jwks"), now: @escaping @Sendable () -> Date = { Date() }) {
        let http = ProviderHTTP(client: httpClient, timeout: configuration.httpTimeout, maximumSize: configuration.maximumResponseSize)
        self.init(policy: configuration.keyCache, logger: logger, now: now) { try await http.get(jwksURI) }
    }
}

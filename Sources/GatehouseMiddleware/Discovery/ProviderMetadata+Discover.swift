public import AsyncHTTPClient
public import Foundation

extension ProviderMetadata {
    /// Fetches and checks the discovery document of `issuer` (OpenID Connect Discovery 1.0 §4).
    ///
    /// ```swift
    /// let metadata = try await ProviderMetadata.discover(issuer: issuer, httpClient: .shared, timeout: 5)
    /// ```
    /// - Throws: ``ProviderError``: `insecureURL` for an issuer that is not `https`,
    ///   `unreachable`, `httpStatus`, `responseTooLarge`, or the errors of ``init(json:expectedIssuer:)``.
    public static func discover(issuer: String, httpClient: HTTPClient, timeout: TimeInterval = 10,
                                maximumResponseSize: Int = 256 * 1024) async throws(ProviderError) -> ProviderMetadata {
        try ProviderURL.check(issuer, "the issuer")
        let http = ProviderHTTP(client: httpClient, timeout: timeout, maximumSize: maximumResponseSize)
        let document = try await http.get(discoveryURL(issuer: issuer))
        return try ProviderMetadata(json: document.body, expectedIssuer: issuer)
    }

    /// Fetches the discovery document of `configuration.issuer` with its timeout and size limit.
    ///
    /// ```swift
    /// let metadata = try await ProviderMetadata.discover(configuration, httpClient: .shared)
    /// ```
    public static func discover(_ configuration: GatehouseVerifierConfiguration,
                                httpClient: HTTPClient) async throws(ProviderError) -> ProviderMetadata {
        try await discover(issuer: configuration.issuer, httpClient: httpClient, timeout: configuration.httpTimeout,
                           maximumResponseSize: configuration.maximumResponseSize)
    }
}

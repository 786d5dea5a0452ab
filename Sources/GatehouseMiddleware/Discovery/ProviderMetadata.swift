import Foundation
public import GatehouseJOSE

/// The OpenID Provider Metadata an application needs (OpenID Connect Discovery 1.0 §3,
/// RFC 8414 §2), read from `{issuer}/.well-known/openid-configuration`.
///
/// The document's `issuer` must equal the configured issuer exactly (§4.3), and every
/// endpoint must use `https` (or `http` on a loopback address).
///
/// ```swift
/// let metadata = try await ProviderMetadata.discover(issuer: "https://sso.example.gov.vn", httpClient: .shared)
/// print(metadata.jwksURI, metadata.revocationFeedEndpoint ?? "no feed")
/// ```
public struct ProviderMetadata: Sendable, Hashable {
    /// `issuer`, equal to the configured issuer.
    public var issuer: String
    /// `jwks_uri`: the provider's JWK Set (RFC 7517 §5).
    public var jwksURI: String
    /// `authorization_endpoint` (RFC 6749 §3.1).
    public var authorizationEndpoint: String
    /// `token_endpoint` (RFC 6749 §3.2).
    public var tokenEndpoint: String
    /// `userinfo_endpoint` (OpenID Connect Core 1.0 §5.3).
    public var userinfoEndpoint: String?
    /// `end_session_endpoint` (OpenID Connect RP-Initiated Logout 1.0 §2.1).
    public var endSessionEndpoint: String?
    /// `introspection_endpoint` (RFC 7662, RFC 8414 §2).
    public var introspectionEndpoint: String?
    /// `revocation_endpoint` (RFC 7009, RFC 8414 §2).
    public var revocationEndpoint: String?
    /// `gatehouse_revocation_feed_endpoint`: Gatehouse's feed of ended sessions and revoked tokens.
    public var revocationFeedEndpoint: String?
    /// The whole document, for members not modelled here.
    public var document: [String: JSONValue]

    /// The discovery URL of `issuer`: a terminating `/` removed, then
    /// `/.well-known/openid-configuration` appended (OpenID Connect Discovery 1.0 §4).
    public static func discoveryURL(issuer: String) -> String {
        (issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer) + "/.well-known/openid-configuration"
    }

    /// Reads a discovery document and checks it belongs to `expectedIssuer`.
    /// - Throws: ``ProviderError/Code/invalidDocument`` for JSON that is not an object or lacks
    ///   `issuer`, `jwks_uri`, `authorization_endpoint` or `token_endpoint`;
    ///   ``ProviderError/Code/issuerMismatch`` (§4.3); ``ProviderError/Code/insecureURL``.
    public init(json: [UInt8], expectedIssuer: String) throws(ProviderError) {
        let document: [String: JSONValue]
        do {
            guard let object = try JSONValue(json: json).objectValue else { throw ProviderError(.invalidDocument) }
            document = object
        } catch {
            throw ProviderError(.invalidDocument, "the discovery document is not a JSON object")
        }
        func required(_ name: String) throws(ProviderError) -> String {
            guard let value = document[name]?.stringValue, !value.isEmpty else {
                throw ProviderError(.invalidDocument, "the discovery document has no \(name)")
            }
            return value
        }
        let issuer = try required("issuer")
        guard issuer == expectedIssuer else {
            throw ProviderError(.issuerMismatch, "the discovery document names issuer \(issuer), expected \(expectedIssuer)")
        }
        self.issuer = issuer
        self.document = document
        jwksURI = try required("jwks_uri")
        authorizationEndpoint = try required("authorization_endpoint")
        tokenEndpoint = try required("token_endpoint")
        userinfoEndpoint = document["userinfo_endpoint"]?.stringValue
        endSessionEndpoint = document["end_session_endpoint"]?.stringValue
        introspectionEndpoint = document["introspection_endpoint"]?.stringValue
        revocationEndpoint = document["revocation_endpoint"]?.stringValue
        revocationFeedEndpoint = document["gatehouse_revocation_feed_endpoint"]?.stringValue
        let endpoints: [(String, String?)] = [
            ("jwks_uri", jwksURI), ("authorization_endpoint", authorizationEndpoint), ("token_endpoint", tokenEndpoint),
            ("userinfo_endpoint", userinfoEndpoint), ("end_session_endpoint", endSessionEndpoint),
            ("introspection_endpoint", introspectionEndpoint), ("revocation_endpoint", revocationEndpoint),
            ("gatehouse_revocation_feed_endpoint", revocationFeedEndpoint),
        ]
        for case let (name, url?) in endpoints { try ProviderURL.check(url, name) }
    }
}

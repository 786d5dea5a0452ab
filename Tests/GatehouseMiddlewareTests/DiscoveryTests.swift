import AsyncHTTPClient
import Foundation
import GatehouseJOSE
import GatehouseMiddleware
import Testing

/// OpenID Connect Discovery 1.0 as an application reads it.
@Suite struct DiscoveryTests {
    @Test func theDocumentIsReadAndItsEndpointsExposed() async throws {
        try await TestIssuer.withRunning { issuer in
            let metadata = try await ProviderMetadata.discover(issuer.configuration, httpClient: .shared)
            #expect(metadata.issuer == issuer.issuer)
            #expect(metadata.jwksURI == issuer.jwksURI)
            #expect(metadata.authorizationEndpoint == issuer.issuer + "/authorize")
            #expect(metadata.tokenEndpoint == issuer.issuer + "/token")
            #expect(metadata.endSessionEndpoint == issuer.issuer + "/logout")
            #expect(metadata.introspectionEndpoint == issuer.issuer + "/introspect")
            #expect(metadata.revocationFeedEndpoint == issuer.issuer + "/revocations")
            #expect(metadata.document["id_token_signing_alg_values_supported"] == ["ES256", "EdDSA", "RS256"])
            #expect(issuer.discoveryRequests == 1)
        }
    }

    /// §4.3: the `issuer` in the document must be exactly the one configured, or an attacker
    /// controlling a document could impersonate another provider.
    @Test func anotherIssuerInTheDocumentIsRefused() async throws {
        try await TestIssuer.withRunning { issuer in
            issuer.advertiseIssuer("https://sso.example.gov.vn")
            await #expect(throws: ProviderError(.issuerMismatch)) {
                try await ProviderMetadata.discover(issuer.configuration, httpClient: .shared)
            }
            issuer.advertiseIssuer(nil)
            var withSlash = issuer.configuration
            withSlash.issuer += "/"      // the URL drops it, the comparison does not
            await #expect(throws: ProviderError(.issuerMismatch)) {
                try await GatehouseApplicationVerifier.discover(withSlash, httpClient: .shared)
            }
        }
    }

    @Test func plainHTTPIsRefusedExceptOnLoopback() async throws {
        await #expect(throws: ProviderError(.insecureURL)) {
            try await ProviderMetadata.discover(issuer: "http://sso.example.gov.vn", httpClient: .shared)
        }
        await #expect(throws: ProviderError(.insecureURL)) {
            try await ProviderMetadata.discover(issuer: "sso.example.gov.vn", httpClient: .shared)
        }
        try await TestIssuer.withRunning { issuer in
            issuer.overrideDiscovery(["jwks_uri": "http://keys.example.gov.vn/jwks"])
            await #expect(throws: ProviderError(.insecureURL)) {
                try await ProviderMetadata.discover(issuer.configuration, httpClient: .shared)
            }
            issuer.overrideDiscovery(["jwks_uri": .string(issuer.jwksURI), "token_endpoint": "http://sso.example.gov.vn/token"])
            await #expect(throws: ProviderError(.insecureURL)) {
                try await ProviderMetadata.discover(issuer.configuration, httpClient: .shared)
            }
        }
    }

    @Test func anOversizedDocumentIsRefused() async throws {
        try await TestIssuer.withRunning { issuer in
            issuer.overrideDiscovery(["padding": .string(String(repeating: "x", count: 300 * 1024))])
            await #expect(throws: ProviderError(.responseTooLarge)) {
                try await ProviderMetadata.discover(issuer.configuration, httpClient: .shared)
            }
        }
    }

    @Test func documentsWithoutRequiredMembersAreRefused() throws {
        let issuer = "https://sso.example.gov.vn"
        let complete: [String: JSONValue] = [
            "issuer": .string(issuer), "jwks_uri": "https://sso.example.gov.vn/jwks",
            "authorization_endpoint": "https://sso.example.gov.vn/authorize", "token_endpoint": "https://sso.example.gov.vn/token",
        ]
        func json(_ object: [String: JSONValue]) throws -> [UInt8] { Array(try JSONEncoder().encode(JSONValue.object(object))) }
        let metadata = try ProviderMetadata(json: json(complete), expectedIssuer: issuer)
        #expect(metadata.revocationFeedEndpoint == nil && metadata.endSessionEndpoint == nil)
        for name in complete.keys {
            var partial = complete
            partial[name] = nil
            #expect(throws: ProviderError(.invalidDocument)) { try ProviderMetadata(json: json(partial), expectedIssuer: issuer) }
        }
        #expect(throws: ProviderError(.invalidDocument)) { try ProviderMetadata(json: Array("[]".utf8), expectedIssuer: issuer) }
        #expect(throws: ProviderError(.invalidDocument)) { try ProviderMetadata(json: Array("<html>".utf8), expectedIssuer: issuer) }
        #expect(throws: ProviderError(.invalidDocument)) {
            try ProviderMetadata(json: Array(#"{"issuer":"a","issuer":"b"}"#.utf8), expectedIssuer: issuer)
        }
    }

    @Test func anUnreachableOrFailingProviderStopsStartUp() async throws {
        var stopped = try await TestIssuer.withRunning { issuer in
            await issuer.stop()
            return issuer.configuration
        }
        stopped.httpTimeout = 1   // the client retries a refused connection until then
        await #expect(throws: ProviderError(.unreachable)) { try await GatehouseApplicationVerifier.discover(stopped, httpClient: .shared) }
        try await TestIssuer.withRunning { issuer in
            issuer.setOutage(.serverError)
            await #expect(throws: ProviderError(.httpStatus)) {
                try await GatehouseApplicationVerifier.discover(issuer.configuration, httpClient: .shared)
            }
            issuer.setOutage(.privateKeyMembers)
            await #expect(throws: ProviderError(.privateKeyMaterial)) {
                try await GatehouseApplicationVerifier.discover(issuer.configuration, httpClient: .shared)
            }
        }
    }

    @Test func theDiscoveryURLDropsATrailingSlash() {
        #expect(ProviderMetadata.discoveryURL(issuer: "https://a.example/tenant/") == "https://a.example/tenant/.well-known/openid-configuration")
        #expect(ProviderMetadata.discoveryURL(issuer: "https://a.example") == "https://a.example/.well-known/openid-configuration")
    }
}

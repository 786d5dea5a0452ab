import Foundation
import GatehouseJOSE
import GatehouseOAuth
import Testing

@Suite("Discovery and JWKS")
struct DiscoveryTests {
    @Test("the document lists exactly what is supported (OIDC Discovery §3, RFC 8414, RFC 9207)")
    func document() async throws {
        try await Harness.with { h in
            let d = h.engine.discoveryDocument()
            #expect(d["issuer"] == "https://sso.example.gov.vn")
            #expect(d["authorization_endpoint"] == "https://sso.example.gov.vn/authorize")
            #expect(d["token_endpoint"] == "https://sso.example.gov.vn/token")
            #expect(d["userinfo_endpoint"] == "https://sso.example.gov.vn/userinfo")
            #expect(d["jwks_uri"] == "https://sso.example.gov.vn/jwks")
            #expect(d["end_session_endpoint"] == "https://sso.example.gov.vn/logout")
            #expect(d["response_types_supported"] == ["code"])
            #expect(d["code_challenge_methods_supported"] == ["S256"])
            #expect(d["grant_types_supported"] == ["authorization_code", "refresh_token", "client_credentials"])
            #expect(d["subject_types_supported"] == ["public"])
            #expect(d["id_token_signing_alg_values_supported"] == ["ES256", "RS256"])
            #expect(d["token_endpoint_auth_methods_supported"] == ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"])
            #expect(d["authorization_response_iss_parameter_supported"] == true)
            #expect(d["backchannel_logout_supported"] == true)
            #expect(d["request_uri_parameter_supported"] == false)
            #expect(d["claims_supported"]?.arrayValue?.contains("roles") == true)
            let response = h.engine.discoveryResponse()
            #expect(response.status == 200 && response.headers["Content-Type"] == "application/json;charset=UTF-8")
            #expect(response.jsonObject?["issuer"] == "https://sso.example.gov.vn")
        }
    }

    @Test("the JWKS holds the ring's public keys and nothing private")
    func jwks() async throws {
        try await Harness.with { h in
            let response = h.engine.jwksResponse(maxAge: 600)
            #expect(response.headers["Cache-Control"] == "public, max-age=600")
            let set = try JWKSet(json: Data(response.body))
            #expect(Set(set.keys.compactMap(\.algorithm)) == ["ES256", "RS256"])
            #expect(set.keys.allSatisfy { $0.privateMemberNames.isEmpty })
            #expect(!String(decoding: response.body, as: UTF8.self).contains("\"d\""))
        }
    }
}

public import GatehouseJOSE
import Foundation

extension OAuthEngine {
    /// The OpenID Provider Metadata (OIDC Discovery 1.0 §3, RFC 8414 §2), listing exactly what
    /// this engine does: the code flow only, PKCE S256 only, the three grants, the four client
    /// authentication methods, the algorithms of the key ring's keys, and the claims it issues.
    /// `issuer` is the configured issuer, character for character (§4.3).
    ///
    /// `gatehouse_revocation_feed_endpoint` is an extension member (RFC 8414 §2 allows
    /// additional metadata): the revocation feed, authenticated like introspection
    /// (``revocationFeed(_:)``). `claims_supported` lists the claims of ID tokens and
    /// UserInfo; access-token claims such as `gid` are documented on the access token.
    public func discoveryDocument() -> [String: JSONValue] {
        let endpoints = configuration.endpoints
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        let now = clock.now()
        let keyAlgorithms = Set(keys.list().filter { !$0.isRetired(at: now) }.map(\.algorithm))
        let idAlgorithms = JWSAlgorithm.allCases.filter { keyAlgorithms.contains($0) || $0 == configuration.idTokenAlgorithm }
        return [
            "issuer": .string(issuer),
            "authorization_endpoint": .string(endpoints.authorization),
            "token_endpoint": .string(endpoints.token),
            "userinfo_endpoint": .string(endpoints.userInfo),
            "jwks_uri": .string(endpoints.jwks),
            "introspection_endpoint": .string(endpoints.introspection),
            "revocation_endpoint": .string(endpoints.revocation),
            "end_session_endpoint": .string(endpoints.endSession),
            "gatehouse_revocation_feed_endpoint": .string(endpoints.revocationFeed),
            "scopes_supported": strings(["openid", "profile", "email"]),
            "response_types_supported": strings(["code"]),
            "response_modes_supported": strings(["query"]),
            "grant_types_supported": strings(["authorization_code", "refresh_token", "client_credentials"]),
            "code_challenge_methods_supported": strings(["S256"]),
            "subject_types_supported": strings(["public"]),
            "id_token_signing_alg_values_supported": strings(idAlgorithms.map(\.rawValue)),
            "token_endpoint_auth_methods_supported": strings(Self.authMethods),
            "token_endpoint_auth_signing_alg_values_supported": strings(JWSAlgorithm.allCases.map(\.rawValue)),
            "introspection_endpoint_auth_methods_supported": strings(Self.authMethods.filter { $0 != "none" }),
            "introspection_endpoint_auth_signing_alg_values_supported": strings(JWSAlgorithm.allCases.map(\.rawValue)),
            "revocation_endpoint_auth_methods_supported": strings(Self.authMethods),
            "revocation_endpoint_auth_signing_alg_values_supported": strings(JWSAlgorithm.allCases.map(\.rawValue)),
            "claims_supported": strings([
                "iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid", "at_hash",
                "name", "preferred_username", "email", "unit", "roles",
            ]),
            "prompt_values_supported": strings(AuthorizationRequest.Prompt.allCases.map(\.rawValue)),
            "acr_values_supported": strings([AuthenticationContext.passwordClass]
                + (configuration.secondFactor == nil ? [] : [AuthenticationContext.multiFactorClass])),
            "claims_parameter_supported": false,
            "request_parameter_supported": false,
            "request_uri_parameter_supported": false,
            "require_request_uri_registration": false,
            "authorization_response_iss_parameter_supported": true,
            "backchannel_logout_supported": true,
            "backchannel_logout_session_supported": true,
        ]
    }

    /// `GET /.well-known/openid-configuration`: the document with `Cache-Control: max-age=300`.
    public func discoveryResponse() -> OAuthHTTPResponse {
        var response = OAuthHTTPResponse.json(discoveryDocument())
        response.headers["Cache-Control"] = "public, max-age=300"
        response.headers["Pragma"] = nil
        return response
    }

    /// `GET /jwks`: the published JWK Set (RFC 7517 §5), cacheable for `maxAge` seconds
    /// (`tokens.yaml` `keys.jwks_max_age`).
    public func jwksResponse(maxAge: Int = 600) -> OAuthHTTPResponse {
        let set = keys.publishedJWKS(at: clock.now(), maxTokenLifetime: keyRetention)
        let body = (try? set.jsonData()).map(Array.init) ?? Array(#"{"keys":[]}"#.utf8)
        return OAuthHTTPResponse(status: 200, headers: ["Content-Type": "application/json", "Cache-Control": "public, max-age=\(maxAge)"], body: body)
    }

    static let authMethods = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]
}

import Foundation
import GatehouseCore

/// The token endpoint (RFC 6749 §3.2): authenticates the client, then lets the handler of the
/// requested grant decide, all in one write transaction, and signs the tokens once it has
/// committed. Supported grants: `authorization_code`, `refresh_token`, `client_credentials`;
/// anything else is `unsupported_grant_type`, and a grant the client is not registered for is
/// `unauthorized_client`.
extension OAuthEngine {
    /// The registered grant handlers, one per grant type.
    var grantHandlers: [any TokenGrantHandler] {
        let minter = TokenMinter(configuration: configuration, keys: keys)
        return [AuthorizationCodeGrant(minter: minter), RefreshTokenGrant(minter: minter), ClientCredentialsGrant(minter: minter)]
    }

    /// `POST /token`: the JSON response, success or error, with `Cache-Control: no-store`.
    ///
    /// ```swift
    /// let response = await engine.token(EndpointRequest(parameters: form, authorization: authorizationHeader, sourceIP: peer))
    /// ```
    public func token(_ request: EndpointRequest) async -> OAuthHTTPResponse {
        do {
            return try await tokenResponse(request).httpResponse
        } catch {
            return error.httpResponse(realm: issuer)
        }
    }

    /// `POST /token` as typed values: the tokens issued, or the error to answer with.
    public func tokenResponse(_ request: EndpointRequest) async throws(OAuthError) -> TokenResponse {
        let grantType = try ParameterReader(parameters: request.parameters).required("grant_type", maximumLength: 128)
        let handler = grantHandlers.first { $0.grantType.rawValue == grantType }
        let now = clock.now()
        let authenticator = ClientAuthenticator(configuration: configuration, endpoint: configuration.endpoints.token)
        let outcome: Result<TokenIssuance, OAuthError> = try await write { storage in
            let client: Client
            switch try authenticator.authenticate(request, publicClients: .allowed, now: now, storage: storage) {
            case .failure(let error): return .failure(error)
            case .success(let authenticated): client = authenticated
            }
            guard let handler else {
                return .failure(OAuthError(.unsupportedGrantType, debug: "grant_type \(FormParameters.printable(grantType))"))
            }
            guard client.grantTypes.contains(handler.grantType) else {
                return .failure(OAuthError(.unauthorizedClient, "The client is not registered for this grant type.", debug: grantType))
            }
            let grant = GrantRequest(form: ParameterReader(parameters: request.parameters), client: client, now: now, sourceIP: request.sourceIP)
            switch try handler.handle(grant, storage: storage) {
            case .issue(let issuance): return .success(issuance)
            case .refuse(let error): return .failure(error)
            }
        }
        return try outcome.get().sign()
    }
}

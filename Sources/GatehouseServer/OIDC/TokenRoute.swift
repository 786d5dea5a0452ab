import GatehouseOAuth
import Hummingbird

/// `POST /token` (RFC 6749 §3.2): the form body and the `Authorization` header go to the engine,
/// whose JSON answer (tokens or an RFC 6749 §5.2 error, `Cache-Control: no-store`) is sent as is.
struct TokenRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        router.post(RouterPath(services.paths.token)) { request, context in
            await ProtocolForm.handle(request, context, realm: services.issuer, limiter: services.clientRateLimiter) { endpointRequest in
                await services.engine.token(endpointRequest)
            }
        }
    }
}

/// The protocol endpoints that take a form post and answer JSON (token, introspection,
/// revocation, revocation feed): body limit, form parsing, the client's rate limit
/// (``ClientRateLimiter``), then the engine.
enum ProtocolForm {
    static func handle(
        _ request: Request, _ context: GatehouseRequestContext, realm: String, limiter: ClientRateLimiter? = nil,
        _ endpoint: (EndpointRequest) async -> OAuthHTTPResponse
    ) async -> Response {
        switch await FormBody.read(request) {
        case .failure(.tooLarge):
            return .jsonTooLarge(realm: realm)
        case .failure(.malformed(let error)):
            return Response(error.httpResponse(realm: realm))
        case .success(let form):
            let endpointRequest = EndpointRequest(parameters: form, authorization: request.headers[.authorization], sourceIP: context.clientIP)
            if let limiter, let retryAfter = limiter.take(clientID: ClientRateLimiter.claimedClient(endpointRequest), sourceIP: context.clientIP) {
                return .tooManyRequests(retryAfter: retryAfter, realm: realm)
            }
            return Response(await endpoint(endpointRequest))
        }
    }
}

extension Response {
    /// `429 Too Many Requests` with `Retry-After` (RFC 6585 §4) and an RFC 6749 §5.2 JSON body.
    ///
    /// The error code is `temporarily_unavailable`: RFC 6749 registers it (§4.1.2.1, §11.4) for
    /// exactly this, a server that cannot handle the request now because of load, and the
    /// engine already answers it at these endpoints when its store is down. `invalid_request`
    /// would tell the client its request is malformed, which it is not, and `slow_down` belongs
    /// to the device-authorization grant (RFC 8628 §3.5). A client that knows no code still
    /// has the status and `Retry-After`.
    static func tooManyRequests(retryAfter: Int, realm: String) -> Response {
        let error = OAuthError(.temporarilyUnavailable, "Too many requests from this client; retry after \(retryAfter) seconds.")
        var response = Response(error.httpResponse(realm: realm))
        response.status = .tooManyRequests
        response.headers[.retryAfter] = String(retryAfter)
        return response
    }
}

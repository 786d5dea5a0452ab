import GatehouseOAuth
import Hummingbird

/// `POST /token` (RFC 6749 §3.2): the form body and the `Authorization` header go to the engine,
/// whose JSON answer (tokens or an RFC 6749 §5.2 error, `Cache-Control: no-store`) is sent as is.
struct TokenRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        router.post(RouterPath(services.paths.token)) { request, context in
            await ProtocolForm.handle(request, context, realm: services.issuer) { endpointRequest in
                await services.engine.token(endpointRequest)
            }
        }
    }
}

/// The protocol endpoints that take a form post and answer JSON (token, introspection,
/// revocation): body limit, form parsing, then the engine.
enum ProtocolForm {
    static func handle(
        _ request: Request, _ context: GatehouseRequestContext, realm: String,
        _ endpoint: (EndpointRequest) async -> OAuthHTTPResponse
    ) async -> Response {
        switch await FormBody.read(request) {
        case .failure(.tooLarge):
            return .jsonTooLarge(realm: realm)
        case .failure(.malformed(let error)):
            return Response(error.httpResponse(realm: realm))
        case .success(let form):
            let endpointRequest = EndpointRequest(parameters: form, authorization: request.headers[.authorization], sourceIP: context.clientIP)
            return Response(await endpoint(endpointRequest))
        }
    }
}

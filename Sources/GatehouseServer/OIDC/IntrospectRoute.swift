import Hummingbird

/// `POST /introspect` (RFC 7662 §2): an authenticated client asks whether a token is active.
struct IntrospectRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        router.post(RouterPath(services.paths.introspect)) { request, context in
            await ProtocolForm.handle(request, context, realm: services.issuer, limiter: services.clientRateLimiter) { await services.engine.introspect($0) }
        }
    }
}

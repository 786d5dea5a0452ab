import Hummingbird

/// `POST /revoke` (RFC 7009 §2): a client revokes one of its refresh or access tokens.
struct RevokeRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        router.post(RouterPath(services.paths.revoke)) { request, context in
            await ProtocolForm.handle(request, context, realm: services.issuer, limiter: services.clientRateLimiter) { await services.engine.revoke($0) }
        }
    }
}

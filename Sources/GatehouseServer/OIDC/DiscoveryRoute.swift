import Hummingbird

/// `GET /.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4): the engine's
/// provider metadata, cacheable for five minutes, readable from any origin (it is public).
struct DiscoveryRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        router.get(RouterPath(services.paths.discovery)) { _, _ in
            var response = Response(services.engine.discoveryResponse())
            response.headers[.accessControlAllowOrigin] = "*"
            return response
        }
    }
}

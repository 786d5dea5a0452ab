import Hummingbird

/// `GET /jwks` (RFC 7517 §5): every published verification key, cacheable for
/// `tokens.yaml` `keys.jwks_max_age`, readable from any origin.
struct JWKSRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        let maxAge = max(0, Int(services.tokenPolicy.jwksMaxAge))
        router.get(RouterPath(services.paths.jwks)) { _, _ in
            var response = Response(services.engine.jwksResponse(maxAge: maxAge))
            response.headers[.accessControlAllowOrigin] = "*"
            return response
        }
    }
}

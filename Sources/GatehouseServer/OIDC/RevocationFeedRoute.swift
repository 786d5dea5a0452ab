import Hummingbird

/// `POST /revocations`: the revocation feed (`gatehouse_revocation_feed_endpoint` in
/// discovery). A confidential client, authenticated as at introspection, reads the events
/// after its cursor; see `OAuthEngine.revocationFeedPage(_:)` and the README's "Revocation feed".
struct RevocationFeedRoute {
    let services: OIDCServices

    func register(on router: some RouterMethods<GatehouseRequestContext>) {
        router.post(RouterPath(services.paths.revocationFeed)) { request, context in
            await ProtocolForm.handle(request, context, realm: services.issuer, limiter: services.clientRateLimiter) { await services.engine.revocationFeed($0) }
        }
    }
}

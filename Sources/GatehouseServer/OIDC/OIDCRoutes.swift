import Hummingbird

/// Registers the OpenID Connect provider's routes, each behind ``SecurityHeadersMiddleware``.
///
/// | route | file |
/// |---|---|
/// | `GET /.well-known/openid-configuration` | ``DiscoveryRoute`` |
/// | `GET /jwks` | ``JWKSRoute`` |
/// | `GET, POST /authorize` | ``AuthorizeRoute`` |
/// | `GET, POST /login` | ``LoginRoute`` |
/// | `POST /login/password` | ``PasswordChangeRoute`` |
/// | `POST /login/mfa` | ``SecondFactorRoute`` |
/// | `POST /login/mfa/enrol` | ``EnrolmentRoute`` |
/// | `POST /login/mfa/continue` | ``ResumeRoute`` |
/// | `GET, POST /consent` | ``ConsentRoute`` |
/// | `POST /token` | ``TokenRoute`` |
/// | `GET, POST /userinfo` | ``UserInfoRoute`` |
/// | `POST /introspect` | ``IntrospectRoute`` |
/// | `POST /revoke` | ``RevokeRoute`` |
/// | `POST /revocations` | ``RevocationFeedRoute`` |
/// | `GET, POST /logout`, `POST /logout/confirm` | ``LogoutRoute`` |
///
/// The protocol endpoints are served at the paths of the URLs discovery advertises
/// (`OAuthConfiguration.endpoints`), the pages under the issuer's path.
struct OIDCRoutes {
    let services: OIDCServices

    func register(on router: Router<GatehouseRequestContext>) {
        let group = router.group().add(middleware: SecurityHeadersMiddleware<GatehouseRequestContext>(strictTransportSecurity: services.isHTTPS))
        DiscoveryRoute(services: services).register(on: group)
        JWKSRoute(services: services).register(on: group)
        AuthorizeRoute(services: services).register(on: group)
        LoginRoute(services: services).register(on: group)
        PasswordChangeRoute(services: services).register(on: group)
        SecondFactorRoute(services: services).register(on: group)
        EnrolmentRoute(services: services).register(on: group)
        ResumeRoute(services: services).register(on: group)
        ConsentRoute(services: services).register(on: group)
        TokenRoute(services: services).register(on: group)
        UserInfoRoute(services: services).register(on: group)
        IntrospectRoute(services: services).register(on: group)
        RevokeRoute(services: services).register(on: group)
        RevocationFeedRoute(services: services).register(on: group)
        LogoutRoute(services: services).register(on: group)
    }
}

public import Hummingbird
public import Logging
public import Prometheus
public import ServiceLifecycle
import Foundation

/// Where and how the HTTP server listens, and what it calls itself.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The issuer identifier (OIDC Core §2): an https URL in production.
    public var issuer: String
    /// The certificate to terminate TLS with (``HTTPTransport``); `nil` for plain HTTP, as
    /// behind a TLS-terminating reverse proxy.
    public var tls: TLSCertificate?
    /// Proxies whose `Forwarded` / `X-Forwarded-*` headers name the client (``ForwardedClient``).
    public var trustedProxies: TrustedProxies
    /// Sizes and deadlines every request is held to.
    public var limits: HTTPLimits

    /// - Parameter issuer: defaults to `https://HOST:PORT` with `tls`, `http://HOST:PORT` without.
    public init(host: String = "127.0.0.1", port: Int = 8080, issuer: String? = nil, tls: TLSCertificate? = nil,
                trustedProxies: TrustedProxies = TrustedProxies(), limits: HTTPLimits = HTTPLimits()) {
        self.host = host
        self.port = port
        self.issuer = issuer ?? "\(tls == nil ? "http" : "https")://\(host):\(port)"
        self.tls = tls
        self.trustedProxies = trustedProxies
        self.limits = limits
    }
}

/// Builds the Gatehouse HTTP application.
///
/// ```swift
/// let app = GatehouseServer.application(configuration: config, readiness: checks, oidc: oidc, logger: logger)
/// try await app.runService()        // graceful on SIGTERM and SIGINT
/// ```
public enum GatehouseServer {
    /// The request context every route sees.
    public typealias Context = GatehouseRequestContext

    /// The router with every route and middleware, without a socket: tests drive it in-process.
    /// With `oidc`, the OpenID Connect provider's endpoints and pages are served too (see
    /// ``OIDCServices``); without, only health and metrics.
    ///
    /// Before any route: the client's address from trusted proxies (``ForwardedClientMiddleware``),
    /// the request log and metrics, the security headers (``SecurityHeadersMiddleware``, HSTS
    /// when the issuer is https) and the size limits (``HTTPLimitsMiddleware``).
    public static func router(
        readiness: [ReadinessCheck],
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        oidc: OIDCServices? = nil,
        trustedProxies: TrustedProxies = TrustedProxies(),
        limits: HTTPLimits = HTTPLimits()
    ) -> Router<Context> {
        let router = Router(context: Context.self)
        router.middlewares.add(ForwardedClientMiddleware(trusted: trustedProxies))
        router.middlewares.add(RequestLogMiddleware())
        router.middlewares.add(RequestMetricsMiddleware(registry: metrics))
        router.middlewares.add(SecurityHeadersMiddleware<Context>(strictTransportSecurity: oidc?.isHTTPS ?? false))
        router.middlewares.add(HTTPLimitsMiddleware<Context>(limits: limits))
        HealthRoutes(checks: readiness).register(on: router)
        MetricsRoute(registry: metrics).register(on: router)
        if let oidc {
            OIDCRoutes(services: oidc).register(on: router)
            AdminRoutes(services: AdminServices(oidc: oidc)).register(on: router)
            SCIMRoutes(services: AdminServices(oidc: oidc)).register(on: router)
            ConsoleRoutes(services: AdminServices(oidc: oidc)).register(on: router)
        }
        return router
    }

    /// The application: router plus listening socket, plus `services` (the store, background
    /// jobs) that start and stop with it. On SIGTERM the server stops accepting, lets requests in
    /// flight finish, then shuts the services down in reverse order.
    ///
    /// The socket speaks TLS when `configuration.tls` is set (``HTTPTransport``); SIGHUP then
    /// reloads the certificate (``CertificateReloadService``, started with the services).
    public static func application(
        configuration: ServerConfiguration,
        readiness: [ReadinessCheck],
        services: [any Service] = [],
        oidc: OIDCServices? = nil,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let reload: [any Service] = configuration.tls.map { [CertificateReloadService(certificate: $0, logger: logger)] } ?? []
        return Application(
            router: router(readiness: readiness, oidc: oidc, trustedProxies: configuration.trustedProxies, limits: configuration.limits),
            server: HTTPTransport.server(limits: configuration.limits, tls: configuration.tls),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "Gatehouse"
            ),
            services: services + reload,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }
}

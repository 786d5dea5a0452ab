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

    public init(host: String = "127.0.0.1", port: Int = 8080, issuer: String? = nil) {
        self.host = host
        self.port = port
        self.issuer = issuer ?? "http://\(host):\(port)"
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
    public static func router(
        readiness: [ReadinessCheck],
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        oidc: OIDCServices? = nil
    ) -> Router<Context> {
        let router = Router(context: Context.self)
        router.middlewares.add(RequestLogMiddleware())
        router.middlewares.add(RequestMetricsMiddleware(registry: metrics))
        HealthRoutes(checks: readiness).register(on: router)
        MetricsRoute(registry: metrics).register(on: router)
        if let oidc { OIDCRoutes(services: oidc).register(on: router) }
        return router
    }

    /// The application: router plus listening socket, plus `services` (the store, background
    /// jobs) that start and stop with it. On SIGTERM the server stops accepting, lets requests in
    /// flight finish, then shuts the services down in reverse order.
    public static func application(
        configuration: ServerConfiguration,
        readiness: [ReadinessCheck],
        services: [any Service] = [],
        oidc: OIDCServices? = nil,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(readiness: readiness, oidc: oidc),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "Gatehouse"
            ),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }
}

public import Hummingbird
public import Prometheus

/// Counts requests and records their durations into a Prometheus registry owned by the
/// server (not the process-global MetricsSystem), labelled by method, matched route and
/// status class, so that label cardinality stays bounded whatever paths clients send.
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let route = context.endpointPath ?? "unmatched"
            let labels = [("method", request.method.rawValue), ("route", route), ("status", "\(status / 100)xx")]
            registry.makeCounter(descriptor: requestsTotal, labels: labels).increment()
            registry.makeDurationHistogram(
                descriptor: requestDuration,
                labels: [("route", route)],
                buckets: requestDurationBuckets
            ).record(ContinuousClock.now - start)
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch {
            status = (error as? any HTTPResponseError)?.status.code ?? 500
            throw error
        }
    }
}

private var requestsTotal: MetricNameDescriptor {
    MetricNameDescriptor(
    namespace: "gatehouse", subsystem: "http", metricName: "requests", unitName: "total",
    helpText: "HTTP requests by method, matched route and status class."
    )
}
private var requestDuration: MetricNameDescriptor {
    MetricNameDescriptor(
    namespace: "gatehouse", subsystem: "http", metricName: "request_duration", unitName: "seconds",
    helpText: "HTTP request duration by matched route."
    )
}
private let requestDurationBuckets: [Duration] = [
    .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
    .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
]

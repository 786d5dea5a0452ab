import Hummingbird
import Prometheus

/// `GET /metrics`: the Prometheus text exposition format (version 0.0.4).
struct MetricsRoute<Context: RequestContext> {
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<Context>) {
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(4096)
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
    }
}

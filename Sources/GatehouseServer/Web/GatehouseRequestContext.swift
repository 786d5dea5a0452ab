public import Hummingbird

/// The request context of every Gatehouse route: Hummingbird's core storage plus the
/// connection's remote address, recorded in audit events as the client's IP.
///
/// The address is the TCP peer's. Behind a reverse proxy that is the proxy; trusting
/// `X-Forwarded-For` from known proxies is a separate setting.
///
/// ```swift
/// router.get("/whoami") { _, context in context.clientIP ?? "unknown" }
/// ```
public struct GatehouseRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address (`10.1.2.3`, `::1`), or `nil` when the channel has none (in-process tests).
    public let clientIP: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientIP = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies decoded through Hummingbird's decoders are bounded like the forms Gatehouse reads itself.
    public var maxUploadSize: Int { FormBody.maximumLength }
}

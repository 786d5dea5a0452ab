public import Hummingbird

/// The request context of every Gatehouse route: Hummingbird's core storage plus the client's
/// address, which rate limits and audit events record.
///
/// ``clientIP`` starts as the TCP peer's address. Behind a reverse proxy that is the proxy;
/// ``ForwardedClientMiddleware`` then replaces it with the client the trusted proxies name
/// (`serve --trusted-proxy`), and ignores forwarding headers from any other peer.
///
/// ```swift
/// router.get("/whoami") { _, context in context.clientIP ?? "unknown" }
/// ```
public struct GatehouseRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address (`10.1.2.3`, `::1`), or `nil` when the channel has none (in-process tests).
    public internal(set) var clientIP: String?
    /// The TCP peer's address: the client itself, or the nearest proxy.
    public let peerIP: String?
    /// `http` or `https` as a trusted proxy received the request; `nil` when not forwarded.
    public internal(set) var clientScheme: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerIP = source.channel.remoteAddress?.ipAddress
        self.clientIP = peerIP
        self.clientScheme = nil
    }

    /// Bodies decoded through Hummingbird's decoders are bounded like the forms Gatehouse reads itself.
    public var maxUploadSize: Int { FormBody.maximumLength }
}

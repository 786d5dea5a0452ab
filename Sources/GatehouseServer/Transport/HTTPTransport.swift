public import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// How connections are served:
/// - without TLS: HTTP/1.1, for development or behind a TLS-terminating proxy;
/// - with a ``TLSCertificate``: TLS 1.2 or newer, HTTP/2 when the client offers `h2` by ALPN
///   (RFC 9113 §3.2), HTTP/1.1 otherwise.
///
/// Either way every connection is held to ``HTTPLimits``: the HTTP/1.1 parser's header limits,
/// the deadlines of ``RequestTimeoutHandler``, the TLS handshake within
/// ``HTTPLimits/headerTimeout``, and an HTTP/2 connection without open streams closed after
/// ``HTTPLimits/idleTimeout``.
///
/// ```swift
/// let server = HTTPTransport.server(limits: HTTPLimits(), tls: certificate)
/// let app = Application(router: router, server: server, configuration: configuration)
/// ```
public enum HTTPTransport {
    public static func server(limits: HTTPLimits, tls: TLSCertificate?) -> HTTPServerBuilder {
        var http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestTimeoutHandler(limits: limits)],
            httpDecoderConfiguration: .init(maxHeaderFieldSize: limits.maxHeaderFieldSize,
                                            maxHeaderListSize: limits.maxHeaderListSize,
                                            maxHeaderFieldCount: limits.maxHeaderCount))
        http1.idleTimeout = nil  // RequestTimeoutHandler keeps the deadlines
        guard let tls else {
            return .http1(configuration: http1)
        }
        let http2 = HTTP2ChannelConfiguration(idleTimeout: limits.idleTimeout, gracefulCloseTimeout: .seconds(5),
                                              streamConfiguration: http1)
        let tlsConfiguration = tls.tlsConfiguration()
        let handshakeTimeout = limits.headerTimeout
        return HTTPServerBuilder { responder in
            HandshakeDeadlineChannel(
                base: try HTTP2UpgradeChannel(tlsConfiguration: tlsConfiguration, configuration: http2, responder: responder),
                timeout: handshakeTimeout)
        }
    }
}

/// Wraps a TLS child channel so that a client that has not finished its handshake within
/// `timeout` is closed: the HTTP deadlines start only once HTTP is spoken.
struct HandshakeDeadlineChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base
    let timeout: Duration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let tls = try operations.handler(type: NIOSSLServerHandler.self)
            try operations.addHandler(HandshakeTimeoutHandler(timeout: timeout), position: .after(tls))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Closes the connection unless the TLS handshake completes within `timeout`, then steps aside.
final class HandshakeTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    private let timeout: Duration
    private var deadline: Scheduled<Void>?

    init(timeout: Duration) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        context.fireUserInboundEventTriggered(event)
        if case TLSUserEvent.handshakeCompleted = event {
            deadline?.cancel()
            deadline = nil
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
            context.close(promise: nil)
        }
    }
}

import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Closes a connection whose client is too slow, and answers 431 to a head the HTTP/1.1
/// parser stopped for its size. It sits after the HTTP codec of every connection (and every
/// HTTP/2 stream), and keeps one deadline at a time:
/// - from the start of the connection to its first complete request head: ``HTTPLimits/headerTimeout``;
/// - from a head to the end of its body: ``HTTPLimits/bodyTimeout``;
/// - from the end of a response, when no other request is open, to the next complete head:
///   ``HTTPLimits/idleTimeout``.
///
/// While a response is being produced no deadline runs: a slow store or password hash never
/// cuts off a client that has sent everything.
///
/// A request trickled a byte at a time (slowloris) never completes its head, so the deadline
/// that started with the connection closes it, however steadily the bytes come.
///
/// ```swift
/// HTTP1Channel.Configuration(additionalChannelHandlers: [RequestTimeoutHandler(limits: limits)])
/// ```
final class RequestTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: HTTPLimits
    /// Requests whose head has been read and whose response has not ended.
    private var open = 0
    /// A head has been read and its body has not ended.
    private var readingBody = false
    private var started = false
    private var refused = false
    private var deadline: Scheduled<Void>?

    init(limits: HTTPLimits) { self.limits = limits }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            open += 1
            readingBody = true
            arm(context, limits.bodyTimeout)
        case .body:
            break
        case .end:
            readingBody = false
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            open = max(0, open - 1)
            if open == 0, !readingBody { arm(context, limits.idleTimeout) }
        }
        context.write(data, promise: promise)
    }

    /// A head too large for the parser's limits (RFC 6585 §5): answered 431 and closed, unless
    /// a response is already under way, when the error goes on and the connection closes.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if refused { return }
        guard let parserError = error as? HTTPParserError, parserError == .headerOverflow, open == 0 else {
            context.fireErrorCaught(error)
            return
        }
        refused = true
        disarm()
        let head = HTTPResponse(status: .requestHeaderFieldsTooLarge, headerFields: [.connection: "close", .contentLength: "0"])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        arm(context, limits.headerTimeout)
    }

    private func arm(_ context: ChannelHandlerContext, _ timeout: Duration) {
        disarm()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
            deadline = nil
            // Only while waiting for the client: a head, a body, or the next request.
            if readingBody || open == 0 { context.close(promise: nil) }
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

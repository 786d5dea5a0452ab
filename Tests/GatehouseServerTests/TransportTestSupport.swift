import AsyncHTTPClient
import Foundation
import GatehouseServer
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization
import Testing

/// A real server on a free loopback port for the transport tests: `router` served through
/// ``HTTPTransport`` with `limits` and, if given, TLS.
enum TransportServer {
    static func run(
        router: Router<GatehouseRequestContext>, limits: HTTPLimits = HTTPLimits(), tls: TLSCertificate? = nil,
        _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "transport-test")
        logger.logLevel = .error
        let app = Application(
            router: router, server: HTTPTransport.server(limits: limits, tls: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "Gatehouse"),
            onServerRunning: { channel in portSink.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// An HTTP client with its own pool; `tls` to trust a test certificate.
    static func client(tls: TLSConfiguration? = nil, http1Only: Bool = false) -> HTTPClient {
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, timeout: .init(connect: .seconds(10), read: .seconds(30)))
        if http1Only { configuration.httpVersion = .http1Only }
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    /// GET `url`; status, HTTP version and body.
    static func get(_ client: HTTPClient, _ url: String, headers: [(String, String)] = []) async throws -> (HTTPResponseStatus, HTTPVersion, String) {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (response.status, response.version, String(buffer: body))
    }
}

/// A raw TCP connection to the server, to send bytes exactly as a (mis)behaving client would.
final class RawConnection: Sendable {
    let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func open(port: Int) async throws -> RawConnection {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, collector: collector)
    }

    /// Everything the server has sent so far.
    var text: String { collector.received.withLock { $0 } }
    var isOpen: Bool { channel.isActive }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Waits until the server has closed the connection, or `timeout`; whether it closed.
    func waitForClose(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !channel.isActive { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return !channel.isActive
    }

    /// Waits until the server's answer contains `fragment`, or `timeout`.
    func waitFor(_ fragment: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if text.contains(fragment) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return text.contains(fragment)
    }

    func close() { channel.close(promise: nil) }

    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received = Mutex<String>("")
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let text = String(buffer: unwrapInboundIn(data))
            received.withLock { $0 += text }
        }
    }
}

public import AsyncHTTPClient
public import Foundation
import GatehouseCrypto
import GatehouseJOSE
public import Logging
import NIOCore
public import ServiceLifecycle
import Synchronization

/// Polls Gatehouse's revocation feed (`gatehouse_revocation_feed_endpoint`, described in the
/// README's "Revocation feed") and fills a ``RevocationList``, so that a token whose session
/// ended, whose account was disabled or whose grant was revoked is refused within
/// ``latency`` without a call to the server per request.
///
/// Each round reads every event after the last sequence number seen, page by page; the
/// cursor only moves forward, and the server allocates sequence numbers in commit order, so
/// no event is skipped. A failed round is logged and retried at the next tick; the list keeps
/// what it knows. Run it as a `Service` next to the application, or call ``poll()``.
///
/// ```swift
/// let feed = RevocationFeed(endpoint: metadata.revocationFeedEndpoint!, clientID: "notices",
///                           clientSecret: secret, httpClient: .shared, revocations: list)
/// try await feed.poll()          // once at start, before serving
/// // then: ServiceGroup(services: [feed, app], …).run()
/// ```
public final class RevocationFeed: Service, Sendable {
    /// The feed URL.
    public let endpoint: String
    /// How soon a revocation must take effect; the feed is polled twice within it.
    public let latency: Duration
    private let authorization: String
    private let httpClient: HTTPClient
    private let revocations: RevocationList
    private let logger: Logger
    private let pageSize: Int
    private let state = Mutex(State())

    private struct State {
        var cursor: Int64 = 0
        var lastSuccess: Date?
    }

    /// Responses larger than this are refused (1,000 events are about 150 KB).
    static let maximumResponseBytes = 4 * 1024 * 1024

    /// - Parameters:
    ///   - latency: the longest a revocation may take to reach this application (5 s by
    ///     default); the feed is polled every `latency / 2`.
    ///   - pageSize: events per request (1…1000).
    public init(endpoint: String, clientID: String, clientSecret: String, httpClient: HTTPClient,
                revocations: RevocationList, latency: Duration = .seconds(5), pageSize: Int = 500,
                logger: Logger = Logger(label: "gatehouse.revocation-feed")) {
        self.endpoint = endpoint
        self.latency = latency
        self.authorization = FormEncoding.basicAuthorization(clientID: clientID, clientSecret: clientSecret)
        self.httpClient = httpClient
        self.revocations = revocations
        self.pageSize = min(max(pageSize, 1), 1000)
        self.logger = logger
    }

    /// The sequence number of the last event applied.
    public var cursor: Int64 { state.withLock { $0.cursor } }

    /// When a round last completed; `nil` before the first.
    public var lastSuccess: Date? { state.withLock { $0.lastSuccess } }

    /// Reads every event after the cursor and applies it; returns how many were applied.
    /// - Throws: ``RevocationFeedError`` when the server cannot be reached or answers
    ///   something other than a feed page.
    @discardableResult
    public func poll(now: Date = Date()) async throws(RevocationFeedError) -> Int {
        var applied = 0
        for _ in 0..<10_000 {
            let after = cursor
            let page = try await fetch(after: after)
            let events = page.events.filter { $0.seq > after }
            revocations.add(events.map(\.revocation))
            applied += events.count
            let next = page.next < after && page.latest < after ? page.latest : max(page.next, after)
            state.withLock { $0.cursor = next }
            if page.latest < after {
                // The server's sequence went backwards (a restored or new database): start again.
                logger.warning("revocation feed sequence went back from \(after) to \(page.latest); reading it again from the start")
                state.withLock { $0.cursor = 0 }
                continue
            }
            if next >= page.latest || events.isEmpty { break }
        }
        revocations.purge(now: now)
        state.withLock { $0.lastSuccess = now }
        return applied
    }

    /// Polls every `latency / 2` until the service group shuts down.
    public func run() async throws {
        let interval = latency / 2
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await poll()
            } catch {
                logger.warning("revocation feed: \(error)")
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func fetch(after: Int64) async throws(RevocationFeedError) -> FeedPage {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode([("after", String(after)), ("limit", String(pageSize))])))
        let body: ByteBuffer
        let status: UInt
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(max(1, latency.components.seconds)))
            status = response.status.code
            body = try await response.body.collect(upTo: Self.maximumResponseBytes)
        } catch {
            throw RevocationFeedError("cannot read the revocation feed at \(endpoint): \(error)")
        }
        guard status == 200 else {
            let detail = (try? JSONValue(json: Array(body.readableBytesView)))?.objectValue?["error"]?.stringValue ?? "no detail"
            throw RevocationFeedError("the revocation feed answered \(status) (\(detail))")
        }
        do {
            return try FeedPage(json: Array(body.readableBytesView))
        } catch {
            throw RevocationFeedError("the revocation feed answered something that is not a feed page: \(error)")
        }
    }
}

/// Why a round of the revocation feed failed.
public struct RevocationFeedError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// One page of the feed: `{"events":[{"seq","kind","value","time","expires"}],"next","latest","oldest"}`.
struct FeedPage {
    struct Event {
        var seq: Int64
        var revocation: Revocation
    }

    var events: [Event]
    var next: Int64
    var latest: Int64

    init(json bytes: [UInt8]) throws {
        guard let root = try JSONValue(json: bytes).objectValue else { throw RevocationFeedError("the page is not a JSON object") }
        guard let next = root["next"]?.integerValue, let latest = root["latest"]?.integerValue,
              case .array(let items)? = root["events"] else {
            throw RevocationFeedError("events, next or latest is missing")
        }
        self.next = next
        self.latest = latest
        var events: [Event] = []
        events.reserveCapacity(items.count)
        for item in items {
            guard let item = item.objectValue, let seq = item["seq"]?.integerValue, let value = item["value"]?.stringValue,
                  let time = item["time"]?.integerValue, let expires = item["expires"]?.integerValue else {
                throw RevocationFeedError("an event lacks seq, value, time or expires")
            }
            // A kind this version does not know is skipped, so the server can add kinds.
            guard let name = item["kind"]?.stringValue, let kind = RevocationKind(rawValue: name) else { continue }
            events.append(Event(seq: seq, revocation: Revocation(
                kind: kind, value: value, time: Date(timeIntervalSince1970: TimeInterval(time)),
                expires: Date(timeIntervalSince1970: TimeInterval(expires)))))
        }
        self.events = events.sorted { $0.seq < $1.seq }
    }
}

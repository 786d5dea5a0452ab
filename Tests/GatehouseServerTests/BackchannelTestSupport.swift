import Foundation
import GatehouseCore
import GatehouseJOSE
@testable import GatehouseOAuth
import GatehouseServer
import GatehouseStore
import GatehouseStoreSQL
import GatehouseStoreSQLite
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// A relying party's back-channel logout endpoints on loopback: `POST /bc/NAME` answers as
/// `set(NAME, …)` says and records every request it gets, in order.
final class LogoutReceiver: Sendable {
    enum Behaviour: Sendable {
        /// Answers these statuses in turn, repeating the last.
        case statuses([Int])
        /// Records `received`, sleeps, records `answered`, then answers 200.
        case slow(Duration)
        /// Answers 307 with `Location: to`.
        case redirect(to: String)
    }

    struct Hit: Sendable {
        var name: String
        var contentType: String?
        var body: String
        var at: ContinuousClock.Instant
    }

    private struct State {
        var behaviours: [String: Behaviour] = [:]
        var served: [String: Int] = [:]
        var hits: [Hit] = []
        var events: [String] = []
    }

    private let state = Mutex(State())

    func set(_ name: String, _ behaviour: Behaviour) { state.withLock { $0.behaviours[name] = behaviour } }
    var hits: [Hit] { state.withLock { $0.hits } }
    func hits(_ name: String) -> [Hit] { hits.filter { $0.name == name } }
    func event(_ event: String) { state.withLock { $0.events.append(event) } }
    var events: [String] { state.withLock { $0.events } }

    /// Records the request and says how to answer it (the status for `.statuses`).
    private func take(_ name: String, contentType: String?, body: String) -> (Behaviour, Int) {
        state.withLock { state in
            state.hits.append(Hit(name: name, contentType: contentType, body: body, at: .now))
            let behaviour = state.behaviours[name] ?? .statuses([404])
            let served = state.served[name, default: 0]
            state.served[name] = served + 1
            if case .statuses(let list) = behaviour { return (behaviour, list[min(served, list.count - 1)]) }
            return (behaviour, 200)
        }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/bc/:name") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            let body = try await request.body.collect(upTo: 64 * 1024)
            let (behaviour, status) = self.take(name, contentType: request.headers[.contentType], body: String(buffer: body))
            switch behaviour {
            case .statuses:
                return Response(status: HTTPResponse.Status(code: status))
            case .slow(let duration):
                self.event("received")
                try await Task.sleep(for: duration)
                self.event("answered")
                return Response(status: .ok)
            case .redirect(let location):
                return Response(status: .temporaryRedirect, headers: [.location: location])
            }
        }
        return router
    }

    /// Runs `body` with the receiver listening; `body` gets the base URL (`http://localhost:PORT`).
    func listen<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let app = Application(router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            let port = try #require(client.port)
            return try await body("http://localhost:\(port)")
        }
    }
}

/// A SQLite store in a temporary folder with one account, and a key to sign logout tokens.
struct BackchannelHarness: Sendable {
    let folder: URL
    let path: String
    let store: SQLStore
    let key: SigningKey
    let account: Account
    let clock: any GatehouseCore.Clock

    static let logger: Logger = {
        var logger = Logger(label: "gatehouse.backchannel.test")
        logger.logLevel = .critical
        return logger
    }()

    /// A short schedule so retries happen within a test: 50 ms, 100 ms, 200 ms, 200 ms …
    static let fastRetry = BackchannelRetryPolicy(initialDelay: 0.05, maximumDelay: 0.2, maximumAttempts: 5, jitter: 0)

    static func make(clock: any GatehouseCore.Clock = SystemClock()) async throws -> BackchannelHarness {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("store.sqlite").path
        let store = try await SQLStore(database: try SQLiteDatabase(path: path))
        let root = try await store.read { try $0.unit(path: .root) }
        let account = Account(id: UUID(), username: try Username("nguyen.van.a"), displayName: "Nguyễn Văn A", unitID: root.id, createdAt: Date())
        try await store.write { try $0.insertAccount(account) }
        return BackchannelHarness(folder: folder, path: path, store: store, key: try SigningKey.generate(.es256), account: account, clock: clock)
    }

    /// Another store on the same database file, as a second node would open it.
    func secondNode() async throws -> SQLStore { try await SQLStore(database: try SQLiteDatabase(path: path)) }

    func close() async {
        await store.close()
        try? FileManager.default.removeItem(at: folder)
    }

    func dispatcher(
        store: (any Store)? = nil, retry: BackchannelRetryPolicy = fastRetry, pollInterval: Duration = .milliseconds(50), concurrency: Int = 4
    ) -> BackchannelDispatcher {
        BackchannelDispatcher(
            store: store ?? self.store,
            configuration: .init(retry: retry, pollInterval: pollInterval, concurrency: concurrency),
            clock: clock, logger: Self.logger)
    }

    func addClient(_ id: String, uri: String?) async throws {
        let client = Client(id: id, redirectURIs: ["https://\(id).example.gov.vn/cb"], backchannelLogoutURI: uri, createdAt: Date())
        try await store.write { try $0.insertClient(client) }
    }

    /// A signed logout token for `clientID`, as the engine makes them.
    func logout(_ clientID: String, uri: String, lifetime: TimeInterval = 120) throws -> BackchannelLogout {
        let now = clock.now()
        let claims = JWTClaims(
            issuer: "https://sso.example.gov.vn", subject: account.id.uuidString.lowercased(), audience: .single(clientID),
            expiresAt: now + lifetime, issuedAt: now, jwtID: UUID().uuidString,
            additional: ["sid": .string("sid-\(clientID)"), "events": .object(["http://schemas.openid.net/event/backchannel-logout": .object([:])])])
        return BackchannelLogout(clientID: clientID, uri: uri, logoutToken: try JWTSigner(key: key, type: "logout+jwt").sign(claims))
    }

    func deliveries(client: String? = nil) async throws -> [BackchannelDelivery] {
        let all = try await store.read { try $0.backchannelDeliveries(status: nil, page: Page(limit: 10_000)) }
        return all.filter { client == nil || $0.clientID == client }
    }

    func delivery(client: String) async throws -> BackchannelDelivery {
        let found = try await deliveries(client: client)
        try #require(found.count == 1, "one delivery for \(client)")
        return found[0]
    }

    func auditEvents(_ action: String) async throws -> [AuditEvent] {
        try await store.read { try $0.auditEvents(after: 0, limit: 10_000) }.filter { $0.record.action == action }
    }
}

/// Runs the dispatchers' workers around `body`, then stops them and waits for them to finish.
func running<T>(_ dispatchers: [BackchannelDispatcher], _ body: () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for dispatcher in dispatchers { group.addTask { try await dispatcher.run() } }
        do {
            let value = try await body()
            for dispatcher in dispatchers { dispatcher.stop() }
            try await group.waitForAll()
            return value
        } catch {
            for dispatcher in dispatchers { dispatcher.stop() }
            try? await group.waitForAll()
            throw error
        }
    }
}

struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for: \(what)" }
}

/// Polls `condition` until it holds. The limit only keeps a broken run from hanging; the tests
/// never depend on how long anything takes.
func eventually(_ what: String, within limit: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TimedOut(what: what)
}

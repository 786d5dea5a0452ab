import AsyncHTTPClient
import Foundation
@testable import GatehouseMiddleware
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@Suite struct RevocationListTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func eachKindRefusesOnlyWhatItNames() {
        let list = RevocationList()
        list.add([
            Revocation(kind: .session, value: "sid-1", time: t0, expires: t0 + 3600),
            Revocation(kind: .token, value: "jti-1", time: t0, expires: t0 + 3600),
            Revocation(kind: .grant, value: "gid-1", time: t0, expires: t0 + 3600),
        ])
        #expect(list.isRevoked(subject: "a", sessionID: "sid-1", tokenID: nil, grantID: nil, issuedAt: t0))
        #expect(list.isRevoked(subject: "a", sessionID: "sid-2", tokenID: "jti-1", grantID: nil, issuedAt: t0))
        #expect(list.isRevoked(subject: "a", sessionID: nil, tokenID: nil, grantID: "gid-1", issuedAt: t0))
        #expect(!list.isRevoked(subject: "a", sessionID: "sid-2", tokenID: "jti-2", grantID: "gid-2", issuedAt: t0))
        // Values of one kind never match another kind.
        #expect(!list.isRevoked(subject: "sid-1", sessionID: "jti-1", tokenID: "gid-1", grantID: "sid-1", issuedAt: t0))
    }

    @Test func aSubjectRevocationRefusesTokensIssuedUpToItsTimeAndNothingLater() {
        let list = RevocationList()
        list.add(Revocation(kind: .subject, value: "sub-1", time: t0, expires: t0 + 3600))
        #expect(list.isRevoked(subject: "sub-1", sessionID: nil, tokenID: nil, grantID: nil, issuedAt: t0 - 60))
        #expect(list.isRevoked(subject: "sub-1", sessionID: nil, tokenID: nil, grantID: nil, issuedAt: t0))
        #expect(!list.isRevoked(subject: "sub-1", sessionID: nil, tokenID: nil, grantID: nil, issuedAt: t0 + 1))
        #expect(list.isRevoked(subject: "sub-1", sessionID: nil, tokenID: nil, grantID: nil, issuedAt: nil), "no iat: refuse")
        #expect(!list.isRevoked(subject: "sub-2", sessionID: nil, tokenID: nil, grantID: nil, issuedAt: t0 - 60))
        // A later revocation moves the cutoff forward; an earlier one never moves it back.
        list.add(Revocation(kind: .subject, value: "sub-1", time: t0 + 100, expires: t0 + 3600))
        list.add(Revocation(kind: .subject, value: "sub-1", time: t0 - 100, expires: t0 + 3600))
        #expect(list.isRevoked(subject: "sub-1", sessionID: nil, tokenID: nil, grantID: nil, issuedAt: t0 + 50))
    }

    @Test func expiredRevocationsAreForgotten() {
        let list = RevocationList()
        list.add(Revocation(kind: .session, value: "old", time: t0, expires: t0 + 10))
        list.add(Revocation(kind: .session, value: "new", time: t0, expires: t0 + 1000))
        list.add(Revocation(kind: .subject, value: "s", time: t0, expires: t0 + 10))
        #expect(list.purge(now: t0 + 100) == 2)
        #expect(list.count == 1)
        #expect(!list.isRevoked(subject: "s", sessionID: "old", tokenID: nil, grantID: nil, issuedAt: t0))
        #expect(list.isRevoked(subject: nil, sessionID: "new", tokenID: nil, grantID: nil, issuedAt: nil))
    }
}

/// A stand-in for Gatehouse's `POST /revocations` (README "Revocation feed").
final class FakeFeed: Sendable {
    struct Event: Sendable { var seq: Int64; var kind: String; var value: String; var time: Int64; var expires: Int64 }
    struct State { var events: [Event] = []; var requests: [String] = []; var broken = false }
    let state = Mutex(State())
    static let credentials = "Basic " + Data("reports:s%C3%A9cret+1".utf8).base64EncodedString()

    func append(_ kind: String, _ value: String, time: Int64 = 1_800_000_000, expires: Int64 = 4_000_000_000) {
        state.withLock { $0.events.append(Event(seq: ($0.events.last?.seq ?? 0) + 1, kind: kind, value: value, time: time, expires: expires)) }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/revocations") { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 4096))
            let (events, broken) = self.state.withLock { s in s.requests.append(body); return (s.events, s.broken) }
            if broken { return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "<html>oops</html>"))) }
            guard request.headers[.authorization] == Self.credentials else {
                return Response(status: .unauthorized, body: .init(byteBuffer: ByteBuffer(string: #"{"error":"invalid_client"}"#)))
            }
            let form = Dictionary(FormEncoding.decode(Substring(body)), uniquingKeysWith: { a, _ in a })
            let after = Int64(form["after"] ?? "0") ?? 0
            let limit = Int(form["limit"] ?? "500") ?? 500
            let page = Array(events.filter { $0.seq > after }.prefix(limit))
            let latest = events.last?.seq ?? 0
            let next = page.last?.seq ?? min(after, latest)
            let items = page.map { #"{"seq":\#($0.seq),"kind":"\#($0.kind)","value":"\#($0.value)","time":\#($0.time),"expires":\#($0.expires)}"# }
            let json = #"{"events":[\#(items.joined(separator: ","))],"next":\#(next),"latest":\#(latest),"oldest":\#(events.first?.seq ?? 0)}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        return router
    }

    func listen<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let app = Application(router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in try await body("http://127.0.0.1:\(try #require(client.port))/revocations") }
    }
}

@Suite struct RevocationFeedTests {
    let now = Date(timeIntervalSince1970: 1_800_000_100)

    func feed(_ url: String, _ list: RevocationList, secret: String = "sécret 1", pageSize: Int = 500) -> RevocationFeed {
        RevocationFeed(endpoint: url, clientID: "reports", clientSecret: secret, httpClient: .shared, revocations: list, pageSize: pageSize)
    }

    @Test func aPollAppliesEveryEventPageByPageAndThenOnlyNewOnes() async throws {
        let server = FakeFeed()
        for i in 1...7 { server.append("sid", "session-\(i)") }
        try await server.listen { url in
            let list = RevocationList()
            let feed = feed(url, list, pageSize: 3)
            let applied = try await feed.poll(now: now)
            #expect(applied == 7)
            #expect(feed.cursor == 7)
            #expect(list.isRevoked(subject: nil, sessionID: "session-1", tokenID: nil, grantID: nil, issuedAt: nil))
            #expect(list.isRevoked(subject: nil, sessionID: "session-7", tokenID: nil, grantID: nil, issuedAt: nil))
            #expect(server.state.withLock { $0.requests.count } == 3, "7 events in pages of 3")
            server.append("sub", "account-9", time: 1_800_000_050)
            server.append("jti", "token-1")
            server.append("gid", "grant-1")
            server.append("future-kind", "x")
            let more = try await feed.poll(now: now)
            #expect(more == 3, "only the new events, the unknown kind skipped")
            #expect(feed.cursor == 11)
            #expect(list.isRevoked(subject: "account-9", sessionID: nil, tokenID: nil, grantID: nil, issuedAt: Date(timeIntervalSince1970: 1_800_000_000)))
            #expect(!list.isRevoked(subject: "account-9", sessionID: nil, tokenID: nil, grantID: nil, issuedAt: Date(timeIntervalSince1970: 1_800_000_060)))
            #expect(list.isRevoked(subject: nil, sessionID: nil, tokenID: "token-1", grantID: nil, issuedAt: nil))
            #expect(list.isRevoked(subject: nil, sessionID: nil, tokenID: nil, grantID: "grant-1", issuedAt: nil))
            let requests = server.state.withLock { $0.requests }
            #expect(requests.suffix(2) == ["after=7&limit=3", "after=10&limit=3"], "the cursor is sent: \(requests)")
            #expect(feed.lastSuccess == now)
        }
    }

    @Test func wrongCredentialsFailClearlyAndChangeNothing() async throws {
        let server = FakeFeed()
        server.append("sid", "s")
        try await server.listen { url in
            let list = RevocationList()
            let feed = feed(url, list, secret: "wrong")
            await #expect(throws: RevocationFeedError.self) { try await feed.poll(now: now) }
            do throws(RevocationFeedError) { try await feed.poll(now: now) } catch { #expect(error.description.contains("401") && error.description.contains("invalid_client")) }
            #expect(list.count == 0 && feed.cursor == 0 && feed.lastSuccess == nil)
        }
    }

    @Test func aBrokenOrUnreachableServerKeepsWhatIsKnown() async throws {
        let server = FakeFeed()
        server.append("sid", "known")
        let list = RevocationList()
        try await server.listen { url in
            let feed = feed(url, list)
            try await feed.poll(now: now)
            server.state.withLock { $0.broken = true }
            await #expect(throws: RevocationFeedError.self) { try await feed.poll(now: now) }
            #expect(feed.cursor == 1)
        }
        let unreachable = feed("http://127.0.0.1:9/revocations", list)
        await #expect(throws: RevocationFeedError.self) { try await unreachable.poll(now: now) }
        #expect(list.isRevoked(subject: nil, sessionID: "known", tokenID: nil, grantID: nil, issuedAt: nil))
    }

    @Test func aFeedWhoseSequenceWentBackIsReadAgainFromTheStart() async throws {
        let server = FakeFeed()
        for i in 1...3 { server.append("sid", "a\(i)") }
        try await server.listen { url in
            let list = RevocationList()
            let feed = feed(url, list)
            try await feed.poll(now: now)
            // The database was replaced: its sequence starts again below our cursor.
            server.state.withLock { $0.events = [] }
            server.append("sid", "b1")
            let reread = try await feed.poll(now: now)
            #expect(reread == 1)
            #expect(feed.cursor == 1)
            #expect(list.isRevoked(subject: nil, sessionID: "b1", tokenID: nil, grantID: nil, issuedAt: nil))
        }
    }

    @Test func formEncodingFollowsTheURLStandard() {
        #expect(FormEncoding.encode("sécret 1") == "s%C3%A9cret+1")
        #expect(FormEncoding.encode("a-b.c_d*~/:") == "a-b.c_d*%7E%2F%3A")
        let pairs = FormEncoding.decode("logout_token=a%2Bb&x=y+z&empty=")
        #expect(pairs.map(\.0) == ["logout_token", "x", "empty"] && pairs.map(\.1) == ["a+b", "y z", ""])
        #expect(FormEncoding.basicAuthorization(clientID: "reports", clientSecret: "sécret 1") == FakeFeed.credentials)
    }
}

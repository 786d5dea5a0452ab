import Foundation
import GatehouseJOSE
import GatehouseMiddleware
import Hummingbird
import Logging
import Synchronization

/// A stand-in for a Gatehouse server on a loopback port: it serves the discovery document and
/// the JWK Set of keys the test controls (publish, withdraw, rotate), with the `Cache-Control`
/// the test sets, counts the requests, and can fail on demand (``Outage``) or stop listening
/// altogether (connection refused). Tokens are minted with ``sign(_:with:type:keyID:)``.
///
/// ```swift
/// try await TestIssuer.withRunning { issuer in
///     let gatehouse = try await GatehouseApplicationVerifier.discover(issuer.configuration, httpClient: .shared)
///     let token = try issuer.sign(issuer.claims(now: .now))
///     _ = try await gatehouse.verifier.verify(token)
/// }
/// ```
final class TestIssuer: Sendable {
    /// How the JWK Set endpoint misbehaves.
    enum Outage: Sendable {
        /// `500 Internal Server Error`.
        case serverError
        /// `200` with a body that is not JSON.
        case garbage
        /// `200` with a JWK Set whose keys carry their private member `d`.
        case privateKeyMembers
        /// `200` with `{"keys":[]}`.
        case emptySet
    }

    struct State {
        var port = 0
        var published: [SigningKey]
        var signingKey: SigningKey
        var cacheControl: String?
        var outage: Outage?
        var jwksRequests = 0
        var discoveryRequests = 0
        /// Replaces `issuer` in the discovery document (for the §4.3 mismatch test).
        var advertisedIssuer: String?
        /// Extra or replaced discovery members.
        var discoveryOverrides: [String: JSONValue] = [:]
        /// A JWK Set served as is instead of the published keys' (keys made elsewhere).
        var rawJWKS: Data?
    }

    let state: Mutex<State>
    /// The audience the minted tokens name.
    let audience = "cong-van"
    private let server = Mutex<Task<Void, any Error>?>(nil)

    private init(keys: [SigningKey], cacheControl: String?) {
        state = Mutex(State(published: keys, signingKey: keys[0], cacheControl: cacheControl))
    }

    // MARK: Running

    /// Starts an issuer publishing `keys` (the first signs), runs `body`, then stops it.
    /// `routes` may add endpoints of its own (a revocation feed, a token endpoint).
    static func withRunning<T: Sendable>(
        keys: [SigningKey]? = nil, cacheControl: String? = "public, max-age=300",
        routes: @Sendable (Router<BasicRequestContext>, TestIssuer) -> Void = { _, _ in },
        _ body: (TestIssuer) async throws -> T
    ) async throws -> T {
        let issuer = TestIssuer(keys: try keys ?? [SigningKey.generate(.es256)], cacheControl: cacheControl)
        let router = Router()
        router.get("/.well-known/openid-configuration") { _, _ in issuer.discoveryResponse() }
        router.get("/jwks") { _, _ in issuer.jwksResponse() }
        routes(router, issuer)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "test-issuer")
        logger.logLevel = .error
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        issuer.server.withLock { $0 = task }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw CancellationError()
        }
        issuer.state.withLock { $0.port = port }
        defer { task.cancel() }
        let result = try await body(issuer)
        await issuer.stop()
        return result
    }

    /// Stops listening: from now on connections are refused.
    func stop() async {
        guard let task = server.withLock({ $0 }) else { return }
        task.cancel()
        _ = await task.result
    }

    // MARK: What it serves

    /// `http://127.0.0.1:PORT`.
    var issuer: String { "http://127.0.0.1:\(state.withLock { $0.port })" }
    /// The JWK Set URL.
    var jwksURI: String { issuer + "/jwks" }
    /// A verifier configuration for this issuer and ``audience``. Its HTTP deadline is long
    /// (60 s, not the library's 10 s), so that a loaded test machine cannot turn the answer a
    /// test waits for into a timeout; tests of timeouts set their own.
    var configuration: GatehouseVerifierConfiguration { .init(issuer: issuer, audience: audience, httpTimeout: 60) }

    /// Publishes `key` beside the others.
    func publish(_ key: SigningKey) { state.withLock { $0.published.append(key) } }
    /// Withdraws the key with `keyID`.
    func withdraw(_ keyID: String) { state.withLock { $0.published.removeAll { $0.keyID == keyID } } }
    /// Signs from now on with `key` (which need not be published).
    func signWith(_ key: SigningKey) { state.withLock { $0.signingKey = key } }
    /// The key tokens are signed with.
    var signingKey: SigningKey { state.withLock { $0.signingKey } }
    /// Serves `jwks` as is instead of the published keys (`nil`: the published keys again).
    func serveRawJWKS(_ jwks: Data?) { state.withLock { $0.rawJWKS = jwks } }
    /// Sets discovery members, replacing the defaults.
    func overrideDiscovery(_ members: [String: JSONValue]) { state.withLock { $0.discoveryOverrides.merge(members) { $1 } } }
    /// Makes the discovery document name another issuer.
    func advertiseIssuer(_ issuer: String?) { state.withLock { $0.advertisedIssuer = issuer } }
    /// Sets the JWK Set's `Cache-Control` (`nil`: none).
    func setCacheControl(_ value: String?) { state.withLock { $0.cacheControl = value } }
    /// Makes the JWK Set endpoint fail (`nil`: work again).
    func setOutage(_ outage: Outage?) { state.withLock { $0.outage = outage } }
    /// JWK Set requests served so far.
    var jwksRequests: Int { state.withLock { $0.jwksRequests } }
    /// Discovery requests served so far.
    var discoveryRequests: Int { state.withLock { $0.discoveryRequests } }

    // MARK: Tokens

    /// Valid access-token claims from this issuer for ``audience`` at `now`.
    func claims(now: Date, subject: String = TokenMinting.subject, roles: [String] = ["clerk@/ha-noi", "admin@/ha-noi/phuong-ba-dinh"],
                sessionID: String? = nil, grantID: String? = nil) -> JWTClaims {
        if let sessionID {
            return TokenMinting.claims(issuer: issuer, audience: audience, now: now, subject: subject, roles: roles,
                                       sessionID: sessionID, grantID: grantID)
        }
        return TokenMinting.claims(issuer: issuer, audience: audience, now: now, subject: subject, roles: roles, grantID: grantID)
    }

    /// Signs `claims` with `key` (default: the current signing key).
    func sign(_ claims: JWTClaims, with key: SigningKey? = nil, type: String? = "at+jwt", keyID: String? = nil) throws -> String {
        try TokenMinting.sign(claims, key: key ?? signingKey, type: type, keyID: keyID)
    }

    // MARK: Responses

    private func discoveryResponse() -> Response {
        let document = state.withLock { state -> [String: JSONValue] in
            state.discoveryRequests += 1
            let base = "http://127.0.0.1:\(state.port)"
            var document: [String: JSONValue] = [
                "issuer": .string(state.advertisedIssuer ?? base),
                "jwks_uri": .string(base + "/jwks"),
                "authorization_endpoint": .string(base + "/authorize"),
                "token_endpoint": .string(base + "/token"),
                "userinfo_endpoint": .string(base + "/userinfo"),
                "end_session_endpoint": .string(base + "/logout"),
                "introspection_endpoint": .string(base + "/introspect"),
                "revocation_endpoint": .string(base + "/revoke"),
                "gatehouse_revocation_feed_endpoint": .string(base + "/revocations"),
                "id_token_signing_alg_values_supported": ["ES256", "EdDSA", "RS256"],
            ]
            document.merge(state.discoveryOverrides) { $1 }
            return document
        }
        let body = (try? JSONEncoder().encode(JSONValue.object(document))) ?? Data()
        return Response(status: .ok, headers: [.contentType: "application/json", .connection: "close"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private func jwksResponse() -> Response {
        let (keys, cacheControl, outage, raw) = state.withLock { state in
            state.jwksRequests += 1
            return (state.published, state.cacheControl, state.outage, state.rawJWKS)
        }
        // No keep-alive: a stopped issuer then refuses at once instead of holding idle connections.
        var headers: HTTPFields = [.contentType: "application/json", .connection: "close"]
        if let cacheControl { headers[.cacheControl] = cacheControl }
        let body: Data
        switch outage {
        case .serverError?:
            return Response(status: .internalServerError, headers: [.connection: "close"])
        case .garbage?:
            body = Data("<html>maintenance</html>".utf8)
        case .emptySet?:
            body = Data(#"{"keys":[]}"#.utf8)
        case .privateKeyMembers?:
            body = TestIssuer.leakingJWKS(keys)
        case nil:
            if let raw { body = raw; break }
            body = (try? JWKSet(keys: keys.map(\.publicJWK)).jsonData()) ?? Data()
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The public JWKs of `keys`, each with a `d` member added, as a careless server might publish.
    static func leakingJWKS(_ keys: [SigningKey]) -> Data {
        let members = keys.map { key -> JSONValue in
            var object = (try? JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(key.publicJWK)))?.objectValue ?? [:]
            object["d"] = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE"
            return .object(object)
        }
        return (try? JSONEncoder().encode(JSONValue.object(["keys": .array(members)]))) ?? Data()
    }
}

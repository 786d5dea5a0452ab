public import Foundation
public import GatehouseJOSE
public import Logging
import Synchronization

/// The provider's verification keys (its JWK Set, RFC 7517 §5), held in memory and refreshed
/// behind the requests that use them.
///
/// - Reads are synchronous: a brief lock, no allocation, no network.
/// - The set is reused for the provider's `Cache-Control: max-age` (bounded by
///   ``KeyCachePolicy``). Once stale it keeps verifying while one fetch runs in the background.
/// - A token with an unknown `kid` causes a fetch at most once per
///   ``KeyCachePolicy/unknownKeyRefetchInterval``; concurrent callers share that fetch, so a
///   flood of made-up `kid`s costs the provider one request per interval.
/// - A failed fetch (unreachable provider, an error status, garbage, a set that leaks private
///   key members or holds no usable key) is logged and changes nothing: the last good keys stay.
///
/// ```swift
/// let cache = JWKSCache(jwksURI: metadata.jwksURI, httpClient: .shared, configuration: configuration)
/// try await cache.refresh()                               // at start-up
/// let keys = try await cache.keys(forKeyID: header.keyID) // fetches once more if the kid is new
/// ```
public final class JWKSCache: Sendable {
    /// Fetches the JWK Set document: a `GET` of `jwks_uri`, or anything else in tests.
    public typealias Fetch = @Sendable () async throws -> FetchedDocument

    /// What the cache holds and how its last fetch went, for health checks and logs.
    public struct Status: Sendable, Hashable {
        /// Usable keys held.
        public var keyCount: Int
        /// How many key sets have been installed.
        public var generation: Int
        /// Fetches started, successful or not.
        public var fetches: Int
        /// When the held set goes stale; `nil` before the first successful fetch.
        public var freshUntil: Date?
        /// When a set was last installed.
        public var lastSuccess: Date?
        /// The error of the last fetch, when it failed.
        public var lastError: ProviderError?
    }

    /// The lifetime and refetch rules.
    public let policy: KeyCachePolicy
    private let fetch: Fetch
    private let clock: @Sendable () -> Date
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var keys = VerificationKeySet([])
        var generation = 0
        var fetches = 0
        var freshUntil: Date?
        var lastAttempt: Date?
        var lastSuccess: Date?
        var lastError: ProviderError?
        var inFlight: Task<ProviderError?, Never>?
    }

    /// Creates an empty cache that gets its documents from `fetch`.
    /// - Parameter now: the clock deciding staleness and refetch intervals.
    public init(policy: KeyCachePolicy = KeyCachePolicy(), logger: Logger = Logger(label: "gatehouse.jwks"),
                now: @escaping @Sendable () -> Date = { Date() }, fetch: @escaping Fetch) {
        self.policy = policy
        self.fetch = fetch
        self.clock = now
        self.logger = logger
    }

    /// The keys held now, without any check or fetch.
    public var current: VerificationKeySet { state.withLock { $0.keys } }

    /// What the cache holds and how its last fetch went.
    public var status: Status {
        state.withLock {
            Status(keyCount: $0.keys.keys.count, generation: $0.generation, fetches: $0.fetches, freshUntil: $0.freshUntil,
                   lastSuccess: $0.lastSuccess, lastError: $0.lastError)
        }
    }

    /// The keys to verify with now, and their generation. When they are stale this starts
    /// one background fetch (unless one runs, or one was tried within the refetch interval)
    /// and still returns them.
    func keysForVerification() -> (keys: VerificationKeySet, generation: Int) {
        let now = clock()
        return state.withLock { state in
            let stale = state.freshUntil.map { now >= $0 } ?? true
            if stale, state.inFlight == nil, mayFetch(state, now: now) { state.inFlight = startFetch(&state, now: now) }
            return (state.keys, state.generation)
        }
    }

    /// Called when a token's `kid` matched nothing in generation `seen`: returns newer keys
    /// at once if another caller already installed them, else joins the running fetch or
    /// starts one (at most once per refetch interval) and returns what is held afterwards.
    func keysAfterUnknownKey(seen: Int) async -> (keys: VerificationKeySet, generation: Int) {
        let now = clock()
        let (task, keys, generation) = state.withLock { state -> (Task<ProviderError?, Never>?, VerificationKeySet, Int) in
            if state.generation != seen { return (nil, state.keys, state.generation) }
            if let running = state.inFlight { return (running, state.keys, state.generation) }
            guard mayFetch(state, now: now) else { return (nil, state.keys, state.generation) }
            let task = startFetch(&state, now: now)
            state.inFlight = task
            return (task, state.keys, state.generation)
        }
        guard let task else { return (keys, generation) }
        _ = await task.value
        return state.withLock { ($0.keys, $0.generation) }
    }

    /// The keys to verify a JWS whose header names `keyID` (or none): the held set when it
    /// has that `kid`, else the set after one refetch, subject to the refetch interval.
    ///
    /// ```swift
    /// let keys = try await cache.keys(forKeyID: try JWS.unverifiedHeader(token).keyID)
    /// ```
    /// - Throws: the last fetch's ``ProviderError`` when no key set could be loaded at all.
    public func keys(forKeyID keyID: String?) async throws(ProviderError) -> VerificationKeySet {
        let (held, generation) = keysForVerification()
        let known = keyID.map { held[keyID: $0] != nil } ?? !held.keys.isEmpty
        if known { return held }
        let (keys, _) = await keysAfterUnknownKey(seen: generation)
        if keys.keys.isEmpty {
            throw state.withLock { $0.lastError } ?? ProviderError(.noUsableKeys, "no JWK Set has been loaded yet")
        }
        return keys
    }

    /// Fetches the set now, or waits for the fetch already running, whatever the lifetime
    /// and refetch interval say. Call it once at start-up.
    /// - Throws: that fetch's ``ProviderError``; the keys held before are kept.
    public func refresh() async throws(ProviderError) {
        let now = clock()
        let task = state.withLock { state in
            if let running = state.inFlight { return running }
            let task = startFetch(&state, now: now)
            state.inFlight = task
            return task
        }
        if let error = await task.value { throw error }
    }

    /// Waits until no fetch is running (for tests, and for an orderly shutdown).
    public func waitForPendingFetch() async {
        while let task = state.withLock({ $0.inFlight }) { _ = await task.value }
    }

    private func mayFetch(_ state: State, now: Date) -> Bool {
        guard let last = state.lastAttempt else { return true }
        return now.timeIntervalSince(last) >= policy.unknownKeyRefetchInterval || now < last
    }

    /// Records the attempt and starts the fetch; the caller stores the task while still
    /// holding the lock, so the task's own update (which needs the lock) always comes after.
    private func startFetch(_ state: inout State, now: Date) -> Task<ProviderError?, Never> {
        state.lastAttempt = now
        state.fetches += 1
        return Task { await self.performFetch() }
    }

    private func performFetch() async -> ProviderError? {
        let outcome: Result<(VerificationKeySet, TimeInterval), ProviderError>
        do {
            let document = try await fetch()
            let keys = try JWKSCache.keySet(from: document)
            outcome = .success((keys, policy.timeToLive(cacheControl: document.cacheControl, age: document.age)))
        } catch let error as ProviderError {
            outcome = .failure(error)
        } catch {
            outcome = .failure(ProviderError(.unreachable, "\(error)"))
        }
        let now = clock()
        let held = state.withLock { state -> Int in
            state.inFlight = nil
            switch outcome {
            case .success(let (keys, lifetime)):
                state.keys = keys
                state.generation += 1
                state.freshUntil = now + lifetime
                state.lastSuccess = now
                state.lastError = nil
            case .failure(let error):
                state.lastError = error
            }
            return state.keys.keys.count
        }
        switch outcome {
        case .success(let (keys, lifetime)):
            logger.debug("JWK Set loaded", metadata: ["keys": "\(keys.keys.count)", "lifetime_s": "\(Int(lifetime))"])
            return nil
        case .failure(let error):
            logger.warning("JWK Set fetch failed; keeping the \(held) key(s) held", metadata: ["error": "\(error)"])
            return error
        }
    }

    /// Builds the usable keys of a JWK Set document.
    /// - Throws: ``ProviderError/Code/privateKeyMaterial`` when any member carries private
    ///   members; ``ProviderError/Code/invalidDocument`` when it is no JWK Set or a usable key is
    ///   malformed; ``ProviderError/Code/noUsableKeys`` when nothing is left.
    static func keySet(from document: FetchedDocument) throws(ProviderError) -> VerificationKeySet {
        let keys: VerificationKeySet
        do {
            keys = try VerificationKeySet(JWKSet(json: Data(document.body)))
        } catch let error as JOSEError where error.code == .privateKeyMaterial {
            throw ProviderError(.privateKeyMaterial, error.reason)
        } catch let error as JOSEError {
            throw ProviderError(.invalidDocument, "not a usable JWK Set: \(error.reason)")
        } catch {
            throw ProviderError(.invalidDocument, "not a usable JWK Set")
        }
        guard !keys.keys.isEmpty else { throw ProviderError(.noUsableKeys, "the JWK Set holds no ES256, EdDSA or RSA signing key") }
        return keys
    }
}

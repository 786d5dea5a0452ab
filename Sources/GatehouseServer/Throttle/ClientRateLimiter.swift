import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseOAuth
import GatehousePolicy
import Synchronization

/// A token bucket per client and source address at the token, introspection, revocation and
/// revocation-feed endpoints (`password.yaml` `client_rate_limit:`, ``ClientRateLimitPolicy``).
///
/// - **Keyed by the client the request names and the address it comes from.** The client id
///   is public (it is in every authorization URL), so a bucket per client alone would let
///   anyone starve a confidential client by posting under its id with a wrong secret. With the
///   address in the key, such an attacker empties only their own bucket, and a public client
///   used from many devices is not throttled as a whole. A request naming no client shares
///   its address's bucket for no client.
/// - **Counted before the engine runs**, so refused requests cost no secret verification,
///   signature or store access.
/// - **Kept in this node's memory**, not in the store: a limit that exists to spare the server
///   must not cost a durable write per request. With N nodes behind a balancer a client may get
///   up to N times the limit; the login counters, which guard passwords, are in the store.
/// - At most `maximumBuckets` are kept: full buckets (as good as new ones) are dropped first,
///   then the least recently used.
///
/// ```swift
/// let limiter = ClientRateLimiter(policy: .defaults, clock: SystemClock())
/// if let retryAfter = limiter.take(clientID: "portal", sourceIP: "10.0.0.5") { /* 429, Retry-After */ }
/// ```
final class ClientRateLimiter: Sendable {
    let policy: ClientRateLimitPolicy
    let clock: any Clock
    let maximumBuckets: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    init(policy: ClientRateLimitPolicy, clock: any Clock, maximumBuckets: Int = 10_000) {
        self.policy = policy
        self.clock = clock
        self.maximumBuckets = maximumBuckets
    }

    /// Takes one token from the bucket of (`clientID`, `sourceIP`). Returns `nil` when the
    /// request may go on, or the whole seconds until a token is back (at least 1).
    func take(clientID: String?, sourceIP: String?) -> Int? {
        let key = (clientID.map { String($0.prefix(128)) } ?? "") + "\n" + SourceNetwork(sourceIP).address
        let now = clock.now()
        let capacity = Double(policy.burst), rate = policy.perSecond
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = max(0, now.timeIntervalSince(bucket.updated))
            bucket.tokens = min(capacity, bucket.tokens + elapsed * rate)
            bucket.updated = max(bucket.updated, now)
            let refused: Int?
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                refused = nil
            } else {
                refused = max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
            }
            if buckets[key] == nil && buckets.count >= maximumBuckets { evict(&buckets, now: now) }
            buckets[key] = bucket
            return refused
        }
    }

    /// How many buckets are kept now.
    var bucketCount: Int { buckets.withLock { $0.count } }

    /// Drops the full buckets (a new one would be the same), then, if that was not enough,
    /// the least recently used tenth.
    private func evict(_ buckets: inout [String: Bucket], now: Date) {
        let capacity = Double(policy.burst), rate = policy.perSecond
        buckets = buckets.filter { $0.value.tokens + max(0, now.timeIntervalSince($0.value.updated)) * rate < capacity }
        guard buckets.count >= maximumBuckets else { return }
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(max(1, maximumBuckets / 10)).map(\.key)
        for key in oldest { buckets[key] = nil }
    }

    /// The client a protocol request names, unverified: `client_id`, else the id of the Basic
    /// credentials, else the subject of a client assertion. Only a bucket key.
    static func claimedClient(_ request: EndpointRequest) -> String? {
        if let id = request.parameters["client_id"], !id.isEmpty { return id }
        if let header = request.authorization, header.utf8.count <= 4096 {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "basic",
               let data = Data(base64Encoded: parts[1].trimmingCharacters(in: .whitespaces)),
               let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") {
                let id = String(text[..<colon])
                return id.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? id
            }
        }
        if let assertion = request.parameters["client_assertion"], assertion.utf8.count <= 8192 {
            let segments = assertion.split(separator: ".", omittingEmptySubsequences: false)
            if segments.count == 3, let payload = Base64URL.decode(segments[1]),
               let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
               let subject = object["sub"] as? String {
                return subject
            }
        }
        return nil
    }
}

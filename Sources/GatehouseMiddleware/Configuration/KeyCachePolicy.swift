public import Foundation

/// How long a fetched JWK Set is trusted, and how often a token with an unknown `kid` may
/// cause a new fetch.
///
/// The provider's `Cache-Control: max-age` (RFC 9111 §5.2.2.1) sets the lifetime, bounded by
/// ``minimumTimeToLive`` and ``maximumTimeToLive``; `no-store` and `no-cache` mean the minimum,
/// and a response without `max-age` gets ``defaultTimeToLive``. Keys past their lifetime keep
/// verifying while a new set is fetched in the background.
///
/// ```swift
/// let policy = KeyCachePolicy(minimumTimeToLive: 30, unknownKeyRefetchInterval: 5)
/// policy.timeToLive(cacheControl: "public, max-age=600", age: nil)   // 600
/// ```
public struct KeyCachePolicy: Sendable, Hashable {
    /// The shortest lifetime, in seconds: 60 by default.
    public var minimumTimeToLive: TimeInterval
    /// The longest lifetime, in seconds: 24 hours by default.
    public var maximumTimeToLive: TimeInterval
    /// The lifetime when the response says nothing: 300 seconds by default.
    public var defaultTimeToLive: TimeInterval
    /// The least time between two fetches caused by unknown `kid`s (or by failed fetches):
    /// 10 seconds by default. A flood of tokens with made-up `kid`s costs at most one fetch
    /// per interval.
    public var unknownKeyRefetchInterval: TimeInterval

    /// Creates a policy.
    public init(minimumTimeToLive: TimeInterval = 60, maximumTimeToLive: TimeInterval = 24 * 3600,
                defaultTimeToLive: TimeInterval = 300, unknownKeyRefetchInterval: TimeInterval = 10) {
        self.minimumTimeToLive = minimumTimeToLive
        self.maximumTimeToLive = maximumTimeToLive
        self.defaultTimeToLive = defaultTimeToLive
        self.unknownKeyRefetchInterval = unknownKeyRefetchInterval
    }

    /// The lifetime of a response with this `Cache-Control` value and `Age` (RFC 9111 §4.2):
    /// `max-age` minus the age, within the bounds.
    public func timeToLive(cacheControl: String?, age: TimeInterval?) -> TimeInterval {
        let lifetime: TimeInterval
        switch CacheControl(cacheControl) {
        case .noCache: lifetime = minimumTimeToLive
        case .maxAge(let seconds): lifetime = seconds - (age.flatMap { $0.isFinite ? max($0, 0) : nil } ?? 0)
        case .unspecified: lifetime = defaultTimeToLive
        }
        return min(max(lifetime, minimumTimeToLive), max(maximumTimeToLive, minimumTimeToLive))
    }
}

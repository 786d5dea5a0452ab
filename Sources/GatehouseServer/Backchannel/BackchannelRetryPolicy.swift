public import Foundation

/// When a failed back-channel logout delivery is tried again, and when it is given up.
///
/// The delay after the `n`th failed attempt doubles from `initialDelay` and is capped at
/// `maximumDelay`: 5 s, 10 s, 20 s, 40 s, 80 s, 160 s, 320 s, then 600 s, each shortened by a
/// random share of up to `jitter` so that deliveries failing together do not retry together.
/// A delivery is abandoned after `maximumAttempts` attempts, or when its next attempt would
/// fall at or after its expiry (the logout token's `exp`, or `maximumAge` after it was queued
/// if sooner): an application must refuse an expired logout token (Back-Channel Logout 1.0
/// §2.6), so sending one later is pointless.
///
/// Every function here is pure: randomness comes in as a number in `0..<1`.
public struct BackchannelRetryPolicy: Sendable, Hashable {
    public var initialDelay: TimeInterval
    public var maximumDelay: TimeInterval
    /// Attempts before giving up, the first included.
    public var maximumAttempts: Int
    /// How long after queueing a delivery may still be attempted.
    public var maximumAge: TimeInterval
    /// The largest share (`0...1`) taken off a delay at random.
    public var jitter: Double

    public init(initialDelay: TimeInterval = 5, maximumDelay: TimeInterval = 600, maximumAttempts: Int = 20,
                maximumAge: TimeInterval = 24 * 3600, jitter: Double = 0.2) {
        self.initialDelay = max(0, initialDelay)
        self.maximumDelay = max(self.initialDelay, maximumDelay)
        self.maximumAttempts = max(1, maximumAttempts)
        self.maximumAge = max(0, maximumAge)
        self.jitter = min(1, max(0, jitter))
    }

    /// The delay before the attempt that follows failed attempt number `attempt` (1 for the
    /// first), with `random` in `0..<1` choosing how much jitter takes off.
    public func delay(afterAttempt attempt: Int, random: Double) -> TimeInterval {
        let doublings = max(0, attempt - 1)
        // 2^doublings overflows nothing: past 62 doublings the cap has long applied.
        let nominal = doublings >= 62 ? maximumDelay : min(maximumDelay, initialDelay * Double(UInt64(1) << UInt64(doublings)))
        return nominal * (1 - jitter * min(max(random, 0), 1))
    }

    /// When to make the next attempt after attempt number `attempts` failed at `failedAt`, or
    /// `nil` to give up (too many attempts, or the next one would come at or after `expiresAt`).
    public func nextAttempt(afterAttempt attempts: Int, failedAt: Date, expiresAt: Date, random: Double) -> Date? {
        guard attempts < maximumAttempts else { return nil }
        let next = failedAt + delay(afterAttempt: attempts, random: random)
        return next < expiresAt ? next : nil
    }

    /// When a delivery queued at `createdAt` with a logout token expiring at `tokenExpiry` is abandoned.
    public func expiry(createdAt: Date, tokenExpiry: Date?) -> Date {
        let byAge = createdAt + maximumAge
        guard let tokenExpiry else { return byAge }
        return min(byAge, tokenExpiry)
    }
}

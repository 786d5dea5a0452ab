public import Foundation

/// `password.yaml` `lockout:`: how password guessing at the login form is slowed down and then
/// stopped (NIST SP 800-63B §5.2.2 "Rate Limiting (Throttling)"; OWASP Authentication Cheat
/// Sheet, "Protect Against Automated Attacks").
///
/// Failures are counted under four keys at once; each count is forgotten once `window` passes
/// without a new failure under it:
///
/// | counter                         | slows down                                       | stops                                  |
/// |---------------------------------|--------------------------------------------------|----------------------------------------|
/// | account × source network        | after `freeFailures`: `firstDelay`, doubling, ≤ `maxDelay` | at `lockAfter`, for `lockDuration`   |
/// | account, from every network     | —                                                | at `accountLockAfter`, for `lockDuration` |
/// | source address                  | —                                                | at `addressLimit`, for `sourceBlock`   |
/// | source network (IPv4 /24, IPv6 /64) | —                                            | at `networkLimit`, for `sourceBlock`   |
///
/// ```yaml
/// lockout:
///   free_failures: 3
///   first_delay: 1s
///   max_delay: 1m
///   lock_after: 10
///   lock_duration: 15m
/// ```
public struct LockoutPolicy: Hashable, Sendable {
    /// Failures of one account from one network allowed before any delay.
    public var freeFailures: Int
    /// The wait after the first failure past `freeFailures`; each further failure doubles it.
    public var firstDelay: TimeInterval
    /// The longest wait between two attempts before the lock.
    public var maxDelay: TimeInterval
    /// Failures of one account from one network that lock it for that network.
    public var lockAfter: Int
    /// How long a lock (of an account, for one network or for all) lasts.
    public var lockDuration: TimeInterval
    /// Failures of one account from all networks together that lock it everywhere: guessing
    /// spread over many networks. NIST SP 800-63B allows at most 100.
    public var accountLockAfter: Int
    /// Failures from one source address, over every account, that block that address.
    public var addressLimit: Int
    /// Failures from one source network, over every account, that block that network.
    public var networkLimit: Int
    /// How long a blocked address or network stays blocked.
    public var sourceBlock: TimeInterval
    /// A counter starts again from zero once this long has passed since its last failure.
    public var window: TimeInterval

    public init(
        freeFailures: Int, firstDelay: TimeInterval, maxDelay: TimeInterval, lockAfter: Int, lockDuration: TimeInterval,
        accountLockAfter: Int, addressLimit: Int, networkLimit: Int, sourceBlock: TimeInterval, window: TimeInterval
    ) {
        self.freeFailures = freeFailures
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
        self.lockAfter = lockAfter
        self.lockDuration = lockDuration
        self.accountLockAfter = accountLockAfter
        self.addressLimit = addressLimit
        self.networkLimit = networkLimit
        self.sourceBlock = sourceBlock
        self.window = window
    }

    /// The values used when `lockout:` is absent; the shipped `password.yaml` spells out the same.
    public static let defaults = LockoutPolicy(
        freeFailures: 3, firstDelay: 1, maxDelay: 60, lockAfter: 10, lockDuration: 15 * 60,
        accountLockAfter: 50, addressLimit: 30, networkLimit: 100, sourceBlock: 15 * 60, window: 3600)

    /// How long an account must wait, from one network, after its `failures`-th failure from
    /// there: nothing up to `freeFailures`, then the growing delay, then `lockDuration`.
    ///
    /// ```swift
    /// LockoutPolicy.defaults.wait(afterFailures: 4)    // 1 (s)
    /// LockoutPolicy.defaults.wait(afterFailures: 6)    // 4
    /// LockoutPolicy.defaults.wait(afterFailures: 10)   // 900: locked
    /// ```
    public func wait(afterFailures failures: Int) -> TimeInterval? {
        if failures >= lockAfter { return lockDuration }
        guard failures > freeFailures else { return nil }
        let doublings = min(failures - freeFailures - 1, 30)
        return min(firstDelay * Double(1 << doublings), maxDelay)
    }

    static let countRange = 1...1_000
    static let freeRange = 0...100
}

/// `password.yaml` `client_rate_limit:`: a token bucket per client and source address at the
/// token, introspection, revocation and revocation-feed endpoints.
///
/// ```yaml
/// client_rate_limit:
///   per_second: 50
///   burst: 200
/// ```
public struct ClientRateLimitPolicy: Hashable, Sendable {
    /// Tokens added to a bucket each second: the sustained rate.
    public var perSecond: Double
    /// The bucket's size: how many requests may come at once after a quiet spell.
    public var burst: Int

    public init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
    }

    public static let defaults = ClientRateLimitPolicy(perSecond: 50, burst: 200)
}

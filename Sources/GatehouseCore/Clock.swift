public import Foundation

/// Where "now" comes from. Injected everywhere, so expiry can be tested exactly.
public protocol Clock: Sendable {
    func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: Clock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock tests move by hand.
public final class ManualClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }
    public func now() -> Date { lock.withLock { current } }
    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
    public func set(_ date: Date) { lock.withLock { current = date } }
}

/// Where new ids come from.
public protocol IDGenerator: Sendable {
    func uuid() -> UUID
}

/// Random (version 4) UUIDs.
public struct RandomIDGenerator: IDGenerator {
    public init() {}
    public func uuid() -> UUID { UUID() }
}

import Foundation
import Synchronization

/// A clock the test moves by hand, so that cache lifetimes and refetch intervals are tested
/// without sleeping.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }

    /// The time now.
    func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward.
    func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }

    /// The clock as the closure the middleware takes.
    var closure: @Sendable () -> Date { { self.now() } }
}

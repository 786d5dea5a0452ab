import Foundation

/// `map` spread over every core, for CPU-bound checks of many independent items; the results
/// keep the order of the items.
enum ParallelMap {
    static func map<T: Sendable, U: Sendable>(_ items: [T], _ transform: @Sendable (T) -> U) -> [U] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, items.count / 1_000))
        guard workers > 1 else { return items.map(transform) }
        let chunk = (items.count + workers - 1) / workers
        let results = ResultSlots<U>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let range = worker * chunk..<min(items.count, (worker + 1) * chunk)
            results.store(items[range].map(transform), at: worker)
        }
        return results.joined()
    }
}

/// One slot per worker, each written once by its own worker before any is read.
private final class ResultSlots<U: Sendable>: @unchecked Sendable {
    private var slots: [[U]]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func store(_ values: [U], at index: Int) { lock.withLock { slots[index] = values } }

    func joined() -> [U] { lock.withLock { slots.flatMap { $0 } } }
}

internal import Dispatch
internal import Synchronization

/// Hands pages from a thread that blocks (an LDAP pool's, reading the directory) to async code
/// (writing them to the store), holding at most `capacity` pages in between: when the consumer
/// falls behind, the reader waits, so memory stays bounded however large the directory.
///
/// ```swift
/// let channel = PageChannel<[DirectoryUser]>(capacity: 2)
/// // reader thread:  try channel.send(page) … channel.finish()
/// for try await page in channel.pages { channel.taken(); … }
/// ```
final class PageChannel<Element: Sendable>: Sendable {
    let pages: AsyncThrowingStream<Element, any Error>
    private let continuation: AsyncThrowingStream<Element, any Error>.Continuation
    private let slots: DispatchSemaphore
    private let cancelled = Atomic<Bool>(false)

    init(capacity: Int) {
        (pages, continuation) = AsyncThrowingStream.makeStream(of: Element.self, throwing: (any Error).self)
        slots = DispatchSemaphore(value: max(1, capacity))
    }

    /// Queues `element`, first waiting for room. Throws `CancellationError` once the consumer
    /// has given up, so the reader stops (and, for a paged search, releases the server's state).
    func send(_ element: Element) throws {
        if cancelled.load(ordering: .acquiring) { throw CancellationError() }
        slots.wait()
        if cancelled.load(ordering: .acquiring) {
            slots.signal()
            throw CancellationError()
        }
        continuation.yield(element)
    }

    /// The consumer took an element: room for another.
    func taken() { slots.signal() }

    /// No more elements; with `error`, the consumer's loop throws it.
    func finish(throwing error: (any Error)? = nil) {
        if let error { continuation.finish(throwing: error) } else { continuation.finish() }
    }

    /// The consumer gives up: a reader waiting for room, or sending next, gets `CancellationError`.
    func cancel() {
        guard !cancelled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        slots.signal()
        continuation.finish()
    }
}

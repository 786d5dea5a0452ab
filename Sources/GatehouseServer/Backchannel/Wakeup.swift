import Synchronization

/// Wakes one waiting loop early: `wait(upTo:)` returns when the time is up, when `signal()`
/// is called, or when the waiting task is cancelled. A signal that comes while nobody waits is
/// kept for the next `wait`, so a wake between two waits is never lost; several signals in a
/// row make one wake.
final class Wakeup: Sendable {
    private struct State {
        var signalled = false
        var sleeper: Task<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let sleeper = state.withLock { state in
            state.signalled = true
            defer { state.sleeper = nil }
            return state.sleeper
        }
        sleeper?.cancel()
    }

    func wait(upTo timeout: Duration) async {
        guard timeout > .zero else { return }
        let sleeper = Task { _ = try? await Task.sleep(for: timeout) }
        let signalled = state.withLock { state in
            if state.signalled { return true }
            state.sleeper = sleeper
            return false
        }
        if !signalled {
            await withTaskCancellationHandler { await sleeper.value } onCancel: { sleeper.cancel() }
        }
        sleeper.cancel()
        // Whatever signalled while we slept is answered by this wake.
        state.withLock { state in
            state.signalled = false
            state.sleeper = nil
        }
    }
}

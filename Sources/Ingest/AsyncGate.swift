/// Runs async sections one at a time, in arrival order. An actor alone does not do this: it is re-entrant
/// at every `await`, so two ingests could interleave their store and index writes.
actor AsyncGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    private func enter() async {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
    }

    private func leave() {
        if waiters.isEmpty {
            busy = false
        } else {
            // Ownership passes straight to the next waiter, so `busy` stays true.
            waiters.removeFirst().resume()
        }
    }

    /// Runs `body` once every earlier section has finished.
    nonisolated func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await enter()
        do {
            let result = try await body()
            await leave()
            return result
        } catch {
            await leave()
            throw error
        }
    }
}

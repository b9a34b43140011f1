import Foundation
import Synchronization

/// Lets at most `limit` sections run at once and queues the rest first come, first served. With a limit of 1
/// it is the writers' gate (one ingest at a time, one mirror push at a time): an actor alone would not do,
/// as it is re-entrant at every `await`, so two ingests could interleave their store and index writes.
///
/// For searches:
/// Under load, Swift's cooperative pool interleaves the steps of every request in flight, so each request's
/// latency is the whole backlog's and the slowest wait twice as long as the median. Gating the search so a
/// few run to completion while the others wait in order keeps the same throughput with a far tighter tail
/// (`aigov bench serve`, docs/BENCHMARKS.md). A waiter whose task is cancelled (the client went away)
/// leaves the queue at once.
public final class AdmissionGate: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var running = 0
        var nextID: UInt64 = 0
        var queue: [Waiter] = []
        var head = 0

        mutating func popFirst() -> Waiter? {
            guard head < queue.count else { return nil }
            let waiter = queue[head]
            head += 1
            // Compact now and then, so the array does not grow with every request ever queued.
            if head > 64 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return waiter
        }
    }

    /// Most searches running at once.
    public let limit: Int
    private let state = Mutex(State())

    /// A gate for `limit` concurrent runs (at least 1); the default is two per core, so one can wait on the
    /// database while another computes.
    public init(limit: Int = 2 * ProcessInfo.processInfo.activeProcessorCount) {
        self.limit = max(1, limit)
    }

    /// Runs `body` once a place is free. Throws `CancellationError` if the task is cancelled while waiting.
    public func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await enter()
        defer { leave() }
        return try await body()
    }

    /// Requests waiting for a place.
    public var waiting: Int { state.withLock { $0.queue.count - $0.head } }

    private func enter() async throws {
        // Admitted at once, or a ticket to wait with.
        let ticket = state.withLock { state -> UInt64? in
            if state.running < limit && state.head == state.queue.count {
                state.running += 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id = ticket else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool? = state.withLock { state in
                    if Task.isCancelled { return false }
                    // A place may have freed between the first look and now.
                    if state.running < limit && state.head == state.queue.count {
                        state.running += 1
                        return true
                    }
                    state.queue.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                switch resumeNow {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let removed = state.withLock { state -> Waiter? in
                guard let index = state.queue[state.head...].firstIndex(where: { $0.id == id }) else { return nil }
                return state.queue.remove(at: index)
            }
            removed?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Frees a place: hands it straight to the first waiter, or returns it.
    private func leave() {
        let next = state.withLock { state -> Waiter? in
            if let waiter = state.popFirst() { return waiter }
            state.running -= 1
            return nil
        }
        next?.continuation.resume()
    }
}

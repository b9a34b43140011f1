import Foundation
import Synchronization

/// The threads that run password hashes, kept apart from the ones that serve searches.
///
/// A login costs 600,000 PBKDF2 rounds (about a quarter of a second of CPU). On the cooperative pool or the
/// global Dispatch queues a login flood would take every thread that embeds questions and walks the index.
/// Here hashes run on `workers` threads of their own (default half the cores, at least one) that lower their
/// scheduling priority (nice 10), so under a flood searches keep most of the CPU; at most `capacity` hashes
/// wait or run, and the rest are refused at once (the caller answers 503) instead of queueing without bound.
final class HashingPool: Sendable {
    private struct Queue {
        var jobs: [@Sendable () -> Void] = []
        var head = 0
        var admitted = 0
    }

    private let queue = Mutex(Queue())
    private let ready = DispatchSemaphore(value: 0)
    let capacity: Int

    /// The pool every server of the process shares: its threads live as long as the process.
    static let shared = HashingPool()

    init(workers: Int = max(1, ProcessInfo.processInfo.activeProcessorCount / 2), capacity: Int = 32) {
        self.capacity = max(1, capacity)
        for index in 0..<max(1, workers) {
            let thread = Thread { [self] in workerLoop() }
            thread.name = "aigov-hash-\(index)"
            thread.start()
        }
    }

    private func workerLoop() -> Never {
        Self.lowerThreadPriority()
        while true {
            ready.wait()
            let job = queue.withLock { state -> (@Sendable () -> Void) in
                let job = state.jobs[state.head]
                state.head += 1
                if state.head > 64, state.head * 2 > state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return job
            }
            job()
        }
    }

    /// Runs `work` on a hashing thread; nil, without running it, when `capacity` hashes already wait or run.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let admitted = queue.withLock { state in
                guard state.admitted < capacity else { return false }
                state.admitted += 1
                state.jobs.append { [self] in
                    let result = work()
                    queue.withLock { $0.admitted -= 1 }
                    continuation.resume(returning: result)
                }
                return true
            }
            if admitted { ready.signal() } else { continuation.resume(returning: nil) }
        }
    }

    /// Whether a hash submitted now would be refused: lets a login answer 503 before it reads its body or the
    /// store, so a flood that finds the pool full costs as little as possible.
    var isSaturated: Bool { queue.withLock { $0.admitted >= capacity } }

    /// nice 10 for the calling thread only: on Linux the nice value belongs to each thread, and `who` 0 names
    /// the caller (setpriority(2), NOTES).
    private static func lowerThreadPriority() {
        #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }
}

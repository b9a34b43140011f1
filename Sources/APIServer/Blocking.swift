import Foundation

/// Runs blocking work (parsing a document, scanning an upload) on a Dispatch thread, so it never occupies
/// one of the few threads of Swift's cooperative pool, which also run request handling.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}

/// Runs CPU-heavy or blocking work (password hashing) on a Dispatch thread, so it never occupies one of the
/// few threads of Swift's cooperative pool or an event loop. At most `limit` run at once: a burst of logins
/// queues instead of starving everything else of CPU.
final class BlockingPool: Sendable {
    private let semaphore: DispatchSemaphore

    init(limit: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)) {
        semaphore = DispatchSemaphore(value: limit)
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [semaphore] in
                semaphore.wait()
                let result = work()
                semaphore.signal()
                continuation.resume(returning: result)
            }
        }
    }

    static let passwords = BlockingPool()
}

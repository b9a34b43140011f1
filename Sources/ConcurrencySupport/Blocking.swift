import Foundation

/// Runs blocking work (a child process, file I/O, parsing a document, a long computation) on a Dispatch thread,
/// keeping it off Swift's cooperative pool, which has only one thread per core and also runs request handling.
@discardableResult
public func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}

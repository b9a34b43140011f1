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

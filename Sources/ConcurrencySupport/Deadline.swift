/// Thrown by ``withDeadline(_:_:)`` when the work outlived its time.
public struct DeadlineExceeded: Error, Sendable, Equatable {
    /// The time the work was given.
    public let limit: Duration

    /// The error for work given `limit`.
    public init(limit: Duration) { self.limit = limit }
}

/// Runs `body`, giving up after `limit`: then `body`'s task is cancelled and ``DeadlineExceeded`` thrown. Returns
/// only once `body` has ended, so `body` must honour cancellation (database pools and HTTP clients do) for the
/// limit to hold.
public func withDeadline<T: Sendable>(
    _ limit: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw DeadlineExceeded(limit: limit) }
        return value
    }
}

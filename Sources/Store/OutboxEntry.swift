import Foundation

/// What the Qdrant mirror must do with one point.
public enum OutboxOperation: String, Sendable, Equatable, CaseIterable {
    case upsert
    case delete
}

/// One pending change for the Qdrant mirror (ARCHITECTURE.md section 6), queued in the same transaction as the
/// change itself so the mirror can never miss a committed write.
public struct OutboxEntry: Sendable, Equatable {
    /// Increasing in commit order: pushing in id order replays changes in order.
    public var id: Int64
    public var chunkID: String
    public var documentID: String
    public var operation: OutboxOperation
    public var createdAt: Date
    /// Failed pushes so far.
    public var attempts: Int
    /// The last push failure, secret-free.
    public var lastError: String?

    /// An outbox value as read from the store.
    public init(
        id: Int64, chunkID: String, documentID: String, operation: OutboxOperation, createdAt: Date, attempts: Int,
        lastError: String?
    ) {
        self.id = id
        self.chunkID = chunkID
        self.documentID = documentID
        self.operation = operation
        self.createdAt = createdAt
        self.attempts = attempts
        self.lastError = lastError
    }
}

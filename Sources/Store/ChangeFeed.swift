import Foundation

/// One entry of the store's change feed (docs/ARCHITECTURE.md, "Replicas follow the store"): chunk `chunkID` was
/// written or deleted by the commit that queued it. Entries are written in the same transaction as the change,
/// and their sequence numbers increase in commit order on both engines, so a replica that has applied every
/// entry up to `sequence` has seen every change committed before it.
public struct ChunkChange: Sendable, Equatable {
    /// Increasing in commit order, never reused (pruned entries leave a gap).
    public var sequence: Int64
    public var chunkID: String
    public var documentID: String
    /// What the commit did; a follower re-reads the chunk's current row either way, so a later change wins.
    public var operation: OutboxOperation
    public var changedAt: Date

    /// An entry as read from the store.
    public init(sequence: Int64, chunkID: String, documentID: String, operation: OutboxOperation, changedAt: Date) {
        self.sequence = sequence
        self.chunkID = chunkID
        self.documentID = documentID
        self.operation = operation
        self.changedAt = changedAt
    }
}

/// Where the feed stands relative to one follower's position.
public struct ChangeFeedStatus: Sendable, Equatable {
    /// The newest sequence number committed (0 for an empty feed).
    public var head: Int64
    /// Entries up to this sequence were pruned: a follower behind it must reconcile in full instead.
    public var prunedThrough: Int64
    /// Entries after the follower's position.
    public var pending: Int
    /// When the oldest of those was committed; nil when none is pending.
    public var oldestPendingAt: Date?

    /// A status as read from the store.
    public init(head: Int64, prunedThrough: Int64, pending: Int, oldestPendingAt: Date?) {
        self.head = head
        self.prunedThrough = prunedThrough
        self.pending = pending
        self.oldestPendingAt = oldestPendingAt
    }
}

/// A chunk's vectors as the replica that ingested it computed them, so other replicas index the chunk without
/// running the model again. Kept per model: vectors of another `model` are ignored and computed afresh.
public struct ChunkVectors: Sendable, Equatable {
    public var chunkID: String
    /// The embedder's fingerprint.
    public var model: String
    public var vector: [Float]
    /// The passage windows' vectors (empty when the ingesting replica did not embed windows).
    public var windows: [[Float]]

    /// Vectors for one chunk.
    public init(chunkID: String, model: String, vector: [Float], windows: [[Float]]) {
        self.chunkID = chunkID
        self.model = model
        self.vector = vector
        self.windows = windows
    }

    /// Little-endian float32s, the column format of both engines.
    static func bytes(_ vectors: [[Float]]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vectors.reduce(0) { $0 + $1.count } * 4)
        for vector in vectors {
            for value in vector {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// Reads `bytes` back as vectors of `dimension` floats; nil when the length is not a whole number of them.
    static func vectors(_ bytes: some Collection<UInt8>, dimension: Int) -> [[Float]]? {
        guard dimension > 0, bytes.count % (dimension * 4) == 0 else { return nil }
        var floats: [Float] = []
        floats.reserveCapacity(bytes.count / 4)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next(), let b1 = iterator.next(), let b2 = iterator.next(), let b3 = iterator.next() {
            let pattern = UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16 | UInt32(b3) << 24
            floats.append(Float(bitPattern: pattern))
        }
        return stride(from: 0, to: floats.count, by: dimension).map { Array(floats[$0..<$0 + dimension]) }
    }

    /// A row's columns decoded, or nil when a column's length does not fit the vector's dimension (a row written
    /// by a broken writer is treated as missing, and the vectors are computed again).
    static func decode(chunkID: String, model: String, vector: [UInt8], windows: [UInt8]) -> ChunkVectors? {
        let dimension = vector.count / 4
        guard let main = vectors(vector, dimension: dimension), main.count == 1,
            let windowVectors = vectors(windows, dimension: dimension)
        else { return nil }
        return ChunkVectors(chunkID: chunkID, model: model, vector: main[0], windows: windowVectors)
    }
}

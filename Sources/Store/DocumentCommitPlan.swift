/// What committing a document writes, decided once for both engines: which of the given chunks are written
/// (new, or changed in a column) and which are already stored exactly so, and which chunks the change feed (and the
/// outbox, when asked) must record as changed or deleted. The engines read the rows the plan needs, execute it in one transaction and
/// report what the database refused (a chunk id owned by another document is a `conflict`):
/// `SQLiteStore+Documents.swift`, `PostgresStore+Documents.swift` (docs/ARCHITECTURE.md section 3).
struct DocumentCommitPlan {
    /// The document fields a Qdrant point's payload copies: when one changes, every point of the document must
    /// be pushed again, not only those whose chunk changed.
    struct PayloadFields: Equatable {
        var title: String
        var source: String
        var url: String?
        var type: String

        init(title: String, source: String, url: String?, type: String) {
            self.title = title
            self.source = source
            self.url = url
            self.type = type
        }

        init(_ document: StoredDocument) {
            self.init(title: document.title, source: document.source, url: document.url, type: document.type)
        }
    }

    /// Chunks to insert or update, in the caller's order, each with whether its id is new.
    var writes: [(chunk: StoredChunk, isNew: Bool)] = []
    /// The counts of the commit; the engine adds `outboxEnqueued` as it queues.
    var summary: CommitSummary
    /// Chunk ids whose index records and Qdrant points change, in order: the written ones, then (when a payload
    /// field changed) the document's other chunks by ordinal. The change feed records them all; the outbox too
    /// when asked.
    var changedIDs: [String] = []
    /// Chunk ids the commit removed: deleted from indexes and Qdrant alike.
    var removedIDs: [String] = []
    /// Whether the outbox queues `changedIDs` and `removedIDs`.
    var outbox: Bool
    /// Chunk ids whose points the outbox pushes. Empty without `outbox`.
    var outboxUpserts: [String] { outbox ? changedIDs : [] }
    /// Chunk ids whose points the outbox deletes. Empty without `outbox`.
    var outboxDeletes: [String] { outbox ? removedIDs : [] }

    /// - Parameters:
    ///   - previous: the stored document's payload fields; nil when its id is new.
    ///   - stored: the document's chunk rows once the removals are done, by ordinal.
    ///   - removed: the ids the removals deleted, in the caller's order, each once.
    init(
        document: StoredDocument, chunks: [StoredChunk], previous: PayloadFields?, stored: [StoredChunk],
        removed: [String], outbox: Bool
    ) {
        self.outbox = outbox
        summary = CommitSummary(
            documentCreated: previous == nil, chunksAdded: 0, chunksUpdated: 0, chunksUnchanged: 0,
            chunksRemoved: removed.count, outboxEnqueued: 0)
        let byID = Dictionary(stored.map { ($0.chunkID, $0) }, uniquingKeysWith: { first, _ in first })
        for chunk in chunks {
            let existing = byID[chunk.chunkID]
            if existing == chunk {
                summary.chunksUnchanged += 1
                continue
            }
            writes.append((chunk, existing == nil))
            if existing == nil { summary.chunksAdded += 1 } else { summary.chunksUpdated += 1 }
        }
        changedIDs = writes.map(\.chunk.chunkID)
        if let previous, previous != PayloadFields(document) {
            let written = Set(changedIDs)
            changedIDs += stored.map(\.chunkID).filter { !written.contains($0) }
        }
        removedIDs = removed
    }
}

import Documents

/// What happened to one input.
public enum DocumentStatus: String, Sendable, Equatable, Codable {
    /// A new document id.
    case added
    /// An existing id whose text or fields changed.
    case updated
    /// Same bytes or same normalised text and fields: nothing was written.
    case unchanged
}

/// The result of committing one document.
public struct DocumentOutcome: Sendable, Equatable {
    public var documentID: String
    public var status: DocumentStatus
    /// Chunks the document has now.
    public var chunks: Int
    /// Chunk ids that did not exist before (new text, or text that moved to another ordinal).
    public var chunksAdded: Int
    /// Chunk ids of the previous version that are gone.
    public var chunksRemoved: Int
    /// Texts the embedding model actually ran on (cache misses); 0 when every vector came from the cache.
    public var chunksEmbedded: Int

    /// An outcome with every count given.
    public init(
        documentID: String, status: DocumentStatus, chunks: Int, chunksAdded: Int, chunksRemoved: Int,
        chunksEmbedded: Int
    ) {
        self.documentID = documentID
        self.status = status
        self.chunks = chunks
        self.chunksAdded = chunksAdded
        self.chunksRemoved = chunksRemoved
        self.chunksEmbedded = chunksEmbedded
    }
}

/// One input that could not be ingested; the others go on.
public struct IngestFailure: Sendable, Equatable {
    public var path: String
    /// `code: message`, safe to show.
    public var error: String

    /// A failure of `path`.
    public init(path: String, error: String) {
        self.path = path
        self.error = error
    }
}

/// Totals of one `ingest` run, as `aigov ingest --json` prints them.
public struct IngestSummary: Sendable, Equatable {
    public var documentsAdded = 0
    public var documentsUpdated = 0
    public var documentsUnchanged = 0
    public var documentsFailed = 0
    public var chunksAdded = 0
    public var chunksRemoved = 0
    /// Cache misses: texts the model ran on.
    public var chunksEmbedded = 0
    public var seconds = 0.0
    public var failures: [IngestFailure] = []
    /// Per input, in input order, for inputs that did not fail.
    public var outcomes: [DocumentOutcome] = []

    /// An empty summary.
    public init() {}

    public mutating func record(_ outcome: DocumentOutcome) {
        outcomes.append(outcome)
        switch outcome.status {
        case .added: documentsAdded += 1
        case .updated: documentsUpdated += 1
        case .unchanged: documentsUnchanged += 1
        }
        chunksAdded += outcome.chunksAdded
        chunksRemoved += outcome.chunksRemoved
        chunksEmbedded += outcome.chunksEmbedded
    }

    public mutating func record(_ failure: IngestFailure) {
        failures.append(failure)
        documentsFailed += 1
    }
}

/// Progress of a multi-file ingest, reported as it happens.
public enum IngestProgress: Sendable {
    /// Input `index` (0-based) of `total` is being read.
    case started(path: String, index: Int, total: Int)
    /// `done` of the `total` chunks of the current input that need vectors have them.
    case embedding(done: Int, total: Int)
    /// Input finished (success or failure).
    case finished(path: String, index: Int, total: Int, outcome: DocumentOutcome?, failure: IngestFailure?)
}

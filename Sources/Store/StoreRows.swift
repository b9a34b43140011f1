/// Rows of every table, as `aigov db copy` moves them between stores a batch at a time.
public struct StoreRows: Sendable, Equatable {
    public var documents: [StoredDocument]
    public var chunks: [StoredChunk]
    public var users: [User]
    public var origins: [Origin]
    public var jobs: [Job]
    public var outbox: [OutboxEntry]

    /// A batch with the rows given (each list empty by default).
    public init(
        documents: [StoredDocument] = [], chunks: [StoredChunk] = [], users: [User] = [], origins: [Origin] = [],
        jobs: [Job] = [], outbox: [OutboxEntry] = []
    ) {
        self.documents = documents
        self.chunks = chunks
        self.users = users
        self.origins = origins
        self.jobs = jobs
        self.outbox = outbox
    }
}

/// Row counts of every table.
public struct StoreTableCounts: Sendable, Equatable {
    public var documents: Int
    public var chunks: Int
    public var users: Int
    public var origins: Int
    public var jobs: Int
    public var outbox: Int

    /// Counts with every table given.
    public init(documents: Int, chunks: Int, users: Int, origins: Int, jobs: Int, outbox: Int) {
        self.documents = documents
        self.chunks = chunks
        self.users = users
        self.origins = origins
        self.jobs = jobs
        self.outbox = outbox
    }

    /// Rows in all tables together.
    public var total: Int { documents + chunks + users + origins + jobs + outbox }
}

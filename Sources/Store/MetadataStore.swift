import Foundation

/// The metadata database as the rest of aigov sees it: documents, chunks (with their vectors and change feed),
/// users, jobs and the Qdrant outbox.
/// `SQLiteStore` and `PostgresStore` implement it with the same semantics, so nothing here names an SQL dialect.
/// Every method throws `StoreError`.
public protocol MetadataStore: Sendable {
    /// Brings the schema to the newest version; safe to call on every start.
    @discardableResult
    func migrate() async throws -> MigrationReport

    // MARK: Documents and chunks

    /// The document with `id`, or nil.
    func document(id: String) async throws -> StoredDocument?
    /// Documents, most recently updated first (ties by id), `limit` from `offset`.
    func documents(limit: Int, offset: Int) async throws -> [StoredDocument]
    /// The chunks of a document in ordinal order, read in one snapshot.
    func chunks(documentID: String) async throws -> [StoredChunk]
    /// The chunk with `id`, or nil.
    func chunk(id: String) async throws -> StoredChunk?
    /// The chunk of `documentID` at `ordinal`, or nil: how an answer reads on past the end of a passage.
    func chunk(documentID: String, ordinal: Int) async throws -> StoredChunk?
    /// The chunks among `ids` that exist, in the order of `ids`.
    func chunks(ids: [String]) async throws -> [StoredChunk]
    /// Every chunk id with its content hash, for reconciling the index with the store at open.
    func chunkContentHashes() async throws -> [String: String]
    /// How many documents and chunks are stored.
    func counts() async throws -> StoreCounts

    /// Commits one ingested document in a single transaction, so a crash leaves the previous or the next
    /// state: upserts `document`, deletes `removedChunkIDs` (of this document), upserts `chunks` (new or changed
    /// ones; a chunk passed unchanged is left alone) and, when `outbox` is true, queues an outbox upsert per
    /// written chunk and a delete per removed one. When the document's title, source, url or type changed, every
    /// chunk of the document is queued for upsert (the Qdrant payload copies those fields).
    ///
    /// Every chunk written or removed (and, on a payload change, every chunk of the document) gets a change-feed
    /// entry in the same transaction. `vectors` are stored beside their chunks (those of chunks the commit does
    /// not keep are ignored), so other replicas index the chunks without embedding them again.
    @discardableResult
    func commitDocument(
        _ document: StoredDocument, chunks: [StoredChunk], removedChunkIDs: [String], vectors: [ChunkVectors],
        outbox: Bool
    ) async throws -> CommitSummary

    /// Deletes a document and its chunks (with a change-feed entry per chunk); when `outbox` is true queues a
    /// delete per chunk. Throws `not_found`. Returns the removed chunk ids.
    @discardableResult
    func deleteDocument(id: String, outbox: Bool) async throws -> [String]

    // MARK: Change feed and stored vectors (how replicas follow the store)

    /// Up to `limit` feed entries with sequence numbers after `sequence`, in sequence order.
    func changes(after sequence: Int64, limit: Int) async throws -> [ChunkChange]
    /// The feed's head and how far a follower at `sequence` is behind it, read in one snapshot.
    func changeFeedStatus(after sequence: Int64) async throws -> ChangeFeedStatus
    /// Deletes the entries committed before `date`, remembering the newest pruned sequence number. Returns how
    /// many went.
    @discardableResult
    func pruneChanges(before date: Date) async throws -> Int
    /// The stored vectors of those `ids` that have vectors from `model`, by chunk id.
    func chunkVectors(ids: [String], model: String) async throws -> [String: ChunkVectors]
    /// Stores vectors for existing chunks (replacing theirs); vectors of chunks that do not exist are ignored.
    func saveChunkVectors(_ vectors: [ChunkVectors]) async throws

    // MARK: Users

    /// Creates a user; a taken username (case-insensitive) throws `conflict`.
    func createUser(_ user: NewUser) async throws -> User
    /// The user named `username` (case-insensitive), or nil.
    func user(username: String) async throws -> User?
    /// All users by username.
    func users() async throws -> [User]
    /// The user with `id`, or nil.
    func user(id: Int64) async throws -> User?
    /// Applies `change` to the user with `id` and returns the user as it now is; nil when there is none.
    func updateUser(id: Int64, _ change: UserChange) async throws -> User?
    /// Deletes the user with `id`; false when there is none. Ids are never reused, so tokens naming the old id
    /// stop working even when the name is taken again.
    @discardableResult
    func deleteUser(id: Int64) async throws -> Bool

    // MARK: Qdrant outbox

    /// The oldest `limit` pending entries, in commit order.
    func pendingOutbox(limit: Int) async throws -> [OutboxEntry]
    /// Removes entries the mirror has applied.
    func markOutboxDone(ids: [Int64]) async throws
    /// Records a failed push: attempts + 1 and the (secret-free) error.
    func markOutboxFailed(ids: [Int64], error: String) async throws
    /// Entries still to push.
    func pendingOutboxCount() async throws -> Int
    /// Runs `body` holding the store-wide outbox lease (one pusher at a time across processes; see
    /// OutboxLease.swift). Returns nil at once, without running `body`, when another process holds it.
    func withOutboxLease<T: Sendable>(_ body: () async throws -> T) async throws -> T?

    // MARK: Jobs

    /// Creates a `queued` job.
    func createJob(kind: String, payload: [String: String]) async throws -> Job
    /// Moves a job to `status` (setting its start or finish time); throws `not_found`.
    @discardableResult
    func updateJob(id: String, status: JobStatus, error: String?) async throws -> Job
    /// The job with `id`, or nil.
    func job(id: String) async throws -> Job?

    // MARK: Origins (issue 17)

    /// Stores a new origin, due at once. Throws `invalid_input` for a field that breaks its rule
    /// (``OriginDraft/validated()``) and `conflict` when the URL is registered already.
    func createOrigin(_ draft: OriginDraft) async throws -> Origin
    /// Replaces an origin's settings (its run state stays). Throws as ``createOrigin(_:)``, and `not_found`.
    @discardableResult
    func updateOrigin(id: Int64, _ draft: OriginDraft) async throws -> Origin
    /// Deletes an origin. Throws `not_found`.
    func deleteOrigin(id: Int64) async throws
    /// The origin with `id`, or nil.
    func origin(id: Int64) async throws -> Origin?
    /// Takes the scheduler's lease on the most urgent due origin: enabled, `next_run` unset or not after `now`,
    /// no unexpired lease; the highest `crawl_priority` first, then the longest overdue. The lease ends at `now +
    /// lease` unless renewed; one holder at a time across every process on the store. Nil when none is due.
    func claimDueOrigin(owner: String, now: Date, lease: Duration) async throws -> Origin?
    /// Takes the lease on origin `id` whether or not it is due (a crawl asked for now); nil when another holder's
    /// lease is live. Throws `not_found`.
    func claimOrigin(id: Int64, owner: String, now: Date, lease: Duration) async throws -> Origin?
    /// Extends `owner`'s lease on origin `id` to `now + lease`; false when `owner` no longer holds it.
    func renewOriginLease(id: Int64, owner: String, now: Date, lease: Duration) async throws -> Bool
    /// Records the end of `owner`'s run of origin `id` (`last_run`, `last_status`, `next_run`) and releases its
    /// lease; false (and nothing written) when `owner` no longer holds the lease.
    func finishOriginRun(id: Int64, owner: String, status: String, finishedAt: Date, nextRun: Date) async throws -> Bool

    // MARK: Crawl jobs (issue 17)

    /// A queued job for origin `originID`.
    func createCrawlJob(originID: Int64?, trigger: CrawlTrigger, now: Date) async throws -> CrawlJob
    /// Moves a queued job to running by `owner`. Throws `not_found`, or `conflict` when it is not queued.
    func startCrawlJob(id: String, owner: String, now: Date) async throws -> CrawlJob
    /// Saves a running job's progress and renews its heartbeat; false (nothing written) when `owner` no longer runs
    /// it: cancelled, or marked abandoned by another replica.
    func recordCrawlProgress(
        id: String, owner: String, counts: CrawlCounts, errors: [CrawlPageError], now: Date
    ) async throws -> Bool
    /// Ends `owner`'s running job as `status` (completed, failed or cancelled) with its final counts; false when
    /// `owner` no longer runs it.
    func finishCrawlJob(
        id: String, owner: String, status: CrawlJobStatus, counts: CrawlCounts, errors: [CrawlPageError],
        error: String?, now: Date
    ) async throws -> Bool
    /// Cancels a queued or running job (a running one stops at its next progress record). Throws `not_found`, or
    /// `conflict` when it has ended.
    @discardableResult
    func cancelCrawlJob(id: String, now: Date) async throws -> CrawlJob
    /// The job with `id`, or nil.
    func crawlJob(id: String) async throws -> CrawlJob?
    /// Jobs newest first, of one origin or all.
    func crawlJobs(originID: Int64?, limit: Int, offset: Int) async throws -> [CrawlJob]
    /// Marks failed every running job whose heartbeat is older than `heartbeatBefore` (its replica died) and
    /// returns their ids.
    func failAbandonedCrawlJobs(heartbeatBefore: Date, now: Date) async throws -> [String]
    /// What the crawler kept of the page at canonical `url`, or nil.
    func crawlPage(url: String) async throws -> CrawlPage?
    /// Inserts or replaces a page's record.
    func saveCrawlPage(_ page: CrawlPage) async throws
    /// The ids of the documents crawled pages of origin `originID` became, sorted.
    func crawledDocumentIDs(originID: Int64) async throws -> [String]

    // MARK: Platform settings (the dashboard's, shared by every replica)

    /// Every stored setting by key, values in the environment's text form.
    func platformSettings() async throws -> [String: String]
    /// Sets each key given a value and clears each key given nil, in one transaction; returns every stored setting.
    func savePlatformSettings(_ changes: [String: String?], now: Date) async throws -> [String: String]

    // MARK: Copying between stores (`aigov db copy`)

    /// Rows in every table.
    func tableCounts() async throws -> StoreTableCounts
    /// Up to `limit` documents with ids after `id` (nil: from the start), by id compared bytewise.
    func exportDocuments(after id: String?, limit: Int) async throws -> [StoredDocument]
    /// Up to `limit` chunks with ids after `id` (nil: from the start), by chunk id compared bytewise.
    func exportChunks(after id: String?, limit: Int) async throws -> [StoredChunk]
    /// Every origin, by id.
    func origins() async throws -> [Origin]
    /// Up to `limit` jobs with ids after `id` (nil: from the start), by id compared bytewise.
    func exportJobs(after id: String?, limit: Int) async throws -> [Job]
    /// Up to `limit` outbox entries with ids after `id` (nil: from the start), by id.
    func exportOutbox(after id: Int64?, limit: Int) async throws -> [OutboxEntry]
    /// Inserts `rows` as given (ids, timestamps, password hashes, attempts) in one transaction; parents before
    /// children (a chunk's document must exist already or be in the same batch). Any taken key throws
    /// `conflict` and writes nothing.
    func importRows(_ rows: StoreRows) async throws
    /// Deletes every row of every table (the schema stays), in one transaction.
    func removeAllRows() async throws
}

extension MetadataStore {
    /// Commits without vectors: other replicas embed the chunks themselves (through their caches).
    @discardableResult
    public func commitDocument(
        _ document: StoredDocument, chunks: [StoredChunk], removedChunkIDs: [String], outbox: Bool
    ) async throws -> CommitSummary {
        try await commitDocument(
            document, chunks: chunks, removedChunkIDs: removedChunkIDs, vectors: [], outbox: outbox)
    }
}

/// Row counts, for health and the ingest summary.
public struct StoreCounts: Sendable, Equatable {
    public var documents: Int
    public var chunks: Int

    /// Counts as read from the store.
    public init(documents: Int, chunks: Int) {
        self.documents = documents
        self.chunks = chunks
    }
}

/// What `commitDocument` changed.
public struct CommitSummary: Sendable, Equatable {
    /// True when the document id was new.
    public var documentCreated: Bool
    /// Chunk ids that did not exist before.
    public var chunksAdded: Int
    /// Existing chunk ids whose columns changed.
    public var chunksUpdated: Int
    /// Chunks passed in that were already stored exactly so: not written, not queued.
    public var chunksUnchanged: Int
    /// Chunk rows deleted.
    public var chunksRemoved: Int
    /// Outbox rows queued.
    public var outboxEnqueued: Int
    /// The change-feed sequence numbers the commit wrote (consecutive: one writer numbers at a time); nil when it
    /// changed no chunk. A replica whose feed position is just below them may move past them, having applied the
    /// commit itself.
    public var changes: ClosedRange<Int64>? = nil

    /// A summary with every count given.
    public init(
        documentCreated: Bool, chunksAdded: Int, chunksUpdated: Int, chunksUnchanged: Int, chunksRemoved: Int,
        outboxEnqueued: Int
    ) {
        self.documentCreated = documentCreated
        self.chunksAdded = chunksAdded
        self.chunksUpdated = chunksUpdated
        self.chunksUnchanged = chunksUnchanged
        self.chunksRemoved = chunksRemoved
        self.outboxEnqueued = outboxEnqueued
    }
}

/// What `migrate()` did.
public struct MigrationReport: Sendable, Equatable {
    /// Versions applied by this call, ascending (empty when the schema was current).
    public var applied: [Int]
    /// Every version recorded in the database after the call, ascending.
    public var versions: [Int]

    /// A report with both lists given.
    public init(applied: [Int], versions: [Int]) {
        self.applied = applied
        self.versions = versions
    }

    /// The newest recorded version, 0 for an empty database.
    public var current: Int { versions.last ?? 0 }
}

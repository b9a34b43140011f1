import ConcurrencySupport
import Foundation
import Knowledge
import Retrieval
import Store
import Synchronization
import TextAnalysis

/// Pushes the store's outbox to a Qdrant collection (ARCHITECTURE.md section 6): at least once, and idempotently, so a
/// crash or an outage loses nothing and duplicates nothing.
///
/// Every committed document change queued outbox rows in the same transaction. A push reads the oldest rows,
/// reduces them to one action per chunk by looking at the store as it is now (a stored chunk is upserted with
/// its current text and vector, a chunk the store no longer has is deleted: the last change wins), sends them
/// with `wait=true`, and only then deletes the rows. A crash between Qdrant's acknowledgement and that delete
/// makes the next push repeat the same writes; point ids are UUIDv5 of the chunk id (``QdrantPointID``), so the
/// repeat overwrites the same points. A failed push marks its rows failed (attempts + 1, a secret-free error)
/// and leaves them queued.
///
/// One push runs at a time in a process, and across processes the store's outbox lease
/// (`MetadataStore.withOutboxLease`) lets one process at a time push or repair: several `serve` replicas over
/// one PostgreSQL all run the loop, and whichever holds the lease pushes while the others skip their turn.
public final class QdrantMirror: Sendable {
    /// What the mirror last did, for `/api/admin/health`.
    public struct Status: Sendable, Equatable {
        /// When a push last completed (an empty outbox counts).
        public var lastSuccess: Date?
        /// The last push failure, secret-free; cleared by the next success.
        public var lastError: String?
        public var lastErrorAt: Date?
        /// Points written and deleted since the mirror was made.
        public var pointsUpserted = 0
        public var pointsDeleted = 0
    }

    /// What one push did.
    public struct SyncReport: Sendable, Equatable {
        /// Outbox rows applied and removed.
        public var entries = 0
        /// Points upserted and deleted (after reducing rows to one action per chunk).
        public var upserted = 0
        public var deleted = 0
        /// Texts the model had to embed because neither the index nor the cache had their vector.
        public var embedded = 0
        /// True when another process held the outbox lease, so this push did nothing.
        public var leaseBusy = false

        mutating func add(_ other: SyncReport) {
            entries += other.entries
            upserted += other.upserted
            deleted += other.deleted
            embedded += other.embedded
            leaseBusy = leaseBusy || other.leaseBusy
        }
    }

    /// How the collection and the store compare (``verify()``).
    public struct Consistency: Sendable, Equatable {
        public var storedChunks: Int
        public var points: Int
        /// Stored chunks with no point.
        public var missing: [String]
        /// Point ids with no stored chunk.
        public var extra: [String]
        /// Stored chunks whose point's payload differs from the store (text, title, section, ...).
        public var stale: [String]

        /// Whether the collection holds exactly the stored chunks with current payloads.
        public var agrees: Bool { missing.isEmpty && extra.isEmpty && stale.isEmpty }
    }

    public let client: QdrantClient
    public let knowledgeBase: KnowledgeBase
    private var store: any MetadataStore { knowledgeBase.store }
    private let state = Mutex(Status())
    /// The BM25 settings of the collection once it is known to be hybrid and current, and the stored chunks it
    /// was built over.
    private let collectionReady = Mutex<(bm25: SparseBM25, chunks: Int)?>(nil)
    /// When the store's size was last compared with the collection's build (``rebuildIfGrown()``).
    private let lastGrowthCheck = Mutex<ContinuousClock.Instant?>(nil)
    private let gate = AdmissionGate(limit: 1)

    /// How often a push compares the store's size with the collection's build (``rebuildIfGrown()``).
    let growthCheckInterval: Duration

    /// A mirror of `knowledgeBase`'s store into `client`'s collection; vectors come from its index, else the
    /// store's stored vectors, else its embedder (normally behind the persistent cache).
    public init(knowledgeBase: KnowledgeBase, client: QdrantClient, growthCheckInterval: Duration = .seconds(60)) {
        self.knowledgeBase = knowledgeBase
        self.client = client
        self.growthCheckInterval = growthCheckInterval
    }

    /// The current status.
    public var status: Status { state.withLock { $0 } }

    /// Rows still queued.
    public func pending() async throws -> Int { try await store.pendingOutboxCount() }

    /// Pushes up to `limit` of the oldest queued rows.
    ///
    /// - Throws: the ``QdrantError`` of a failed request (the rows stay queued, marked failed), or a
    ///   `StoreError`/`EmbedError` when the store or the embedder fails.
    /// When another process holds the outbox lease, returns a report with `leaseBusy` set at once, or with
    /// `waitForLease` keeps trying for up to ``leaseWait``.
    @discardableResult
    public func syncOnce(limit: Int = 512, waitForLease: Bool = false) async throws -> SyncReport {
        try await gate.run {
            let pushed = try await leased(wait: waitForLease) {
                try await self.recordingOutcome { try await self.pushLocked(limit: limit) }
            }
            return pushed ?? SyncReport(leaseBusy: true)
        }
    }

    /// Pushes every queued row, `batch` at a time, until none is left (rows queued meanwhile included), or
    /// until another process holds the lease (see ``syncOnce(limit:waitForLease:)``).
    @discardableResult
    public func syncAll(batch: Int = 512, waitForLease: Bool = false) async throws -> SyncReport {
        var total = SyncReport()
        while true {
            let report = try await syncOnce(limit: batch, waitForLease: waitForLease)
            total.add(report)
            if report.entries == 0 { return total }
        }
    }

    /// How long ``verify()``, ``repair()`` and a waiting sync try for the outbox lease before failing `busy`.
    public static let leaseWait: Duration = .seconds(60)

    /// Runs `body` holding the store's outbox lease; nil when it is taken and `wait` is false.
    private func leased<T: Sendable>(wait: Bool, _ body: () async throws -> T) async throws -> T? {
        let clock = ContinuousClock()
        let deadline = clock.now + Self.leaseWait
        while true {
            if let result = try await store.withOutboxLease(body) { return result }
            guard wait else { return nil }
            guard clock.now < deadline else {
                throw StoreError(.busy, "another process has been pushing the Qdrant outbox for over a minute")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Pushes whenever rows are queued, checking every `interval`, until the calling task is cancelled. After a
    /// failure the wait doubles, up to `maxBackoff`, so an unreachable Qdrant is not hammered; local serving
    /// never waits for any of this. `onError` hears each failure (for the log).
    public func run(
        interval: Duration = .seconds(2), maxBackoff: Duration = .seconds(60),
        onError: (@Sendable (String) -> Void)? = nil
    ) async {
        var wait = interval
        while !Task.isCancelled {
            do {
                try await syncAll()
                wait = interval
            } catch {
                if Task.isCancelled { return }
                onError?(Self.describe(error))
                wait = min(wait * 2, maxBackoff)
            }
            do { try await Task.sleep(for: wait) } catch { return }
        }
    }

    // MARK: Verification

    /// Compares every point of the collection (ids and payloads) with the store.
    public func verify() async throws -> Consistency {
        try await gate.run { try await leased(wait: true) { try await self.verifyLocked() }! }
    }

    /// Makes the collection equal the store: upserts missing and stale chunks, deletes extra points. Does not
    /// touch the outbox (rows still queued are pushed by the next sync and change nothing). Returns the state
    /// found before repairing.
    @discardableResult
    public func repair() async throws -> Consistency {
        try await gate.run {
            try await leased(wait: true) { try await self.repairLocked() }!
        }
    }

    private func repairLocked() async throws -> Consistency {
        try await recordingOutcome {
            let found = try await verifyLocked()
            let bm25 = try await ensureCollection()
            let ids = found.missing + found.stale
            for start in stride(from: 0, to: ids.count, by: KnowledgeBase.sliceSize) {
                let slice = Array(ids[start..<min(start + KnowledgeBase.sliceSize, ids.count)])
                let chunks = try await store.chunks(ids: slice)
                _ = try await client.upsert(try await points(for: chunks, bm25: bm25).points)
            }
            try await client.delete(ids: found.extra)
            state.withLock {
                $0.pointsUpserted += ids.count
                $0.pointsDeleted += found.extra.count
            }
            return found
        }
    }

    private func verifyLocked() async throws -> Consistency {
        _ = try await ensureCollection()
        let records = try await client.scrollAll()
        let stored = try await store.chunkContentHashes()
        let byPoint = Dictionary(
            stored.keys.map { (QdrantPointID.forChunk($0), $0) }, uniquingKeysWith: { first, _ in first })
        var seen: [String: QdrantChunkPayload?] = [:]
        var extra: [String] = []
        for record in records {
            if let chunkID = byPoint[record.id] { seen[chunkID] = record.payload } else { extra.append(record.id) }
        }
        let missing = stored.keys.filter { seen[$0] == nil }.sorted()
        var stale: [String] = []
        let present = seen.keys.sorted()
        var documents: [String: StoredDocument] = [:]
        for start in stride(from: 0, to: present.count, by: KnowledgeBase.sliceSize) {
            let slice = Array(present[start..<min(start + KnowledgeBase.sliceSize, present.count)])
            for chunk in try await store.chunks(ids: slice) {
                if documents[chunk.documentID] == nil {
                    documents[chunk.documentID] = try await store.document(id: chunk.documentID)
                }
                guard let document = documents[chunk.documentID] else { continue }
                if seen[chunk.chunkID] ?? nil != Self.payload(chunk: chunk, document: document) {
                    stale.append(chunk.chunkID)
                }
            }
        }
        return Consistency(
            storedChunks: stored.count, points: records.count, missing: missing, extra: extra.sorted(), stale: stale)
    }

    // MARK: Pushing

    private func pushLocked(limit: Int) async throws -> SyncReport {
        var bm25 = try await ensureCollection()
        if let rebuilt = try await rebuildIfGrown() { bm25 = rebuilt }
        let entries = try await store.pendingOutbox(limit: limit)
        guard !entries.isEmpty else { return SyncReport() }
        do {
            var report = try await apply(entries, bm25: bm25)
            try await store.markOutboxDone(ids: entries.map(\.id))
            report.entries = entries.count
            state.withLock {
                $0.pointsUpserted += report.upserted
                $0.pointsDeleted += report.deleted
            }
            return report
        } catch {
            // Recording the failure must not hide it; a store that fails here fails the next read too.
            try? await store.markOutboxFailed(ids: entries.map(\.id), error: Self.describe(error))
            throw error
        }
    }

    /// Applies `entries` as one action per chunk, in the outbox's order of first appearance.
    private func apply(_ entries: [OutboxEntry], bm25: SparseBM25) async throws -> SyncReport {
        var order: [String] = []
        var seen = Set<String>()
        for entry in entries where seen.insert(entry.chunkID).inserted { order.append(entry.chunkID) }
        var report = SyncReport()
        var deletions: [String] = []
        for start in stride(from: 0, to: order.count, by: KnowledgeBase.sliceSize) {
            let slice = Array(order[start..<min(start + KnowledgeBase.sliceSize, order.count)])
            let chunks = try await store.chunks(ids: slice)
            let present = Set(chunks.map(\.chunkID))
            deletions += slice.filter { !present.contains($0) }
            let (points, embedded) = try await points(for: chunks, bm25: bm25)
            try await client.upsert(points)
            report.upserted += points.count
            report.embedded += embedded
        }
        try await client.delete(ids: deletions.map(QdrantPointID.forChunk))
        report.deleted = deletions.count
        return report
    }

    /// Points for stored chunks: vectors and windows from the index when it has the chunk, else from the store's
    /// stored vectors, else through the embedder (and then left in the store for the other replicas); BM25 terms
    /// from the text the local index gives BM25.
    private func points(
        for chunks: [StoredChunk], bm25: SparseBM25
    ) async throws -> (points: [QdrantPoint], embedded: Int) {
        var documents: [String: StoredDocument] = [:]
        for documentID in Set(chunks.map(\.documentID)) {
            documents[documentID] = try await store.document(id: documentID)
        }
        let pairs = chunks.compactMap { chunk in documents[chunk.documentID].map { (chunk, $0) } }
        let index = knowledgeBase.index
        var records: [String: IndexRecord] = [:]
        var missing: [(StoredChunk, StoredDocument)] = []
        for pair in pairs {
            if let record = index.record(id: pair.0.chunkID), !knowledgeBase.lacksWindows(record.windows, of: pair.0) {
                records[record.id] = record
            } else {
                missing.append(pair)
            }
        }
        let (computed, embedded) = try await knowledgeBase.storedIndexRecords(missing)
        for record in computed { records[record.id] = record }
        let points = pairs.compactMap { chunk, document -> QdrantPoint? in
            guard let record = records[chunk.chunkID] else { return nil }
            return QdrantPoint(
                id: QdrantPointID.forChunk(chunk.chunkID), vector: record.vector,
                hybrid: QdrantHybridVectors(
                    windows: record.windows, bm25: bm25.document(KnowledgeBase.embeddingText(of: chunk))),
                payload: Self.payload(chunk: chunk, document: document))
        }
        return (points, embedded)
    }

    /// Makes sure the configured name reaches a hybrid collection of this model, building one when it does not
    /// (none yet, one of a single unnamed vector made before hybrid search, or one of another model of the same
    /// size), and returns its BM25 settings. Caller holds the outbox lease, so one replica builds.
    ///
    /// - Throws: `qdrant_collection_mismatch` for a collection that is not aigov's layout or has another vector
    ///   size: its owner must decide (another `QDRANT_COLLECTION`, or delete it).
    private func ensureCollection() async throws -> SparseBM25 {
        if let ready = collectionReady.withLock({ $0 }) { return ready.bm25 }
        let dimension = knowledgeBase.embedder.dimension
        let info = try await client.collectionInfo()
        if let info, case .hybrid(let size) = info.schema, size == dimension,
            let metadata = info.hybrid, metadata.model == knowledgeBase.embedder.fingerprint
        {
            try await client.createPayloadIndexes()
            collectionReady.withLock { $0 = (metadata.bm25, metadata.chunks) }
            return metadata.bm25
        }
        if let info {
            switch info.schema {
            case .single(let size) where size == dimension: break
            case .hybrid(let size) where size == dimension: break
            default:
                let size = info.vectorSize.map(String.init) ?? "other named vectors"
                throw QdrantError(
                    .collectionMismatch,
                    "collection \(client.configuration.collection) has vectors of size \(size) with distance "
                        + "\(info.distance ?? "unknown"); aigov needs size \(dimension) with Cosine. Use another "
                        + "QDRANT_COLLECTION or delete the collection and run `aigov sync --verify --repair`")
            }
        }
        let report = try await buildLocked(replacing: info != nil)
        collectionReady.withLock { $0 = (report.bm25, report.points) }
        return report.bm25
    }

    /// Rebuilds the collection when the store holds at least twice the chunks it was built over (and over 64):
    /// BM25's average length then follows the corpus, at the cost of pushing the whole corpus again each time it
    /// doubles (the vectors come from the store, nothing is embedded again). Looks at most every
    /// ``growthCheckInterval`` (a minute). Returns
    /// the new BM25 settings when it rebuilt. Caller holds the lease.
    private func rebuildIfGrown() async throws -> SparseBM25? {
        let now = ContinuousClock.now
        let due = lastGrowthCheck.withLock { last in
            guard last.map({ $0.duration(to: now) >= growthCheckInterval }) ?? true else { return false }
            last = now
            return true
        }
        guard due, let built = collectionReady.withLock({ $0 })?.chunks else { return nil }
        let stored = try await store.counts().chunks
        guard stored > 64, stored >= 2 * built else { return nil }
        let report = try await buildLocked(replacing: true)
        collectionReady.withLock { $0 = (report.bm25, report.points) }
        return report.bm25
    }

    /// What ``rebuild()`` did.
    public struct BuildReport: Sendable, Equatable {
        /// The collection the configured name now stands for.
        public var collection: String
        public var points: Int
        public var embedded: Int
        public var bm25: SparseBM25
    }

    /// Builds a new hybrid collection from the store and switches the configured name to it: for a collection
    /// made before hybrid search, a new model, or BM25's average length after the corpus changed a lot.
    /// Searches keep using the old collection until the switch, one alias update; the old one is then deleted.
    @discardableResult
    public func rebuild() async throws -> BuildReport {
        try await gate.run {
            try await leased(wait: true) {
                try await self.recordingOutcome {
                    let info = try await self.client.collectionInfo()
                    let report = try await self.buildLocked(replacing: info != nil)
                    self.collectionReady.withLock { $0 = (report.bm25, report.points) }
                    return report
                }
            }!
        }
    }

    private func buildLocked(replacing: Bool) async throws -> BuildReport {
        let name = client.configuration.collection
        let previous = try await client.aliasTarget()
        let millis = Int64(Date().timeIntervalSince1970 * 1000)
        let built = "\(name)-\(millis)"
        let builder = try client.bound(to: built)
        let ids = try await store.chunkContentHashes().keys.sorted()
        var counter = SparseBM25(averageLength: SparseBM25.defaultAverageLength, stemming: stemming)
        var total = 0
        for start in stride(from: 0, to: ids.count, by: KnowledgeBase.sliceSize) {
            let slice = Array(ids[start..<min(start + KnowledgeBase.sliceSize, ids.count)])
            for chunk in try await store.chunks(ids: slice) {
                total += counter.length(KnowledgeBase.embeddingText(of: chunk))
            }
        }
        if !ids.isEmpty { counter.averageLength = max(1, Float(total) / Float(ids.count)) }
        let bm25 = counter
        let metadata = QdrantHybridMetadata(bm25: bm25, model: knowledgeBase.embedder.fingerprint, chunks: ids.count)
        var report = BuildReport(collection: built, points: 0, embedded: 0, bm25: bm25)
        do {
            try await builder.createHybridCollection(dimension: knowledgeBase.embedder.dimension, metadata: metadata)
            for start in stride(from: 0, to: ids.count, by: KnowledgeBase.sliceSize) {
                let slice = Array(ids[start..<min(start + KnowledgeBase.sliceSize, ids.count)])
                let (points, embedded) = try await points(for: try await store.chunks(ids: slice), bm25: bm25)
                try await builder.upsert(points)
                report.points += points.count
                report.embedded += embedded
            }
            if let previous {
                try await client.pointAlias(to: built, replacing: true)
                try await client.deleteCollection(named: previous)
            } else {
                // A collection under the configured name itself (made before aliases) must go before the alias
                // can take its name: searches in between fail once and are retried (QdrantRetriever).
                if replacing { try await client.deleteCollection(named: name) }
                try await client.pointAlias(to: built, replacing: false)
            }
        } catch {
            try? await builder.deleteCollection(named: built)
            throw error
        }
        return report
    }

    private var stemming: Bool { knowledgeBase.index.configuration.stemming }

    private func recordingOutcome<T>(_ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            state.withLock {
                $0.lastSuccess = Date()
                $0.lastError = nil
                $0.lastErrorAt = nil
            }
            return result
        } catch {
            let message = Self.describe(error)
            // A collection that vanished (a Qdrant restarted without storage) is created again next time.
            if (error as? QdrantError)?.code == .notFound { collectionReady.withLock { $0 = nil } }
            state.withLock {
                $0.lastError = message
                $0.lastErrorAt = Date()
            }
            throw error
        }
    }

    /// The payload of a chunk's point.
    public static func payload(chunk: StoredChunk, document: StoredDocument) -> QdrantChunkPayload {
        QdrantChunkPayload(
            chunkID: chunk.chunkID, documentID: chunk.documentID, title: document.title, source: document.source,
            url: document.url, docType: document.type, section: chunk.section, pageStart: chunk.pageStart,
            pageEnd: chunk.pageEnd, chunkIndex: chunk.ordinal, text: chunk.text, contentHash: chunk.contentHash,
            provision: chunk.section.flatMap { $0.isEmpty ? nil : ProvisionLabel.provision(of: $0).lowercased() })
    }

    /// `code: message` of an error, secret-free (the Qdrant client's errors never hold the key).
    static func describe(_ error: any Error) -> String {
        if let error = error as? QdrantError { return error.description }
        return KnowledgeBase.describe(error)
    }
}

import ConcurrencySupport
import Documents
import EmbedCache
import Foundation
import Retrieval
import Store

/// The ingest and query paths over one data directory (ARCHITECTURE.md section 1): the metadata store, which is the
/// source of truth, the local retrieval index, and the embedder (normally behind its persistent cache).
///
/// Writes (ingest, delete, repair) run one at a time; searches run concurrently with them and each other.
/// The index is written before the store commit and pruned after it, so a crash anywhere leaves the index
/// with extra or missing chunks only; ``open(dataDirectory:store:embedder:tokenCounter:options:)`` repairs
/// both kinds from the store and the embedding cache.
public final class KnowledgeBase: Sendable {
    /// Settings that are not the components themselves.
    public struct Options: Sendable {
        /// The cross-encoder stage that reorders the first stage's best candidates; nil (the default) returns
        /// the first stage's order (`RERANKER_MODEL_DIR` unset).
        public var reranking: RerankingStage? = nil
        /// Queue Qdrant outbox rows with every commit (set when `QDRANT_URL` is configured).
        public var queueOutbox: Bool
        /// Word-piece budget per chunk: the encoder's 256 minus `[CLS]` and `[SEP]` and room for the heading
        /// that prefixes each chunk when it is embedded.
        public var maxChunkTokens: Int
        /// Index settings; the dimension is always taken from the embedder.
        public var index: IndexConfiguration?
        /// Inputs above this size are refused.
        public var maxInputBytes: Int
        /// Budget of the in-memory cache of question vectors (`QUERY_CACHE_MB`); questions never enter the
        /// persistent embedding cache.
        public var queryCacheBytes: Int
        /// How concurrent questions are gathered into one pass of the model (`QUERY_BATCH_SIZE`,
        /// `QUERY_BATCH_WINDOW_MS`); nil embeds each call on its own.
        public var queryBatching: BatchingEmbedder.Settings?
        /// Fusion weights and structure priors of hybrid search (default: plain RRF).
        public var ranking: RankingOptions
        /// Whether ingest embeds each chunk's windows (``PassageWindows``) into its index record: exactly when
        /// search scores by them (``RankingOptions/windowShare`` above 0). Doubles the model's work at ingest.
        public var windows: Bool { ranking.windowShare > 0 }
        /// False for a stateless replica (`QDRANT_LOCAL_INDEX=false`): the index stays empty and in memory, is
        /// neither loaded nor repaired nor written by ingest, and searches go to Qdrant; ingest still embeds and
        /// stores the vectors the mirror pushes.
        public var localIndex = true

        /// The defaults of ARCHITECTURE.md sections 3 and 5.
        public init(
            queueOutbox: Bool = false, maxChunkTokens: Int = 224, index: IndexConfiguration? = nil,
            maxInputBytes: Int = 64 << 20, queryCacheBytes: Int = 16 << 20, ranking: RankingOptions = .plain
        ) {
            self.ranking = ranking
            self.queueOutbox = queueOutbox
            self.maxChunkTokens = maxChunkTokens
            self.index = index
            self.maxInputBytes = maxInputBytes
            self.queryCacheBytes = queryCacheBytes
        }
    }

    /// What opening found and fixed.
    public struct RepairReport: Sendable, Equatable {
        /// Index records with no stored chunk (a crash before the store commit, or after it but before the
        /// old chunks were pruned), now deleted.
        public var removedFromIndex: Int
        /// Stored chunks the index lacked (a lost or rebuilt index), now indexed.
        public var addedToIndex: Int
        /// Of those, texts the model had to embed because the cache lacked them.
        public var embedded: Int

        /// Whether nothing needed repair.
        public var isClean: Bool { removedFromIndex == 0 && addedToIndex == 0 }
    }

    public let store: any MetadataStore
    public let index: RetrievalIndex
    /// Embeds what is ingested, through the persistent cache.
    public let embedder: any Embedder
    /// Embeds questions: reads the persistent cache, never writes it (see ``QueryEmbedder``).
    public let queryEmbedder: QueryEmbedder
    public let options: Options
    let chunker: Chunker
    let loader: DocumentLoader
    let gate = AdmissionGate(limit: 1)
    /// Documents cited by recent searches (see ``DocumentCache``).
    let documentCache = DocumentCache()
    /// How far the index has followed the store's change feed (``followChanges(batch:)``).
    let feed = FeedPositionBox()
    private let lock: DirectoryLock?
    /// Where the bytes of ingested inputs are kept (`originals/` of the data directory), so a document can be
    /// parsed again after a loader or chunker change and a backup can carry them; nil without a data directory.
    let originalsDirectory: URL?
    private let cacheStatistics: (@Sendable () -> EmbeddingCache.Statistics)?

    init(
        store: any MetadataStore, index: RetrievalIndex, embedder: any Embedder, tokenCounter: any TokenCounter,
        options: Options, lock: DirectoryLock?, originalsDirectory: URL? = nil
    ) {
        self.originalsDirectory = originalsDirectory
        self.store = store
        self.index = index
        self.embedder = embedder
        self.options = options
        self.lock = lock
        chunker = Chunker(
            counter: tokenCounter, maxTokens: options.maxChunkTokens, windowTokens: Chunker.encoderWindow)
        loader = DocumentLoader(maxBytes: options.maxInputBytes)
        if let cached = embedder as? CachedEmbedder {
            let cache = cached.cache
            cacheStatistics = { cache.statistics }
            queryEmbedder = QueryEmbedder(
                reading: cached, memoryBytes: options.queryCacheBytes, batching: options.queryBatching)
        } else {
            cacheStatistics = nil
            queryEmbedder = QueryEmbedder(
                base: embedder, memoryBytes: options.queryCacheBytes, batching: options.queryBatching)
        }
    }

    /// The index folder inside a data directory.
    public static func indexDirectory(in dataDirectory: URL) -> URL {
        dataDirectory.appendingPathComponent("index")
    }

    /// The folder of kept inputs inside a data directory: one file per input, named by the SHA-256 of its bytes
    /// (a document's `file_sha256`).
    public static func originalsDirectory(in dataDirectory: URL) -> URL {
        dataDirectory.appendingPathComponent("originals")
    }

    /// The kept original of `document` (the bytes it was ingested from), nil when none is kept: ingested before
    /// originals were kept, from text rather than a file, or without a data directory.
    public func originalFile(of document: StoredDocument) -> URL? {
        guard let folder = originalsDirectory, let hash = document.metadata[Self.fileHashKey],
            hash.count == 64, hash.allSatisfy(\.isHexDigit)
        else { return nil }
        let file = folder.appendingPathComponent(hash)
        return FileManager.default.fileExists(atPath: file.path) ? file : nil
    }

    /// Opens the knowledge base of `dataDirectory` (its index in `index/`, locked against other processes),
    /// or an in-memory index when `dataDirectory` is nil, then repairs the index against the store.
    ///
    /// - Throws: `IngestError` `locked` when another process uses the directory; `RetrievalError`,
    ///   `StoreError` or `EmbedError` when a component fails.
    public static func open(
        dataDirectory: URL?, store: any MetadataStore, embedder: any Embedder, tokenCounter: any TokenCounter,
        options: Options = Options()
    ) async throws -> (KnowledgeBase, RepairReport) {
        var configuration = options.index ?? IndexConfiguration(dimension: embedder.dimension)
        configuration.dimension = embedder.dimension
        let index: RetrievalIndex
        var lock: DirectoryLock?
        if let dataDirectory, options.localIndex {
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
            lock = try DirectoryLock(path: dataDirectory.appendingPathComponent("index.lock").path)
            let path = indexDirectory(in: dataDirectory).path
            let settings = configuration
            index = try await blocking { try RetrievalIndex.open(directory: path, configuration: settings) }
        } else {
            index = RetrievalIndex(configuration: configuration)
        }
        let base = KnowledgeBase(
            store: store, index: index, embedder: embedder, tokenCounter: tokenCounter, options: options, lock: lock,
            originalsDirectory: dataDirectory.map(originalsDirectory(in:)))
        // The head before the repair: whatever commits during it is applied again by the first follow step, which
        // is harmless (applying is idempotent), whereas the head read after could skip it.
        let head = try await store.changeFeedStatus(after: 0).head
        let report =
            options.localIndex
            ? try await base.repair() : RepairReport(removedFromIndex: 0, addedToIndex: 0, embedded: 0)
        base.feed.update { $0.applied = head }
        return (base, report)
    }

    /// Makes the index hold exactly the stored chunks: deletes records the store lacks and indexes stored
    /// chunks the index lacks (vectors from the cache where it has them).
    @discardableResult
    public func repair(progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> RepairReport {
        try await gate.run { try await repairLocked(progress: progress) }
    }

    /// ``repair(progress:)`` for a caller that holds the gate.
    func repairLocked(progress: (@Sendable (Int, Int) -> Void)?) async throws -> RepairReport {
        let stored = try await store.chunkContentHashes()
        let indexed = index.ids
        let extra = indexed.filter { stored[$0] == nil }
        let indexedSet = Set(indexed)
        let missing = stored.keys.filter { !indexedSet.contains($0) }.sorted()
        if !extra.isEmpty { try index.delete(ids: extra) }
        let embedded = try await indexStoredChunks(ids: missing, progress: progress)
        if !extra.isEmpty || !missing.isEmpty {
            try index.checkpoint()
            documentCache.invalidate()
        }
        return RepairReport(removedFromIndex: extra.count, addedToIndex: missing.count, embedded: embedded)
    }

    /// Loads stored chunks by id and upserts them into the index with their stored vectors (computed through the
    /// cache where the store has none), in slices so memory stays flat. Returns how many texts the model ran on.
    /// Caller holds the gate.
    func indexStoredChunks(ids: [String], progress: (@Sendable (Int, Int) -> Void)?) async throws -> Int {
        var embedded = 0
        var documents: [String: StoredDocument] = [:]
        var done = 0
        for start in stride(from: 0, to: ids.count, by: Self.sliceSize) {
            let slice = Array(ids[start..<min(start + Self.sliceSize, ids.count)])
            let chunks = try await store.chunks(ids: slice)
            for documentID in Set(chunks.map(\.documentID)) where documents[documentID] == nil {
                documents[documentID] = try await store.document(id: documentID)
            }
            let pairs = chunks.compactMap { chunk in documents[chunk.documentID].map { (chunk, $0) } }
            let (records, misses) = try await storedIndexRecords(pairs)
            embedded += misses
            try await blocking { [index] in try index.upsert(records) }
            done += slice.count
            progress?(done, ids.count)
        }
        return embedded
    }

    /// The index records of stored chunks: vectors (and windows) from the store where the replica that ingested
    /// them left them for this model, computed through the cache otherwise and then left in the store for the
    /// other replicas. Returns the records and how many chunk texts the model ran on.
    package func storedIndexRecords(_ pairs: [(StoredChunk, StoredDocument)]) async throws -> ([IndexRecord], Int) {
        guard !pairs.isEmpty else { return ([], 0) }
        let model = embedder.fingerprint
        let stored = try await store.chunkVectors(ids: pairs.map(\.0.chunkID), model: model)
        var records: [IndexRecord] = []
        var missing: [(StoredChunk, StoredDocument)] = []
        for (chunk, document) in pairs {
            guard let vectors = stored[chunk.chunkID], vectors.vector.count == embedder.dimension,
                !lacksWindows(vectors.windows, of: chunk)
            else {
                missing.append((chunk, document))
                continue
            }
            var record = Self.record(chunk: chunk, document: document, vector: vectors.vector)
            if options.windows { record.windows = vectors.windows }
            records.append(record)
        }
        guard !missing.isEmpty else { return (records, 0) }
        let (computed, misses) = try await indexRecords(missing)
        try await store.saveChunkVectors(computed.map { vectors(of: $0) })
        return (records + computed, misses)
    }

    /// Whether `windows` leave `chunk` short: ingest embeds windows and the chunk has some (an index, or stored
    /// vectors, written before windows existed).
    package func lacksWindows(_ windows: [[Float]], of chunk: StoredChunk) -> Bool {
        options.windows && windows.isEmpty && !PassageWindows.windows(of: chunk).isEmpty
    }

    /// What the store keeps of an index record for other replicas.
    func vectors(of record: IndexRecord) -> ChunkVectors {
        ChunkVectors(chunkID: record.id, model: embedder.fingerprint, vector: record.vector, windows: record.windows)
    }

    package static let sliceSize = 128

    /// Embeds `texts`, returning the vectors and how many of them the model computed (cache misses).
    package func embedCounting(_ texts: [String]) async throws -> ([[Float]], Int) {
        guard !texts.isEmpty else { return ([], 0) }
        let before = cacheStatistics?().misses
        let vectors = try await embedder.embed(texts)
        if let before, let after = cacheStatistics?().misses {
            return (vectors, after - before)
        }
        return (vectors, texts.count)
    }

    /// The text that is embedded and BM25-indexed for a chunk: the chunk's own heading (`Article 5 Prohibited AI
    /// practices`, `2.8 Information Integrity`) when the text does not start with it, then the text. A paragraph
    /// deep inside an article says nothing of its subject on its own, so without the heading a question like
    /// "which practices are banned" cannot reach it. The chunk budget leaves room for the heading (see
    /// ``Options/maxChunkTokens``); an overlong heading is cut to its first words.
    package static func embeddingText(of chunk: StoredChunk) -> String {
        guard let heading = chunk.headingPath.last?.trimmingCharacters(in: .whitespacesAndNewlines), !heading.isEmpty
        else { return chunk.text }
        let words = heading.split(whereSeparator: \.isWhitespace)
        let context = words.prefix(maxHeadingWords).joined(separator: " ")
        let opening = chunk.text.split(whereSeparator: \.isWhitespace).prefix(words.count + 12).joined(separator: " ")
        if opening.contains(words.joined(separator: " ")) { return chunk.text }
        return context + "\n" + chunk.text
    }

    /// Headings are cut to this many words before they prefix a chunk (about 30 word pieces at most).
    static let maxHeadingWords = 16

    /// The index records of `pairs` (chunk, its document) with their windows (``PassageWindows``, when
    /// ``Options/windows``), and how many chunk texts the model ran on.
    func indexRecords(_ pairs: [(StoredChunk, StoredDocument)]) async throws -> ([IndexRecord], Int) {
        let (vectors, misses) = try await embedCounting(pairs.map { Self.embeddingText(of: $0.0) })
        var records = zip(pairs, vectors).map { Self.record(chunk: $0.0, document: $0.1, vector: $1) }
        guard options.windows else { return (records, misses) }
        // Counted apart: "chunks embedded" stays a count of chunks.
        let windows = pairs.map { PassageWindows.windows(of: $0.0) }
        var windowVectors = try await embedder.embed(windows.flatMap { $0 })[...]
        for position in records.indices {
            records[position].windows = Array(windowVectors.prefix(windows[position].count))
            windowVectors = windowVectors.dropFirst(windows[position].count)
        }
        return (records, misses)
    }

    static func record(chunk: StoredChunk, document: StoredDocument, vector: [Float]) -> IndexRecord {
        let text = embeddingText(of: chunk)
        return IndexRecord(
            id: chunk.chunkID, vector: vector, text: text, documentID: chunk.documentID, source: document.source,
            docType: document.type, section: chunk.section ?? "",
            citation: IndexedCitation(chunk: chunk, document: document, text: text).encoded)
    }

    /// Writes a snapshot of the index, so the next open need not replay its log.
    public func checkpoint() async throws {
        try await gate.run { try await blocking { [index] in try index.checkpoint() } }
    }
}

import ConcurrencySupport
import EmbedCache
import Foundation
import Retrieval
import Store

extension KnowledgeBase {
    /// The `topK` best passages for `text` with their citation fields, best first.
    ///
    /// Dense and hybrid modes embed the text with ``queryEmbedder``: a repeated question costs a memory lookup,
    /// and no question is ever written to the persistent cache.
    /// Hits whose chunk the store no longer has (a delete racing the search) are left out.
    public func retrieve(
        _ text: String, topK: Int = 5, mode: SearchMode = .hybrid, filter: SearchFilter = SearchFilter()
    ) async throws -> [Citation] {
        let vector: [Float]? =
            mode == .lexical ? nil : try await queryEmbedder.embed([options.ranking.denseText(text)])[0]
        let query = SearchQuery(
            vector: vector, text: mode == .dense ? nil : text, mode: mode, k: topK, filter: filter,
            ranking: options.ranking)
        let index = self.index
        let hits = try await blocking { try index.search(query) }
        return try await citations(for: hits)
    }

    /// Joins hits with their stored chunks and documents.
    func citations(for hits: [SearchHit]) async throws -> [Citation] {
        try await citations(for: hits.map { (id: $0.id, score: $0.score) })
    }

    /// Joins ranked chunk ids with their stored chunks and documents, keeping their order and scores.
    func citations(for hits: [(id: String, score: Double)]) async throws -> [Citation] {
        let chunks = try await store.chunks(ids: hits.map(\.id))
        let byID = Dictionary(chunks.map { ($0.chunkID, $0) }, uniquingKeysWith: { first, _ in first })
        var (documents, generation) = documentCache.lookup(Set(chunks.map(\.documentID)))
        var read: [StoredDocument] = []
        for id in Set(chunks.map(\.documentID)) where documents[id] == nil {
            guard let document = try await store.document(id: id) else { continue }
            documents[id] = document
            read.append(document)
        }
        if !read.isEmpty { documentCache.store(read, generation: generation) }
        var result: [Citation] = []
        for hit in hits {
            guard let chunk = byID[hit.id], let document = documents[chunk.documentID] else { continue }
            result.append(
                Citation(
                    content: chunk.text, documentTitle: document.title, documentSource: document.source,
                    documentURL: document.url, chunkIndex: chunk.ordinal, chunkID: chunk.chunkID,
                    documentID: chunk.documentID, section: chunk.section, pageStart: chunk.pageStart,
                    pageEnd: chunk.pageEnd, score: hit.score))
        }
        return result
    }

    /// How the index and the store compare, for `aigov index verify` and health checks.
    public struct Consistency: Sendable, Equatable {
        /// The index's own structural check.
        public var index: RetrievalIndex.VerificationReport
        public var storedChunks: Int
        public var storedDocuments: Int
        /// Index records with no stored chunk.
        public var extraInIndex: [String]
        /// Stored chunks the index lacks.
        public var missingFromIndex: [String]

        /// Whether the index holds exactly the stored chunks.
        public var agrees: Bool { extraInIndex.isEmpty && missingFromIndex.isEmpty }
    }

    /// Verifies the index's structure and files, then compares its ids with the store's chunk ids.
    ///
    /// - Throws: `RetrievalError` `verificationFailed` (or a file error) when the index itself is damaged.
    public func verify() async throws -> Consistency {
        try await gate.run {
            let index = self.index
            let report = try await blocking { try index.verify() }
            let stored = try await store.chunkContentHashes()
            let counts = try await store.counts()
            let indexed = index.ids
            let indexedSet = Set(indexed)
            return Consistency(
                index: report, storedChunks: stored.count, storedDocuments: counts.documents,
                extraInIndex: indexed.filter { stored[$0] == nil },
                missingFromIndex: stored.keys.filter { !indexedSet.contains($0) }.sorted())
        }
    }

    /// Embeds every stored chunk through the cache, so later re-ingests and rebuilds find their vectors there.
    /// Returns (chunks, texts the model ran on).
    public func warmCache(progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> (Int, Int) {
        let ids = try await store.chunkContentHashes().keys.sorted()
        var embedded = 0
        var done = 0
        for start in stride(from: 0, to: ids.count, by: Self.sliceSize) {
            let chunks = try await store.chunks(ids: Array(ids[start..<min(start + Self.sliceSize, ids.count)]))
            embedded += try await embedCounting(chunks.map(Self.embeddingText(of:))).1
            done += chunks.count
            progress?(done, ids.count)
        }
        return (ids.count, embedded)
    }
}

extension KnowledgeBase {
    /// Rebuilds the index of `dataDirectory` from the store and the embedding cache: builds a complete new
    /// index beside the old one, then swaps the folders, so a crash leaves the old index or the new one.
    /// Run with no other process using the directory.
    public static func rebuildIndex(
        dataDirectory: URL, store: any MetadataStore, embedder: any Embedder, tokenCounter: any TokenCounter,
        options: Options = Options(), progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> RepairReport {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let lockPath = dataDirectory.appendingPathComponent("index.lock").path
        let live = indexDirectory(in: dataDirectory)
        let fresh = dataDirectory.appendingPathComponent("index.rebuild")
        let old = dataDirectory.appendingPathComponent("index.old")
        var report: RepairReport
        do {
            let lock = try DirectoryLock(path: lockPath)
            try? fileManager.removeItem(at: fresh)
            var configuration = options.index ?? IndexConfiguration(dimension: embedder.dimension)
            configuration.dimension = embedder.dimension
            let index = try RetrievalIndex.open(directory: fresh.path, configuration: configuration)
            let base = KnowledgeBase(
                store: store, index: index, embedder: embedder, tokenCounter: tokenCounter, options: options,
                lock: lock)
            report = try await base.repair(progress: progress)
            try index.checkpoint()
            try? fileManager.removeItem(at: old)
            if fileManager.fileExists(atPath: live.path) { try fileManager.moveItem(at: live, to: old) }
            try fileManager.moveItem(at: fresh, to: live)
            try? fileManager.removeItem(at: old)
        }
        return report
    }
}

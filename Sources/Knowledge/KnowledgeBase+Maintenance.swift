import ConcurrencySupport
import Documents
import EmbedCache
import Foundation
import Retrieval
import Store

extension KnowledgeBase {
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

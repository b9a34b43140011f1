import Documents
import EmbedCache
import Foundation
import Knowledge
import Retrieval
import Store
import Synchronization

/// A fast deterministic embedder: each word is hashed to one of 64 dimensions, so texts sharing words are near.
/// Both backends search the same vectors, so it is enough to compare them; the real model is tested elsewhere.
final class HashingEmbedder: Embedder {
    let dimension = 64
    let fingerprint = "hashing-embedder-v1"
    private let counter = Mutex(0)

    var embedded: Int { counter.withLock { $0 } }

    func embed(_ texts: [String]) async throws -> [[Float]] {
        counter.withLock { $0 += texts.count }
        return texts.map { text in
            var vector = [Float](repeating: 0, count: dimension)
            for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                var hash: UInt64 = 1_469_598_103_934_665_603
                for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
                vector[Int(hash % UInt64(dimension))] += 1
            }
            vector[0] += 0.01
            // A small pattern of the whole text on every dimension, so texts sharing no word with a question still
            // score apart: exact ties are ordered arbitrarily by each engine, and the tests compare engines.
            var whole: UInt64 = 1_469_598_103_934_665_603
            for byte in text.utf8 { whole = (whole ^ UInt64(byte)) &* 1_099_511_628_211 }
            for dimension in 0..<dimension { vector[dimension] += 0.002 * Float((whole >> UInt64(dimension % 61)) & 7) }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return vector.map { $0 / norm }
        }
    }
}

/// A temporary data directory with a real SQLite store, a real persisted index and a real embedding cache, its
/// knowledge base queueing outbox rows as `QDRANT_URL` makes `serve` do.
struct MirrorLibrary {
    let directory: URL
    let store: SQLiteStore
    let knowledgeBase: KnowledgeBase

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let executiveOrder = root.appendingPathComponent(
        "fixtures/governance/us-eo-14179_removing-barriers-american-ai-leadership_2025-01-23.md")

    static let tokenizer: WordPieceTokenizer? = {
        let directory = ModelLocator.modelDirectory(
            explicit: root.appendingPathComponent(ModelLocator.relativeDefault).path)
        return try? WordPieceTokenizer(modelDirectory: directory)
    }()

    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    static func make(
        queueOutbox: Bool = true, reranking: RerankingStage? = nil, ranking: RankingOptions = .plain
    ) async throws -> MirrorLibrary {
        guard let tokenizer else {
            throw SetupError(description: "the model's vocab.txt is missing: run scripts/setup")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "aigov-qdrant-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try await SQLiteStore.open(path: directory.appendingPathComponent("aigov.sqlite").path)
        let base = HashingEmbedder()
        let cache = try EmbeddingCache(
            directory: directory.appendingPathComponent("embeddings"), fingerprint: base.fingerprint,
            dimension: base.dimension)
        var options = KnowledgeBase.Options(queueOutbox: queueOutbox)
        options.reranking = reranking
        options.ranking = ranking
        let (knowledgeBase, _) = try await KnowledgeBase.open(
            dataDirectory: directory, store: store, embedder: try CachedEmbedder(base: base, cache: cache),
            tokenCounter: tokenizer, options: options)
        return MirrorLibrary(directory: directory, store: store, knowledgeBase: knowledgeBase)
    }

    /// Short governance notes, each a few chunks long.
    static let notes: [(id: String, title: String, text: String)] = [
        (
            "note-risk", "Risk management note",
            """
            # Risk management

            ## Article 9 Risk management system
            Providers of high-risk AI systems shall establish, implement, document and maintain a risk management \
            system. The risk management system shall be a continuous iterative process planned and run throughout \
            the entire lifecycle of a high-risk AI system.

            ## Article 10 Data and data governance
            Training, validation and testing data sets shall be subject to data governance and management \
            practices appropriate for the intended purpose of the high-risk AI system.
            """
        ),
        (
            "note-transparency", "Transparency note",
            """
            # Transparency

            ## Article 50 Transparency obligations
            Providers shall ensure that AI systems intended to interact directly with natural persons are designed \
            so that the persons concerned are informed that they are interacting with an AI system.

            ## Deepfakes
            Deployers of an AI system that generates or manipulates image, audio or video content constituting a \
            deep fake shall disclose that the content has been artificially generated or manipulated.
            """
        ),
        (
            "note-nist", "NIST functions note",
            """
            # NIST AI RMF functions

            ## GOVERN 1.1
            Legal and regulatory requirements involving AI are understood, managed, and documented.

            ## MAP 1.1
            Intended purposes, potentially beneficial uses, context-specific laws, norms and expectations, and \
            prospective settings in which the AI system will be deployed are understood and documented.

            ## MEASURE 2.7
            AI system security and resilience are evaluated and documented.
            """
        ),
    ]

    /// Ingests the notes and the executive order fixture.
    func ingestAll() async throws {
        for note in Self.notes {
            _ = try await knowledgeBase.ingest(
                data: Data(note.text.utf8), fileName: note.id + ".md",
                options: DocumentLoader.Options(id: note.id, title: note.title, source: "Notes"))
        }
        _ = try await knowledgeBase.ingest(
            fileAt: Self.executiveOrder, options: DocumentLoader.Options(id: "us-eo-14179", source: "Federal Register"))
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

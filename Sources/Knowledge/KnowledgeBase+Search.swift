// The search stage of a question (ARCHITECTURE.md, "The two flows"): the question's vector, the index's ranking,
// the cross-encoder's reorder when one is configured, and the citations joined from the store.
import ConcurrencySupport
import Documents
import EmbedCache
import Foundation
import Retrieval
import Store

extension KnowledgeBase {
    /// The `topK` best passages for `text` with their citation fields, best first.
    ///
    /// Without a reranking stage (``Options/reranking``) this is ``retrieve(_:topK:mode:filter:)``. With one,
    /// the first stage retrieves ``RerankingStage/depth(for:)`` candidates, the cross-encoder reorders them,
    /// and the best `topK` are returned with the reranker's scores.
    public func search(
        _ text: String, topK: Int = 5, mode: SearchMode = .hybrid, filter: SearchFilter = SearchFilter()
    ) async throws -> [Citation] {
        guard let stage = options.reranking else {
            return try await retrieve(text, topK: topK, mode: mode, filter: filter)
        }
        let candidates = try await retrieve(text, topK: stage.depth(for: topK), mode: mode, filter: filter)
        return try await rerank(text, candidates, topK: topK, stage: stage)
    }

    /// `candidates` reordered by `stage`. Each passage is read as it was embedded and BM25-indexed (its
    /// heading, then its text): a paragraph deep in an article says little of its subject without it.
    public func rerank(
        _ text: String, _ candidates: [Citation], topK: Int, stage: RerankingStage
    ) async throws -> [Citation] {
        let index = self.index
        let passages = candidates.map { index.record(id: $0.chunkID)?.text ?? $0.content }
        return try await stage.rerank(text, candidates, passages: passages, topK: topK)
    }

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

    /// Embeds the question a `mode` search of `text` will need into the in-memory question cache, so the search
    /// itself finds it there; a no-op for lexical search or when that cache is off (the search would embed it
    /// twice). The server calls it before a search takes its place in the search gate: embedding then happens
    /// outside the gate, where any number of questions can wait together for one batched pass of the model
    /// (``BatchingEmbedder``), while the gate still bounds the index and store work.
    public func prepareQuestion(_ text: String, mode: SearchMode) async throws {
        guard mode != .lexical, queryEmbedder.memory.capacityBytes > 0 else { return }
        _ = try await queryEmbedder.embed([options.ranking.denseText(text)])
    }

    /// Joins hits with their stored chunks and documents.
    func citations(for hits: [SearchHit]) async throws -> [Citation] {
        try await citations(for: hits.map { (id: $0.id, score: $0.score) })
    }

    /// Joins ranked chunk ids with their stored chunks and documents, keeping their order and scores. When the
    /// store cannot be reached (PostgreSQL restarting, a network cut) or does not answer within
    /// ``storeDeadline`` (a pool waiting for a connection to a server that is gone), the citations come from the
    /// index records instead (``IndexedCitation``): the replica keeps answering searches while its database is
    /// away.
    package func citations(for hits: [(id: String, score: Double)]) async throws -> [Citation] {
        guard !hits.isEmpty else { return [] }
        do {
            return try await withDeadline(Self.storeDeadline) { try await self.storedCitations(for: hits) }
        } catch let error as StoreError where error.code == .connectionFailed {
            return indexedCitations(for: hits)
        } catch is DeadlineExceeded {
            return indexedCitations(for: hits)
        }
    }

    /// How long a search waits for the store's citation fields before it takes them from the index. Searches
    /// normally read them in milliseconds; a second means the database is away or overwhelmed.
    static let storeDeadline = Duration.seconds(1)

    private func indexedCitations(for hits: [(id: String, score: Double)]) -> [Citation] {
        hits.compactMap { hit in
            index.record(id: hit.id).flatMap { IndexedCitation.citation(of: $0, score: hit.score) }
        }
    }

    private func storedCitations(for hits: [(id: String, score: Double)]) async throws -> [Citation] {
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
}

import EmbedCache
import Foundation
import Retrieval

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
}

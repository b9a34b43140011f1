import EmbedCache

/// The second retrieval stage: a cross-encoder reads the question with each of the first stage's best
/// candidates and reorders them (issue 14 item 3). Configured by `RERANKER_MODEL_DIR` and `RERANKER_TOP_N`.
public struct RerankingStage: Sendable {
    /// Scores (question, passage) pairs; normally a ``CrossEncoder``.
    public let scorer: any PassageScorer
    /// Candidates the first stage hands over (at least the results asked for).
    public let topN: Int

    /// Default `topN`: 30 candidates cost one cross-encoder batch per question.
    public static let defaultTopN = 30

    public init(scorer: any PassageScorer, topN: Int = Self.defaultTopN) {
        self.scorer = scorer
        self.topN = max(1, topN)
    }

    /// How many candidates to retrieve for `topK` results: `topN`, or `topK` when more are asked for, so every
    /// result returned was reranked.
    public func depth(for topK: Int) -> Int { max(topN, topK) }

    /// `candidates` reordered by the scorer's logit for (`query`, `passages[i]`), best first, cut to `topK`;
    /// each citation's `score` becomes the reranker's score. Equal logits keep the first stage's order.
    public func rerank(
        _ query: String, _ candidates: [Citation], passages: [String], topK: Int
    ) async throws -> [Citation] {
        precondition(passages.count == candidates.count, "one passage text per candidate")
        guard !candidates.isEmpty else { return [] }
        let relevance = try await scorer.relevance(query: query, passages: passages)
        let order = candidates.indices.sorted { a, b in
            relevance[a].logit != relevance[b].logit ? relevance[a].logit > relevance[b].logit : a < b
        }
        return order.prefix(topK).map { index in
            var citation = candidates[index]
            citation.score = Double(relevance[index].score)
            return citation
        }
    }
}

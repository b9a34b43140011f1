import Knowledge
import Retrieval

extension QdrantRetriever {
    /// The `topK` best passages for `text`, best first: ``retrieve(_:topK:mode:filter:)``, then, when the
    /// knowledge base has a reranking stage, the cross-encoder's order over its candidates (as
    /// ``KnowledgeBase/search(_:topK:mode:filter:)`` does locally). A fallback to the local index is reranked
    /// the same way.
    public func search(
        _ text: String, topK: Int = 5, mode: SearchMode = .hybrid, filter: SearchFilter = SearchFilter()
    ) async throws -> Outcome {
        guard let stage = knowledgeBase.options.reranking else {
            return try await retrieve(text, topK: topK, mode: mode, filter: filter)
        }
        var outcome = try await retrieve(text, topK: stage.depth(for: topK), mode: mode, filter: filter)
        outcome.citations = try await knowledgeBase.rerank(text, outcome.citations, topK: topK, stage: stage)
        return outcome
    }
}

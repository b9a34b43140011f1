import Foundation
import Knowledge
import Retrieval

extension EvalBEIR {
    /// `scores` (document id to first-stage score) with the reranking stage applied, when one is configured:
    /// the documents of the reranked top N chunks rank first, in the cross-encoder's order (a document scores
    /// as its best chunk), above every other document, which keeps its first-stage score.
    func reranked(
        _ scores: [String: Double], query: String, base: KnowledgeBase, mode: SearchMode
    ) async throws -> [String: Double] {
        guard let stage = base.options.reranking else { return scores }
        let citations: [Citation]
        do {
            citations = try await base.search(query, topK: stage.topN, mode: mode)
        } catch let error as RetrievalError {
            throw CLIError("search: \(error)")
        }
        var order: [String] = []
        for citation in citations where !order.contains(citation.documentID) { order.append(citation.documentID) }
        var result = scores
        let floor = (scores.values.max() ?? 0) + 1
        for (rank, document) in order.enumerated() where scores[document] != nil {
            result[document] = floor + Double(order.count - rank)
        }
        return result
    }
}

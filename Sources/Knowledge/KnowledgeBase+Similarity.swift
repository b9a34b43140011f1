import EmbedCache
import Retrieval

extension KnowledgeBase {
    /// The cosine similarity of `question` to each of `texts` under the search path's encoder, in order.
    ///
    /// For the extractive answer's choice of sentences. It goes through ``queryEmbedder``, so the texts, like
    /// questions, stay in bounded memory and never reach the persistent embedding cache.
    public func similarities(of question: String, to texts: [String]) async throws -> [Double] {
        guard !texts.isEmpty else { return [] }
        let vectors = try await queryEmbedder.embed([question] + texts)
        guard let query = VectorMath.normalized(vectors[0]) else { return texts.map { _ in 0 } }
        return vectors.dropFirst().map { vector in
            guard let unit = VectorMath.normalized(vector) else { return 0 }
            return Double(VectorMath.dot(query, unit))
        }
    }
}

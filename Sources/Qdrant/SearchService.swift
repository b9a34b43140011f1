import Knowledge
import Retrieval

/// The search path `aigov serve` and the CLI share: the local index alone, or, with `RETRIEVAL_BACKEND=qdrant`,
/// dense rankings from the Qdrant collection with BM25 and the fallback local (``QdrantRetriever``). Built once
/// from configuration, so "local index or Qdrant" is decided in one place and callers just search.
public struct SearchService: Sendable {
    /// Citations, and why Qdrant was not used when the local index answered in its place.
    public typealias Outcome = QdrantRetriever.Outcome

    public let knowledgeBase: KnowledgeBase
    /// The Qdrant side; nil for the local backend.
    public let qdrant: QdrantRetriever?

    /// Search on the local index of `knowledgeBase`.
    public init(knowledgeBase: KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
        qdrant = nil
    }

    /// A service over `knowledgeBase`; with `qdrant` (the collection's search settings), dense rankings come
    /// from that collection. Throws `QdrantError` for a configuration the client cannot use.
    /// A knowledge base without a local index (``KnowledgeBase/Options/localIndex`` false) makes the retriever
    /// stateless: Qdrant answers every search or the search fails.
    public init(knowledgeBase: KnowledgeBase, qdrant: QdrantConfiguration?) throws {
        self.knowledgeBase = knowledgeBase
        self.qdrant = try qdrant.map {
            QdrantRetriever(
                knowledgeBase: knowledgeBase, client: try QdrantClient(configuration: $0),
                stateless: !knowledgeBase.options.localIndex)
        }
    }

    /// The `topK` best passages for `text`, best first, reranked when the knowledge base has a reranking stage
    /// (``KnowledgeBase/search(_:topK:mode:filter:)``, ``QdrantRetriever/search(_:topK:mode:filter:)``).
    public func search(
        _ text: String, topK: Int = 5, mode: SearchMode = .hybrid, filter: SearchFilter = SearchFilter()
    ) async throws -> Outcome {
        guard let qdrant else {
            return Outcome(citations: try await knowledgeBase.search(text, topK: topK, mode: mode, filter: filter))
        }
        return try await qdrant.search(text, topK: topK, mode: mode, filter: filter)
    }
}

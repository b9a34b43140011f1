import ConcurrencySupport
import Foundation
import Knowledge
import Retrieval
import Store

/// Search with `RETRIEVAL_BACKEND=qdrant` (ARCHITECTURE.md section 5): the dense ranking comes from the Qdrant
/// collection, BM25 stays in the local index, and hybrid mode fuses the two lists locally with the same
/// reciprocal-rank fusion as the local backend. Dense hits are cited from their point payloads; lexical-only
/// hits from the store.
///
/// When Qdrant fails (down, timing out, refusing), the search falls back to the local index and says so in
/// ``Outcome/fallback``: callers log it and still answer.
public final class QdrantRetriever: Sendable {
    /// Results and how they were obtained.
    public struct Outcome: Sendable {
        public var citations: [Citation]
        /// Why Qdrant was not used, when the local index answered instead.
        public var fallback: QdrantError?
    }

    public let knowledgeBase: KnowledgeBase
    public let client: QdrantClient

    /// A retriever over `knowledgeBase` (embedder, BM25, fallback) and `client`'s collection.
    public init(knowledgeBase: KnowledgeBase, client: QdrantClient) {
        self.knowledgeBase = knowledgeBase
        self.client = client
    }

    /// The `topK` best passages for `text`, best first, as ``KnowledgeBase/retrieve(_:topK:mode:filter:)``
    /// gives them but with the dense ranking from Qdrant. Lexical mode never calls Qdrant.
    public func retrieve(
        _ text: String, topK: Int = 5, mode: SearchMode = .hybrid, filter: SearchFilter = SearchFilter()
    ) async throws -> Outcome {
        guard topK > 0 else { throw RetrievalError(.invalidArgument, "k must be positive") }
        if mode == .lexical {
            return Outcome(citations: try await knowledgeBase.retrieve(text, topK: topK, mode: mode, filter: filter))
        }
        let vector = try await knowledgeBase.queryEmbedder.embed([text])[0]
        let windowShare = knowledgeBase.options.ranking.windowShare
        // Fusion and window re-scoring both re-order a deeper candidate list than the topK returned.
        let depth = mode == .hybrid || windowShare > 0 ? max(50, 4 * topK) : topK
        let dense: [QdrantScoredPoint]
        do {
            dense = try await client.query(vector: vector, limit: depth, filter: filter)
        } catch {
            let local = try await knowledgeBase.retrieve(text, topK: topK, mode: mode, filter: filter)
            return Outcome(citations: local, fallback: error)
        }
        var denseCitations = dense.compactMap { point in
            point.payload.map { Self.citation($0, score: point.score) }
        }
        if windowShare > 0 {
            // The same window scoring as the local backend, from the windows the local index holds.
            let index = knowledgeBase.index
            let ranked = denseCitations.map { (id: $0.chunkID, score: Float($0.score)) }
            let rescored = try await blocking { index.rescoredByWindows(ranked, query: vector, share: windowShare) }
            let byID = Dictionary(denseCitations.map { ($0.chunkID, $0) }, uniquingKeysWith: { first, _ in first })
            denseCitations = rescored.compactMap { item in
                byID[item.id].map { citation in
                    var citation = citation
                    citation.score = Double(item.score)
                    return citation
                }
            }
        }
        guard mode == .hybrid else { return Outcome(citations: Array(denseCitations.prefix(topK))) }

        let index = knowledgeBase.index
        let lexical = try await blocking {
            try index.search(SearchQuery(text: text, mode: .lexical, k: depth, filter: filter))
        }
        let fused = RankFusion.reciprocalRank([denseCitations.map(\.chunkID), lexical.map(\.id)]).prefix(topK)
        let byID = Dictionary(denseCitations.map { ($0.chunkID, $0) }, uniquingKeysWith: { first, _ in first })
        let lexicalOnly = fused.filter { byID[$0.id] == nil }.map { (id: $0.id, score: $0.score) }
        let fromStore = Dictionary(
            try await knowledgeBase.citations(for: lexicalOnly).map { ($0.chunkID, $0) },
            uniquingKeysWith: { first, _ in first })
        let citations = fused.compactMap { item -> Citation? in
            guard var citation = byID[item.id] ?? fromStore[item.id] else { return nil }
            citation.score = item.score
            return citation
        }
        return Outcome(citations: citations)
    }

    static func citation(_ payload: QdrantChunkPayload, score: Double) -> Citation {
        Citation(
            content: payload.text, documentTitle: payload.title, documentSource: payload.source,
            documentURL: payload.url, chunkIndex: payload.chunkIndex, chunkID: payload.chunkID,
            documentID: payload.documentID, section: payload.section, pageStart: payload.pageStart,
            pageEnd: payload.pageEnd, score: score)
    }
}

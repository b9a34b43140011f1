import EmbedCache
import Foundation
import Knowledge
import Qdrant
import Retrieval
import Testing

/// `RETRIEVAL_BACKEND=qdrant` with a reranking stage: the cross-encoder reorders Qdrant's candidates as it
/// reorders the local index's.
@Suite struct QdrantRerankingTests {
    @Test func qdrantCandidatesAreRerankedLikeTheLocalOnes() async throws {
        let peer = try await QdrantPeer.shared()
        let encoder = try CrossEncoder(
            modelDirectory: MirrorLibrary.root.appendingPathComponent("fixtures/cross-encoder/tiny"))
        let stage = RerankingStage(scorer: encoder, topN: 8)
        let library = try await MirrorLibrary.make(reranking: stage)
        defer { library.remove() }
        try await library.ingestAll()
        let client = try QdrantClient(configuration: peer.configuration())
        try await QdrantMirror(knowledgeBase: library.knowledgeBase, client: client).syncAll()
        let retriever = QdrantRetriever(knowledgeBase: library.knowledgeBase, client: client)
        var reordered = false
        for question in QdrantBackendTests.questions {
            for mode in [SearchMode.dense, .hybrid] {
                let candidates = try await retriever.retrieve(question, topK: 8, mode: mode).citations
                let remote = try await retriever.search(question, topK: 3, mode: mode)
                #expect(remote.fallback == nil)
                let expected = try await library.knowledgeBase.rerank(question, candidates, topK: 3, stage: stage)
                #expect(remote.citations.map(\.chunkID) == expected.map(\.chunkID), "\(mode) \(question)")
                let local = try await library.knowledgeBase.search(question, topK: 3, mode: mode)
                #expect(remote.citations.map(\.chunkID) == local.map(\.chunkID), "\(mode) \(question)")
                reordered = reordered || remote.citations.map(\.chunkID) != candidates.prefix(3).map(\.chunkID)
            }
        }
        #expect(reordered, "the cross-encoder changed some order")
    }
}

import DocumentFixtures
import Documents
import EmbedCache
import Foundation
import Knowledge
import Retrieval
import Synchronization
import Testing

/// The reranking stage on the real search path: a knowledge base with a real store and index, the first
/// stage's candidates handed to the tiny random-weight cross-encoder of `fixtures/cross-encoder/tiny`.
@Suite struct RerankingTests {
    static let model = Fixtures.root.appendingPathComponent("fixtures/cross-encoder/tiny")

    /// Scores each passage by its position among the candidates, reversed: the last candidate wins. Records
    /// what it was asked.
    final class ReversingScorer: PassageScorer {
        let asked = Mutex<[[String]]>([])

        func relevance(query: String, passages: [String]) async throws -> [Relevance] {
            asked.withLock { $0.append(passages) }
            return passages.indices.map { Relevance(logit: Float($0), score: Float($0)) }
        }
    }

    /// 40 one-chunk documents that all mention the query's words, so the first stage has 40 candidates. Each
    /// has its own length, so no two tie in BM25 (whose last bits vary from one search to the next).
    static func library(reranking: RerankingStage?) async throws -> (KnowledgeBase, TestLibrary) {
        let library = try TestLibrary()
        guard let tokenizer = Fixtures.tokenizer else { throw TestSetupError.noTokenizer }
        var options = KnowledgeBase.Options()
        options.reranking = reranking
        let (base, _) = try await KnowledgeBase.open(
            dataDirectory: library.directory, store: try await library.store(), embedder: try library.embedder(),
            tokenCounter: tokenizer, options: options)
        let subjects = [
            "providers", "deployers", "importers", "distributors", "authorities", "notified bodies", "the Commission",
            "the AI Office",
        ]
        let duties = ["keep logs", "register the system", "report incidents", "assess conformity", "inform persons"]
        var documents: [Document] = []
        for (number, subject) in subjects.enumerated() {
            for (index, duty) in duties.enumerated() {
                let text =
                    "Article \(number * 10 + index): high-risk AI systems. \(subject) shall \(duty) "
                    + String(repeating: "under this Regulation ", count: 1 + number * 5 + index) + "."
                documents.append(
                    Document(
                        id: "doc-\(number)-\(index)", title: "Provision \(number)-\(index)", source: "test",
                        type: .text, text: text))
            }
        }
        _ = try await base.commit(documents: documents)
        return (base, library)
    }

    @Test func withoutAStageSearchIsTheFirstStage() async throws {
        let (base, library) = try await Self.library(reranking: nil)
        defer { library.remove() }
        let query = "which duties do providers of high-risk AI systems have"
        for mode in [SearchMode.hybrid, .lexical, .dense] {
            let a = try await base.search(query, topK: 5, mode: mode)
            let b = try await base.retrieve(query, topK: 5, mode: mode)
            // Ids and order; BM25 scores can differ in their last bits from one search to the next.
            #expect(a.map(\.chunkID) == b.map(\.chunkID), "\(mode)")
            #expect(zip(a, b).allSatisfy { abs($0.score - $1.score) <= 1e-5 * abs($1.score) }, "\(mode)")
        }
    }

    /// The top k come from the reranked top N: with a scorer that prefers the last candidate, the results are
    /// the first stage's N-th, (N-1)-th, ... passages, none of which the first stage ranked in its top k.
    @Test func topKComesFromTheRerankedTopN() async throws {
        let scorer = ReversingScorer()
        let (base, library) = try await Self.library(reranking: RerankingStage(scorer: scorer, topN: 12))
        defer { library.remove() }
        let query = "which duties do providers of high-risk AI systems have"
        let first = try await base.retrieve(query, topK: 12)
        #expect(first.count == 12)
        let results = try await base.search(query, topK: 3)
        #expect(results.map(\.chunkID) == first.reversed().prefix(3).map(\.chunkID))
        #expect(results.map(\.score) == [11, 10, 9])
        let asked = scorer.asked.withLock { $0 }
        #expect(asked.count == 1 && asked.first?.count == 12)
        // The passages are read as indexed: heading and text (here the text alone, the documents have none).
        #expect(asked.first?.first == base.index.record(id: first[0].chunkID)?.text)
        // Asking for more than N reranks them all.
        #expect(try await base.search(query, topK: 20).count == 20)
        #expect(scorer.asked.withLock { $0.last?.count } == 20)
    }

    /// The real (tiny, random) cross-encoder reorders the first stage's candidates, deterministically, into
    /// the order of its own logits, and reports its sigmoid scores.
    @Test func theCrossEncoderReordersResults() async throws {
        let encoder = try CrossEncoder(modelDirectory: Self.model)
        let (base, library) = try await Self.library(reranking: RerankingStage(scorer: encoder, topN: 30))
        defer { library.remove() }
        let query = "which duties do providers of high-risk AI systems have"
        let first = try await base.retrieve(query, topK: 30)
        #expect(first.count == 30)
        let logits = encoder.relevanceBlocking(
            query: query, passages: first.map { base.index.record(id: $0.chunkID)?.text ?? $0.content }
        ).map(\.logit)
        let expected = first.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
            .prefix(5).map { first[$0].chunkID }

        let results = try await base.search(query, topK: 5)
        #expect(results.map(\.chunkID) == expected)
        #expect(results.map(\.chunkID) != first.prefix(5).map(\.chunkID), "the reranker changed the order")
        #expect(results.allSatisfy { $0.score > 0 && $0.score < 1 })
        #expect(zip(results, results.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(try await base.search(query, topK: 5) == results, "deterministic")
    }
}

import DocumentFixtures
import Documents
import Foundation
import Knowledge
import Retrieval
import Store
import StoreDoubles
import Synchronization
import Testing

/// A replica whose database goes away keeps answering searches from its index: every record carries what its
/// citation needs (docs/ARCHITECTURE.md, "Replicas follow the store").
@Suite struct StoreOutageTests {
    @Test func searchesAnswerFromTheIndexWhileTheStoreIsAway() async throws {
        guard let tokenizer = Fixtures.tokenizer else { throw TestSetupError.noTokenizer }
        let library = try TestLibrary()
        defer { library.remove() }
        let away = Atomic(false)
        let store = InterceptingStore(base: try await library.store()) { _ in
            if away.load(ordering: .acquiring) { throw StoreError(.connectionFailed, "cannot reach the database") }
        }
        let (base, _) = try await KnowledgeBase.open(
            dataDirectory: library.directory, store: store, embedder: try library.embedder(), tokenCounter: tokenizer)
        _ = try await base.ingest(
            fileAt: try library.copy(Fixtures.rmfPDF),
            options: DocumentLoader.Options(
                title: "NIST AI RMF", source: "NIST", url: "https://doi.org/10.6028/NIST.AI.100-1"))
        _ = try await base.ingest(fileAt: try library.copy(Fixtures.eo14179, as: "order.md"))

        for (question, mode) in [
            ("GOVERN 1.1 legal and regulatory requirements", SearchMode.lexical),
            ("removing barriers to American leadership in artificial intelligence", .hybrid),
        ] {
            let online = try await base.search(question, topK: 5, mode: mode)
            #expect(online.count == 5)
            away.store(true, ordering: .releasing)
            let offline = try await base.search(question, topK: 5, mode: mode)
            away.store(false, ordering: .releasing)
            // The same passages, text, pages and titles as the store gives (scores may differ in the last bits
            // between two searches: BM25 sums in hash order).
            func fields(_ citations: [Citation]) -> [Citation] {
                citations.map {
                    var citation = $0
                    citation.score = ($0.score * 1e4).rounded() / 1e4
                    return citation
                }
            }
            #expect(fields(offline) == fields(online))
        }
        #expect(try await base.search("GOVERN 1.1", topK: 1, mode: .lexical).first?.pageStart != nil)

        // Other store failures are not hidden.
        let damaged = Atomic(false)
        let broken = InterceptingStore(base: store.base) { operation in
            if damaged.load(ordering: .acquiring), operation == "chunks(ids:)" {
                throw StoreError(.corrupt, "a damaged row")
            }
        }
        let (other, _) = try await KnowledgeBase.open(
            dataDirectory: nil, store: broken, embedder: try library.embedder(), tokenCounter: tokenizer)
        damaged.store(true, ordering: .releasing)
        await #expect(throws: StoreError.self) { _ = try await other.search("GOVERN", topK: 1, mode: .lexical) }
    }
}

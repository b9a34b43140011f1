import Foundation
import Retrieval
import Testing

/// The sparse form of BM25 an engine with an IDF modifier scores (Qdrant) gives the local index's scores.
@Suite struct SparseBM25Tests {
    static let documents = [
        "Providers of high-risk AI systems shall establish a risk management system.",
        "The risk management system shall be a continuous iterative process run throughout the lifecycle.",
        "Deployers shall inform natural persons that they are interacting with an AI system.",
        "Article 5 Prohibited AI practices: the following AI practices shall be prohibited.",
        "Member States shall lay down the rules on penalties, including administrative fines.",
    ]

    @Test func idfWeightedDotProductsEqualTheLocalScores() throws {
        var index = BM25Index()
        for (label, text) in Self.documents.enumerated() { index.add(label: UInt32(label), text: text) }
        let lengths = Self.documents.map { index.tokenizer.tokens($0).count }
        let encoder = SparseBM25(averageLength: Float(lengths.reduce(0, +)) / Float(lengths.count))
        let vectors = Self.documents.map(encoder.document)
        let n = Float(Self.documents.count)
        for question in ["risk management system", "which AI practices are prohibited", "fines and penalties"] {
            let query = encoder.query(question)
            var expected: [UInt32: Float] = [:]
            for (label, vector) in vectors.enumerated() {
                var score: Float = 0
                for (id, weight) in zip(query.indices, query.values) {
                    guard let position = vector.indices.firstIndex(of: id) else { continue }
                    let df = Float(vectors.filter { $0.indices.contains(id) }.count)
                    score += weight * vector.values[position] * log(1 + (n - df + 0.5) / (df + 0.5))
                }
                if score > 0 { expected[UInt32(label)] = score }
            }
            let local = index.search(question, k: 10)
            #expect(local.count == expected.count, "\(question)")
            for hit in local { #expect(abs(hit.score - (expected[hit.label] ?? -1)) < 1e-4, "\(question)") }
        }
    }

    @Test func vectorsAreSortedUniqueAndStable() {
        let encoder = SparseBM25(averageLength: 10)
        let vector = encoder.document("risk risk management of risks, Article 6(2) and Article 6")
        #expect(vector.indices == vector.indices.sorted() && Set(vector.indices).count == vector.indices.count)
        #expect(encoder.query("risk and risk management").values == [1, 1])
        // Ids are FNV-1a of the term: fixed across processes and releases, since other replicas query them.
        #expect(SparseBM25.termID("risk") == 0xF32B_96EA)
        #expect(SparseBM25.termID("") == 0x811C_9DC5)
        #expect(SparseBM25(averageLength: 0).averageLength == SparseBM25.defaultAverageLength)
    }
}

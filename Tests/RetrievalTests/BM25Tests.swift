import Foundation
import Retrieval
import Testing

@Suite struct BM25Tests {
    /// Three documents, scored by hand from the formula (k1 = 0.9, b = 0.4, idf = ln(1 + (N - df + 0.5) / (df + 0.5))).
    ///
    /// Tokens after stopword removal:
    ///   d0 "risk management risk"  -> [risk, management, risk]      |d0| = 3
    ///   d1 "risk of the system"    -> [risk, system]                |d1| = 2
    ///   d2 "the system is safe"    -> [system, safe]                |d2| = 2
    /// N = 3, avgdl = 7/3. Query "risk": df = 2, idf = ln(1 + 1.5/2.5) = ln 1.6.
    ///   d0: tf 2, norm = 0.9 * (0.6 + 0.4 * 3 / (7/3)) = 0.9 * (0.6 + 0.5142857) = 1.0028571
    ///       score = ln 1.6 * 2 * 1.9 / (2 + 1.0028571) = 0.4700036 * 3.8 / 3.0028571 = 0.594769
    ///   d1: tf 1, norm = 0.9 * (0.6 + 0.4 * 2 / (7/3)) = 0.9 * 0.9428571 = 0.8485714
    ///       score = 0.4700036 * 1.9 / 1.8485714 = 0.483078
    /// Query "safe system": idf(safe) = ln(1 + 2.5/1.5) = ln(8/3) = 0.9808293, idf(system) = ln 1.6.
    ///   d2: 0.9808293 * 1.9 / 1.8485714 + 0.4700036 * 1.9 / 1.8485714 = 1.008118 + 0.483078 = 1.491196
    ///   d1: 0.483078
    @Test func scoresEqualTheHandComputedExample() {
        var index = BM25Index()
        index.add(label: 0, text: "risk management risk")
        index.add(label: 1, text: "risk of the system")
        index.add(label: 2, text: "the system is safe")
        let risk = index.search("risk", k: 10)
        #expect(risk.map(\.label) == [0, 1])
        #expect(abs(risk[0].score - 0.594769) < 1e-4)
        #expect(abs(risk[1].score - 0.483078) < 1e-4)
        let safe = index.search("safe system", k: 10)
        #expect(safe.map(\.label) == [2, 1])
        #expect(abs(safe[0].score - 1.491196) < 1e-4)
        #expect(abs(safe[1].score - 0.483078) < 1e-4)
        #expect(index.search("absent", k: 10).isEmpty)
    }

    @Test func removingADocumentUpdatesTheStatistics() {
        var index = BM25Index()
        index.add(label: 0, text: "risk management risk")
        index.add(label: 1, text: "risk of the system")
        index.add(label: 2, text: "the system is safe")
        index.add(label: 3, text: "unrelated words entirely here")
        index.remove(label: 3, text: "unrelated words entirely here")
        #expect(index.documentCount == 3)
        // Same corpus as the hand-computed example again, so the same score.
        #expect(abs(index.search("risk", k: 1)[0].score - 0.594769) < 1e-4)
        index.remove(label: 0, text: "risk management risk")
        #expect(index.search("risk", k: 10).map(\.label) == [1])
        #expect(index.documentFrequency("risk") == 1)
    }

    @Test func clauseIdentifiersAreFoundAsWritten() {
        let corpus = [
            "Article 6(1)(a) sets out classification rules for high-risk systems.",
            "Article 60 covers testing in real world conditions.",
            "GOVERN 1.1: legal and regulatory requirements are understood.",
            "Action GV-1.1-001 aligns generative AI use with applicable laws.",
            "Annex III lists high-risk AI systems referred to in Article 6(2).",
            "MAP 1.1 establishes the intended purposes of the system.",
        ]
        var index = BM25Index()
        for (label, text) in corpus.enumerated() { index.add(label: UInt32(label), text: text) }
        let expectations: [(String, UInt32)] = [
            ("6(1)(a)", 0), ("Article 60", 1), ("GOVERN 1.1", 2), ("GV-1.1-001", 3), ("Annex III", 4),
            ("Article 6(2)", 4), ("MAP 1.1", 5),
        ]
        for (query, label) in expectations {
            #expect(index.search(query, k: 1).first?.label == label, "query \(query)")
        }
        // "Article 6" must reach both documents citing article 6, and rank them above article 60.
        let article6 = index.search("Article 6", k: 3).map(\.label)
        #expect(Set(article6.prefix(2)) == [0, 4], "got \(article6)")
    }
}

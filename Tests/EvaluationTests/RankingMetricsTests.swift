import Evaluation
import Foundation
import Testing

/// The metrics against pytrec_eval's numbers for a small run with ties, graded and all-zero judgements
/// (`fixtures/eval/`, expected values printed by `scripts/check_metrics.py`), and against hand computations.
@Suite struct RankingMetricsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func table(_ name: String, columns: (Int, Int, Int)) throws -> [String: [String: String]] {
        let text = try String(contentsOf: root.appendingPathComponent("fixtures/eval/\(name)"), encoding: .utf8)
        var table: [String: [String: String]] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ").map(String.init)
            table[parts[columns.0], default: [:]][parts[columns.1]] = parts[columns.2]
        }
        return table
    }

    static func fixture() throws -> (Run, Qrels) {
        let qrels = try table("qrels.txt", columns: (0, 2, 3)).mapValues { $0.mapValues { Int($0)! } }
        let run = try table("run.txt", columns: (0, 2, 4)).mapValues { $0.mapValues { Double($0)! } }
        return (run, qrels)
    }

    @Test func tiesRankByDocumentIDDescendingAsTrecEvalDoes() {
        #expect(RankingMetrics.ranking(["d10": 1, "d9": 1, "c": 1, "top": 2]) == ["top", "d9", "d10", "c"])
    }

    @Test func perQueryValuesMatchPytrecEval() throws {
        let (run, qrels) = try Self.fixture()
        let data = try Data(contentsOf: Self.root.appendingPathComponent("fixtures/eval/expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let perQuery = try #require(expected["per_query"] as? [String: [String: Double]])
        #expect(perQuery.keys.sorted() == ["q1", "q2", "q3", "q5"])
        for (query, values) in perQuery {
            let ranked = RankingMetrics.ranking(run[query]!)
            let judged = qrels[query]!
            let computed: [String: Double] = [
                "ndcg_cut_3": RankingMetrics.ndcg(ranked, judgements: judged, k: 3),
                "ndcg_cut_10": RankingMetrics.ndcg(ranked, judgements: judged, k: 10),
                "recall_3": RankingMetrics.recall(ranked, judgements: judged, k: 3),
                "recall_100": RankingMetrics.recall(ranked, judgements: judged, k: 100),
                "rr_3": RankingMetrics.reciprocalRank(ranked, judgements: judged, k: 3),
                "rr_10": RankingMetrics.reciprocalRank(ranked, judgements: judged, k: 10),
            ]
            for (key, value) in values {
                #expect(abs(computed[key]! - value) < 1e-9, "\(query) \(key): \(computed[key]!) vs \(value)")
            }
        }
        let mean = try #require(expected["mean"] as? [String: Double])
        let summary = RankingMetrics.evaluate(run: run, qrels: qrels)
        #expect(summary.queries == 4)  // q4 has no ranking, q6 no judgements
        #expect(abs(summary.ndcgAt10 - mean["ndcg_cut_10"]!) < 1e-9)
        #expect(abs(summary.recallAt100 - mean["recall_100"]!) < 1e-9)
        #expect(abs(summary.mrrAt10 - mean["rr_10"]!) < 1e-9)
    }

    @Test func handComputedValues() throws {
        let (run, qrels) = try Self.fixture()
        // q1 in trec_eval order: d3 (0), then the 7.25 tie as d5 (unjudged), d2 (1), d1 (2); then d4, d6, d8,
        // d10, d11, d12 (unjudged) and d9 (1) at rank 11. d7 (3) is never retrieved.
        let q1 = RankingMetrics.ranking(run["q1"]!)
        #expect(Array(q1.prefix(4)) == ["d3", "d5", "d2", "d1"])
        let ideal3 = 3 + 2 / log2(3.0) + 1 / 2.0
        #expect(abs(RankingMetrics.ndcg(q1, judgements: qrels["q1"]!, k: 3) - (1 / 2.0) / ideal3) < 1e-12)
        let dcg10 = 1 / 2.0 + 2 / log2(5.0)
        let ideal10 = ideal3 + 1 / log2(5.0)
        #expect(abs(RankingMetrics.ndcg(q1, judgements: qrels["q1"]!, k: 10) - dcg10 / ideal10) < 1e-12)
        // Relevant: d1, d2, d7, d9; d9 is 11th, inside 100.
        #expect(RankingMetrics.recall(q1, judgements: qrels["q1"]!, k: 3) == 0.25)
        #expect(RankingMetrics.recall(q1, judgements: qrels["q1"]!, k: 100) == 0.75)
        #expect(RankingMetrics.reciprocalRank(q1, judgements: qrels["q1"]!, k: 2) == 0)
        #expect(RankingMetrics.reciprocalRank(q1, judgements: qrels["q1"]!, k: 3) == 1 / 3.0)
        // q3 judges only zeros: every metric is 0 and the query still counts.
        let q3 = RankingMetrics.ranking(run["q3"]!)
        #expect(RankingMetrics.ndcg(q3, judgements: qrels["q3"]!, k: 10) == 0)
    }
}

import Foundation

/// Relevance judgements: query id -> document id -> grade (0 = judged not relevant).
public typealias Qrels = [String: [String: Int]]

/// A retrieval run: query id -> document id -> score (higher is better).
public typealias Run = [String: [String: Double]]

/// The averages BEIR reports for a run.
public struct RankingSummary: Sendable, Equatable, Codable {
    public var ndcgAt10: Double
    public var recallAt100: Double
    public var mrrAt10: Double
    /// Queries averaged over: those with judgements and a ranking.
    public var queries: Int

    public init(ndcgAt10: Double, recallAt100: Double, mrrAt10: Double, queries: Int) {
        self.ndcgAt10 = ndcgAt10
        self.recallAt100 = recallAt100
        self.mrrAt10 = mrrAt10
        self.queries = queries
    }
}

/// Ranking metrics as `trec_eval` (and so `pytrec_eval`, which BEIR calls) computes them.
///
/// - A run is ordered by score, descending, and equal scores by document id, descending, compared as byte
///   strings: `trec_eval` sorts that way (checked with pytrec_eval 0.5: for tied `d10`, `d9`, `c` it ranks
///   `d9`, `d10`, `c`). The order a retriever produced is ignored, as it is by BEIR.
/// - A document is relevant when its grade is at least 1.
/// - nDCG@k: gain is the grade, discount `log2(rank + 1)` for 1-based ranks; the ideal ranking sorts every
///   judged grade of the query, descending (`ndcg_cut_k`).
/// - Recall@k: relevant documents in the first k over all relevant documents (`recall_k`); 0 without any.
/// - MRR@k: `1 / rank` of the first relevant document in the first k, else 0 (`recip_rank` on the run cut
///   to k, as `ir_measures`' `RR@10`).
/// - Averages are over queries present in both the qrels and the run, as pytrec_eval evaluates them: a
///   query whose judgements are all 0 still counts (with 0), a query the run lacks does not.
public enum RankingMetrics {
    /// The documents of `scores` in `trec_eval` order.
    public static func ranking(_ scores: [String: Double]) -> [String] {
        scores.sorted { lhs, rhs in
            if lhs.value != rhs.value { return lhs.value > rhs.value }
            return rhs.key.utf8.lexicographicallyPrecedes(lhs.key.utf8)
        }.map(\.key)
    }

    /// nDCG over the first `k` of `ranking`.
    public static func ndcg(_ ranking: [String], judgements: [String: Int], k: Int) -> Double {
        var dcg = 0.0
        for (index, document) in ranking.prefix(k).enumerated() {
            let grade = judgements[document] ?? 0
            if grade > 0 { dcg += Double(grade) / log2(Double(index + 2)) }
        }
        let ideal = judgements.values.filter { $0 > 0 }.sorted(by: >).prefix(k).enumerated().reduce(0.0) {
            $0 + Double($1.element) / log2(Double($1.offset + 2))
        }
        return ideal > 0 ? dcg / ideal : 0
    }

    /// Share of the relevant documents found in the first `k`.
    public static func recall(_ ranking: [String], judgements: [String: Int], k: Int) -> Double {
        let relevant = judgements.values.filter { $0 > 0 }.count
        guard relevant > 0 else { return 0 }
        let found = ranking.prefix(k).filter { (judgements[$0] ?? 0) > 0 }.count
        return Double(found) / Double(relevant)
    }

    /// `1 / rank` of the first relevant document in the first `k`, else 0.
    public static func reciprocalRank(_ ranking: [String], judgements: [String: Int], k: Int) -> Double {
        for (index, document) in ranking.prefix(k).enumerated() where (judgements[document] ?? 0) > 0 {
            return 1 / Double(index + 1)
        }
        return 0
    }

    /// nDCG@10, recall@100 and MRR@10 averaged over the queries of `run` that `qrels` judges.
    public static func evaluate(run: Run, qrels: Qrels) -> RankingSummary {
        var ndcg = 0.0
        var recall = 0.0
        var mrr = 0.0
        var queries = 0
        for (query, scores) in run {
            guard let judgements = qrels[query], !judgements.isEmpty else { continue }
            let ranked = ranking(scores)
            ndcg += self.ndcg(ranked, judgements: judgements, k: 10)
            recall += self.recall(ranked, judgements: judgements, k: 100)
            mrr += reciprocalRank(ranked, judgements: judgements, k: 10)
            queries += 1
        }
        guard queries > 0 else { return RankingSummary(ndcgAt10: 0, recallAt100: 0, mrrAt10: 0, queries: 0) }
        let n = Double(queries)
        return RankingSummary(ndcgAt10: ndcg / n, recallAt100: recall / n, mrrAt10: mrr / n, queries: queries)
    }
}

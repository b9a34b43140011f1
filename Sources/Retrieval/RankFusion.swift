/// Reciprocal-rank fusion (Cormack, Clarke & Büttcher, 2009): an item's fused score is the sum over the
/// input rankings of `1 / (k + rank)`, with 1-based ranks. It needs no score calibration between the dense
/// and lexical lists, which live on unrelated scales.
public enum RankFusion {
    /// The items of `rankings` ordered by fused score, best first. Ties go to the item with the better
    /// single best rank, then to the earlier input list, so the order is deterministic.
    /// `weights` (one per list, default 1) scale each list's contributions.
    public static func reciprocalRank<ID: Hashable>(
        _ rankings: [[ID]], k: Double = 60, weights: [Double] = []
    ) -> [(id: ID, score: Double)] {
        var scores: [ID: Double] = [:]
        var best: [ID: (rank: Int, list: Int)] = [:]
        for (list, ranking) in rankings.enumerated() {
            let weight = list < weights.count ? weights[list] : 1
            for (position, id) in ranking.enumerated() {
                scores[id, default: 0] += weight / (k + Double(position + 1))
                if let current = best[id], (current.rank, current.list) <= (position + 1, list) { continue }
                best[id] = (position + 1, list)
            }
        }
        return scores.map { (id: $0.key, score: $0.value) }.sorted { lhs, rhs in
            if lhs.score != rhs.score { return lhs.score > rhs.score }
            let l = best[lhs.id]!
            let r = best[rhs.id]!
            return (l.rank, l.list) < (r.rank, r.list)
        }
    }
}

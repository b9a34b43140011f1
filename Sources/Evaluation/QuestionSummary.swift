import Foundation

/// Hit rates over a question set.
public struct QuestionSummary: Sendable, Equatable {
    public var hitAt1: Double
    public var hitAt5: Double
    /// Mean of `1 / rank` of the first hit within the retrieved passages (0 for a miss).
    public var mrr: Double
    public var questions: Int
    /// Section-level nDCG@10 averaged over the questions that name a document and a provision (nil when none
    /// does). Binary relevance with one relevant provision per question: a question whose first matching
    /// passage is at rank r (1-based, within 10) scores `1 / log2(r + 1)`, else 0.
    public var sectionNDCGAt10: Double?
    /// Questions that name a document and a provision (the ones ``sectionNDCGAt10`` averages).
    public var sectionJudged: Int
    /// The share of questions whose first hit is within the first 30 passages (nil when not measured):
    /// what a reranker of the first 30 could bring to the top, so the ceiling of hit@1 and hit@5 under reranking.
    public var hitAt30: Double?

    /// Summarises first-hit ranks (nil for a miss), one per question, and optionally the section-level ranks
    /// of the judged questions (nil for no matching passage in the first 10) and the first-hit ranks among the
    /// first 30 passages.
    public init(ranks: [Int?], sectionRanks: [Int?] = [], deepRanks: [Int?]? = nil) {
        questions = ranks.count
        let n = Double(max(ranks.count, 1))
        hitAt1 = Double(ranks.filter { $0 == 1 }.count) / n
        hitAt5 = Double(ranks.filter { ($0 ?? .max) <= 5 }.count) / n
        mrr = ranks.compactMap { $0 }.reduce(0.0) { sum, rank in sum + 1 / Double(rank) } / n
        sectionJudged = sectionRanks.count
        hitAt30 = deepRanks.map { deep in Double(deep.filter { ($0 ?? .max) <= 30 }.count) / n }
        sectionNDCGAt10 =
            sectionRanks.isEmpty
            ? nil
            : sectionRanks.reduce(0.0) { sum, rank in sum + Self.ndcgAt10(firstRelevant: rank) }
                / Double(sectionRanks.count)
    }

    /// nDCG@10 of a ranking with one relevant item first found at `rank` (1-based): `1 / log2(rank + 1)`
    /// within 10, else 0 (the ideal ranking puts it first, with DCG 1).
    public static func ndcgAt10(firstRelevant rank: Int?) -> Double {
        guard let rank, (1...10).contains(rank) else { return 0 }
        return 1 / log2(Double(rank + 1))
    }
}

/// The section-level judgement of `aigov eval questions`.
public enum SectionMatcher {
    /// The 1-based rank of the first passage from `document` whose section's ``ProvisionKey`` matches
    /// `provision`'s, or nil.
    public static func firstMatch(
        passages: [(documentID: String, section: String?)], document: String, provision: String
    ) -> Int? {
        guard let wanted = ProvisionKey(provision) else { return nil }
        for (index, passage) in passages.enumerated() where passage.documentID == document {
            if let key = passage.section.flatMap(ProvisionKey.init), key.matches(wanted) { return index + 1 }
        }
        return nil
    }
}

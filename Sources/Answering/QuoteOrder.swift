import Foundation
import TextAnalysis

/// How the extractive answer lays out what it quotes: each passage's quotes in source order, with the notes that
/// a list is cut or goes on.
extension ExtractiveAnswerer {
    /// One piece of the answer: a statement of the passage at `rank`, or a note about a list (no `number`).
    struct Quote {
        var rank: Int
        var position: Int
        var text: String
        /// The source number cited after the text; nil for ``omission`` and ``listContinues``.
        var number: Int?
        /// The lead-in's position when this is a point quoted as part of its list.
        var list: Int? = nil
        /// What the quote is said under ("Article 6(4): "); nil for a note, which goes on the quote before it.
        var label: String? = nil
    }

    /// `quotes` (grouped by passage, in the order the passages were first quoted, the passages of one provision
    /// together and in the document's order) with each passage's statements in source
    /// order, ``omission`` between two points of a list with points left out between them, and
    /// ``listContinues`` after a list's last quoted point when the list goes on after it. A point chosen on its
    /// own after its list was cut at the budget thus reads after the points that fit, and the note that the list
    /// goes on comes once, at the end, where it is true.
    static func inSourceOrder(
        _ quotes: [Quote], statements: [[ProvisionStatement]], passages: [Passage]
    ) -> [Quote] {
        var ranks: [Int] = []
        for quote in quotes where !ranks.contains(quote.rank) { ranks.append(quote.rank) }
        // Passages of one provision (a chunk of Article 6(4) ranked first, one of Article 6(2) third) are quoted
        // together, in the text's order, where the first of them was: the law reads 6(2) before 6(4).
        var grouped: [Int] = []
        for rank in ranks where !grouped.contains(rank) {
            let mates = ranks.filter { $0 == rank || sameProvision(passages[$0], passages[rank]) }
            grouped += mates.sorted { passages[$0].chunkIndex < passages[$1].chunkIndex }
        }
        var ordered: [Quote] = []
        for rank in grouped {
            let group = quotes.filter { $0.rank == rank }.sorted { $0.position < $1.position }
            let passageStatements = statements[rank]
            for (index, quote) in group.enumerated() {
                let previous = index > 0 ? group[index - 1] : nil
                if let list = quote.list, let previous, previous.list == list || previous.position == list,
                    quote.position > previous.position + 1
                {
                    ordered.append(Quote(rank: rank, position: quote.position, text: omission, number: nil))
                }
                ordered.append(quote)
                let next = index + 1 < group.count ? group[index + 1] : nil
                guard let list = quote.list, next?.list != list else { continue }
                var end = list + 1
                while end < passageStatements.count, passageStatements[end].kind == .point { end += 1 }
                // A point ending in ";" (or "; or", "; and") has a successor, in this passage or the next chunk.
                if quote.position + 1 < end || continuesList(quote.text) {
                    ordered.append(Quote(rank: rank, position: quote.position, text: listContinues, number: nil))
                }
            }
        }
        return ordered
    }

    /// Whether two passages hold parts of one provision of one document ("Article 6(2)" and "Article 6").
    static func sameProvision(_ a: Passage, _ b: Passage) -> Bool {
        guard a.documentID == b.documentID, let first = a.section, let second = b.section else { return false }
        let provision = ProvisionLabel.provision(of: first)
        return !provision.isEmpty && provision == ProvisionLabel.provision(of: second)
    }
}

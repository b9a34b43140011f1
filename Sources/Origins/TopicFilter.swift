import Foundation

/// The optional topic filter of a crawl (`ENABLE_TOPIC_FILTERING`, off by default as in the old platform): a page
/// whose relevance is below `POLICY_KEYWORD_THRESHOLD` is fetched (its links still followed) but not ingested, and
/// counted as `pages_irrelevant`.
///
/// Relevance is a score in 0...1 from a phrase list: each distinct phrase found in the title or the text adds its
/// weight (1 for AI-governance phrases, 0.5 for general policy words, 1 for each of the origin's `topic_tags`),
/// and four weights' worth is full relevance. Counting distinct phrases rather than occurrences keeps a long page
/// that repeats one word from passing, and a short page that names the subject twice from failing.
public struct TopicFilter: Sendable {
    /// `POLICY_KEYWORD_THRESHOLD`: the least relevance a page needs to be ingested.
    public var threshold: Double
    /// Phrases (lower case) and their weights.
    public var phrases: [(phrase: String, weight: Double)]

    /// The weight at which a page counts as fully relevant.
    public static let fullWeight = 4.0

    /// The phrase list: the subjects of the corpus (AI regulation, risk, data protection) at weight 1, words of
    /// policy texts generally at 0.5; `topicTags` (an origin's) are added at weight 1.
    public init(threshold: Double, topicTags: [String] = []) {
        self.threshold = threshold
        var phrases = Self.governancePhrases.map { ($0, 1.0) } + Self.policyWords.map { ($0, 0.5) }
        for tag in topicTags {
            let phrase = tag.lowercased().replacingOccurrences(of: "_", with: " ").replacingOccurrences(
                of: "-", with: " ")
            if !phrase.isEmpty, !phrases.contains(where: { $0.0 == phrase }) { phrases.append((phrase, 1.0)) }
        }
        self.phrases = phrases
    }

    static let governancePhrases = [
        "artificial intelligence", "ai system", "ai act", "machine learning", "algorithmic", "automated decision",
        "high-risk", "risk management", "data protection", "personal data", "fundamental rights", "transparency",
        "accountability", "trustworthy", "foundation model", "general-purpose ai", "ai governance", "ai safety",
        "responsible ai", "human oversight",
    ]
    static let policyWords = [
        "regulation", "directive", "legislation", "policy", "guidance", "framework", "standard", "compliance",
        "obligation", "oversight", "governance", "principles", "strategy", "code of practice", "consultation",
    ]

    /// The relevance of a page in 0...1.
    public func relevance(title: String, text: String) -> Double {
        let haystack = " " + Self.normalized(title + " " + text) + " "
        var weight = 0.0
        for (phrase, phraseWeight) in phrases where haystack.contains(" " + Self.normalized(phrase) + " ") {
            weight += phraseWeight
        }
        return min(1, weight / Self.fullWeight)
    }

    /// Whether a page is relevant enough to ingest.
    public func admits(title: String, text: String) -> Bool {
        relevance(title: title, text: text) >= threshold
    }

    /// Lower case, every run of characters other than letters, digits and hyphens one space: phrase matching is on
    /// whole words.
    static func normalized(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var space = false
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "-" {
                out.append(character)
                space = false
            } else if !space {
                out.append(" ")
                space = true
            }
        }
        return out
    }
}

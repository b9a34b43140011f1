import TextAnalysis

/// Whether a question asks what the law allows, bans, requires or punishes: "Can a company ...", "Is it legal
/// to ...", "Do employers have to ...", "What are the fines for ...". Such a question is answered by the
/// operative text of legislation (articles and annexes), which guidance written in everyday words (the
/// Blueprint's "you should be protected from ...") and recitals otherwise outrank for a learner's wording.
///
/// The cues were written from the ways legality is asked in English, not from the question set's wording; the
/// whole list is below so a reviewer can judge it in one place.
package enum LegalQuestionCues {
    /// Whole words and phrases, matched with ``RuleFile/contains(_:phrase:)`` on the normalised question.
    package static let phrases = [
        "legal", "illegal", "lawful", "unlawful", "allowed", "permitted", "banned", "ban", "prohibited", "forbidden",
        "must", "have to", "has to", "required", "obliged", "fine", "fines", "fined", "penalty", "penalties",
        "can a", "can an", "can the", "can my", "can i", "can we", "can you", "can they", "can someone",
        "can companies", "can company", "can employers", "can employer", "can police", "can government",
        "can governments", "can businesses", "can business",
    ]

    /// Whether `normalised` (``RuleFile/normalise(_:)``) contains a cue.
    package static func matches(_ normalised: String) -> Bool {
        phrases.contains { RuleFile.contains(normalised, phrase: $0) }
    }
}

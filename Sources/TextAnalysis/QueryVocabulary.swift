import Foundation

/// A reviewed learner-to-legal vocabulary: when a question uses an everyday phrase ("banned", "chatbot",
/// "fine"), the legal terms of the texts ("prohibited", "interact directly with natural persons",
/// "administrative fines") are added to its BM25 query. Kept as data (`corpus/ranking/vocabulary.tsv`, each
/// rule with its source), loaded at startup.
public struct QueryVocabulary: Sendable, Hashable {
    /// (learner phrase, legal terms) in file order.
    public private(set) var rules: [Rule]

    public struct Rule: Sendable, Hashable {
        public var phrase: String
        public var terms: [String]
    }

    /// An empty vocabulary (no expansion).
    public init() { rules = [] }

    /// The rules of a vocabulary file: `learner phrase<TAB>legal term|legal term...`; a phrase may end in `*`.
    public init(parsing text: String) {
        rules = RuleFile.parse(text).map {
            Rule(phrase: RuleFile.normalise($0.pattern) + ($0.pattern.hasSuffix("*") ? "*" : ""), terms: $0.values)
        }
    }

    /// The legal terms the rules add for `question`, without repeats, in rule order.
    public func terms(for question: String) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for rule in rules(firingOn: question) {
            for term in rule.terms where seen.insert(term).inserted { result.append(term) }
        }
        return result
    }

    /// Words a learner may put between two words of a phrase, which still fires: "delete my data" fires on
    /// "delete my personal data", "count as high-risk" on "count as a high-risk system".
    public static let maxInsertedWords = 2

    /// The rules whose learner phrase occurs in `question`, in file order: its words in order, whole (the last a
    /// prefix when the phrase ends in `*`), at most ``maxInsertedWords`` other words between two of them.
    public func rules(firingOn question: String) -> [Rule] {
        guard !rules.isEmpty else { return [] }
        let text = RuleFile.normalise(question)
        let words = text.split(separator: " ")
        return rules.filter { rule in
            // The exact scan answers one-word rules and phrases said as written; the walk finds words put between.
            RuleFile.contains(text, phrase: rule.phrase) || Self.occurs(rule.phrase, spreadIn: words)
        }
    }

    /// Whether the words of `phrase` (two or more) occur in `words` in order with the allowed gaps.
    static func occurs(_ phrase: String, spreadIn words: [Substring]) -> Bool {
        let prefix = phrase.hasSuffix("*")
        let wanted = (prefix ? phrase.dropLast() : Substring(phrase)).split(separator: " ")
        guard wanted.count >= 2 else { return false }
        func matches(_ word: Substring, _ index: Int) -> Bool {
            prefix && index == wanted.count - 1 ? word.hasPrefix(wanted[index]) : word == wanted[index]
        }
        // Depth-first over the first word's occurrences: phrases are a few words, questions a few dozen.
        func rest(from start: Int, _ index: Int) -> Bool {
            guard index < wanted.count else { return true }
            let end = min(words.count, start + maxInsertedWords + 1)
            return (start..<end).contains { matches(words[$0], index) && rest(from: $0 + 1, index + 1) }
        }
        return words.indices.contains { matches(words[$0], 0) && rest(from: $0 + 1, 1) }
    }

    /// `question` with the added terms appended (the question itself when none apply).
    public func expand(_ question: String) -> String {
        let added = terms(for: question)
        return added.isEmpty ? question : question + " " + added.joined(separator: " ")
    }
}

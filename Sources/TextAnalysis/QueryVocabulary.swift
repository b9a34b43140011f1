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

    /// The rules whose learner phrase occurs in `question`, in file order.
    public func rules(firingOn question: String) -> [Rule] {
        guard !rules.isEmpty else { return [] }
        let text = RuleFile.normalise(question)
        return rules.filter { RuleFile.contains(text, phrase: $0.phrase) }
    }

    /// `question` with the added terms appended (the question itself when none apply).
    public func expand(_ question: String) -> String {
        let added = terms(for: question)
        return added.isEmpty ? question : question + " " + added.joined(separator: " ")
    }
}

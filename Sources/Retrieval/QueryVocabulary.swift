import Foundation

/// Reads the tab-separated rule files of the ranking data (`corpus/ranking/`): one rule per line, `#` starts
/// a comment line, blank lines are skipped.
enum RuleFile {
    /// The rules of `text` as (pattern, values) pairs; the pattern is the first column, the values are the
    /// second column split at `|` (so a rule maps a phrase to several alternatives); later columns are notes
    /// (the rule's source) and ignored.
    static func parse(_ text: String) -> [(pattern: String, values: [String])] {
        var rules: [(pattern: String, values: [String])] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: true).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard columns.count >= 2, !columns[0].isEmpty else { continue }
            let values = columns[1].split(separator: "|").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            if !values.isEmpty { rules.append((columns[0].lowercased(), values)) }
        }
        return rules
    }

    /// Whether `text` (lower-cased, words separated by single spaces) contains `phrase` as whole words; a
    /// phrase ending in `*` matches any word starting with it ("ban*" matches "banned").
    static func contains(_ text: String, phrase: String) -> Bool {
        let prefix = phrase.hasSuffix("*")
        let wanted = prefix ? String(phrase.dropLast()) : phrase
        var searchStart = text.startIndex
        while let range = text.range(of: wanted, range: searchStart..<text.endIndex) {
            let before =
                range.lowerBound == text.startIndex || !isWordCharacter(text[text.index(before: range.lowerBound)])
            let after = range.upperBound == text.endIndex || !isWordCharacter(text[range.upperBound])
            if before && (after || prefix) { return true }
            searchStart = text.index(after: range.lowerBound)
        }
        return false
    }

    static func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber }

    /// `text` lower-cased with every run of characters other than letters, digits, `*`, `'` and `-` made one space.
    static func normalise(_ text: String) -> String {
        let lowered = text.lowercased().replacingOccurrences(of: "’", with: "'")
        var result = ""
        var space = true
        for character in lowered {
            if character.isLetter || character.isNumber || character == "'" || character == "-" {
                result.append(character)
                space = false
            } else if !space {
                result.append(" ")
                space = true
            }
        }
        return result.trimmingCharacters(in: .whitespaces)
    }
}

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

/// Names by which questions refer to the bundled documents ("GDPR", "the OECD", "the NIST playbook"), from
/// `corpus/ranking/documents.tsv`: `name<TAB>document id|document id...`. A document id ending in `*` names
/// every document whose id starts with it.
public struct DocumentNames: Sendable, Equatable {
    public private(set) var rules: [Rule]

    public struct Rule: Sendable, Equatable {
        public var phrase: String
        public var documents: [String]
    }

    /// No names (the prior never applies).
    public init() { rules = [] }

    public init(parsing text: String) {
        rules = RuleFile.parse(text).map { Rule(phrase: RuleFile.normalise($0.pattern), documents: $0.values) }
    }

    /// The document id patterns named in `question`.
    public func documents(namedIn question: String) -> [String] {
        guard !rules.isEmpty else { return [] }
        let text = RuleFile.normalise(question)
        return rules.filter { RuleFile.contains(text, phrase: $0.phrase) }.flatMap(\.documents)
    }

    /// Whether `documentID` is one of `patterns` (exact, or by prefix for a pattern ending in `*`).
    public static func matches(_ documentID: String, _ patterns: [String]) -> Bool {
        patterns.contains { pattern in
            pattern.hasSuffix("*") ? documentID.hasPrefix(pattern.dropLast()) : documentID == pattern
        }
    }
}

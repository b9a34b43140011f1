import Foundation

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

import Foundation

/// Names by which questions refer to the bundled documents ("GDPR", "the OECD", "the NIST playbook"), from
/// `corpus/ranking/documents.tsv`: `name<TAB>document id|document id...<TAB>source`. A document id ending in `*`
/// names every document whose id starts with it. A source column starting with `subject:` marks a name made of
/// words that also say what a question is about ("misuse risk", "bill of rights"): it stays in the BM25 query
/// (``removingNames(from:)``).
public struct DocumentNames: Sendable, Hashable {
    public private(set) var rules: [Rule]

    public struct Rule: Sendable, Hashable {
        public var phrase: String
        public var documents: [String]
        /// Whether the name's words are also a subject of the question, so they stay in its BM25 query.
        public var isSubject = false
    }

    /// No names (the prior never applies).
    public init() { rules = [] }

    public init(parsing text: String) {
        rules = RuleFile.parse(text).map {
            Rule(
                phrase: RuleFile.normalise($0.pattern), documents: $0.values,
                isSubject: $0.note?.hasPrefix(Self.subjectMarker) ?? false)
        }
    }

    /// How the source column of a name that stays in the BM25 query starts.
    public static let subjectMarker = "subject:"

    /// `question` normalised (``RuleFile/normalise(_:)``) without the document names it uses, except subject
    /// names; `question` itself when it names no document or nothing but a name ("What is the OECD?").
    ///
    /// A name says which document to read, and the named-document prior acts on that; left in the BM25 query it
    /// also favours the few passages that spell the name out ("the OECD" is in the Recommendation's closing
    /// "INVITES ... the OECD" paragraph far more than in its principles), which then outrank the passage that
    /// answers.
    public func removingNames(from question: String) -> String {
        let names = rules.filter { !$0.isSubject }
        guard !names.isEmpty else { return question }
        var text = RuleFile.normalise(question)
        var removed = false
        for rule in names {
            while let range = RuleFile.wholeWordRange(of: rule.phrase, in: text) {
                text.replaceSubrange(range, with: " ")
                removed = true
            }
        }
        guard removed else { return question }
        let rest = RuleFile.normalise(text)
        // "What is the OECD?" asks about the name itself: without it nothing would be left to search for.
        let words = rest.split(separator: " ").map(String.init)
        let asksOnlyTheName = words.allSatisfy { Tokenizer.stopwords.contains($0) || Self.questionWords.contains($0) }
        return asksOnlyTheName ? question : rest
    }

    /// Words of a question that say nothing of its subject, beside ``Tokenizer/stopwords``.
    static let questionWords: Set<String> = [
        "what", "who", "whom", "how", "why", "when", "where", "does", "do", "did", "say", "says", "said", "tell",
        "me", "about", "mean", "means", "according", "under", "s", "'s",
    ]

    /// The document id patterns named in `question`. A name whose documents all lie within a broader name's, used
    /// in the same question, is the one meant: "the NIST AI RMF" names the Framework and its Playbook, not every
    /// document "NIST" names, and "the NIST AI RMF playbook" the Playbook alone.
    public func documents(namedIn question: String) -> [String] {
        guard !rules.isEmpty else { return [] }
        let text = RuleFile.normalise(question)
        let fired = rules.filter { RuleFile.contains(text, phrase: $0.phrase) }
        let meant = fired.filter { broad in
            !fired.contains { narrow in narrow != broad && Self.isNarrower(narrow.documents, than: broad.documents) }
        }
        var patterns: [String] = []
        for pattern in meant.flatMap(\.documents) where !patterns.contains(pattern) { patterns.append(pattern) }
        return patterns
    }

    /// Whether every document `narrow` names is one `broad` names, and `broad` names more.
    static func isNarrower(_ narrow: [String], than broad: [String]) -> Bool {
        func within(_ pattern: String, _ other: String) -> Bool {
            guard other.hasSuffix("*") else { return pattern == other }
            return pattern.hasPrefix(other.dropLast())
        }
        let inside = narrow.allSatisfy { pattern in broad.contains { within(pattern, $0) } }
        let wider = broad.contains { pattern in !narrow.contains { within(pattern, $0) } }
        return inside && wider
    }

    /// Whether `documentID` is one of `patterns` (exact, or by prefix for a pattern ending in `*`).
    public static func matches(_ documentID: String, _ patterns: [String]) -> Bool {
        patterns.contains { pattern in
            pattern.hasSuffix("*") ? documentID.hasPrefix(pattern.dropLast()) : documentID == pattern
        }
    }
}

import Foundation

/// A question with the phrases whose presence in a retrieved passage makes it answered.
public struct EvaluationQuestion: Sendable, Equatable {
    public var question: String
    public var expect: [String]
    /// The document that answers it, when the file says so (informational).
    public var document: String?

    public init(question: String, expect: [String], document: String? = nil) {
        self.question = question
        self.expect = expect
        self.document = document
    }

    /// Reads a JSON Lines file, one `{"question", "expect": [phrases]}` per line (other fields ignored).
    ///
    /// - Throws: ``EvaluationError`` `missing_file`, or `bad_line` for a line without a non-empty question
    ///   and at least one non-empty phrase.
    public static func load(_ url: URL) throws -> [EvaluationQuestion] {
        var questions: [EvaluationQuestion] = []
        try BEIRDataset.forEachJSONLine(url) { object, line in
            guard let question = object["question"] as? String,
                !question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                let expect = object["expect"] as? [String], expect.contains(where: { !PhraseMatcher.fold($0).isEmpty })
            else {
                throw EvaluationError(
                    .badLine,
                    "\(url.path) line \(line): expected a string \"question\" and a list \"expect\" of "
                        + "non-empty strings")
            }
            questions.append(
                EvaluationQuestion(question: question, expect: expect, document: object["document"] as? String))
        }
        return questions
    }
}

/// The hit rule of `aigov eval questions`: a passage answers when it contains an expected phrase after NFKC
/// normalisation, case folding and collapsing every whitespace run to one space.
public enum PhraseMatcher {
    /// `text` normalised for matching.
    public static func fold(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.lowercased()
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The 1-based rank of the first of `passages` that contains any of `phrases`, or nil.
    public static func firstHit(passages: [String], phrases: [String]) -> Int? {
        let wanted = phrases.map(fold).filter { !$0.isEmpty }
        for (index, passage) in passages.enumerated() {
            let text = fold(passage)
            if wanted.contains(where: { text.contains($0) }) { return index + 1 }
        }
        return nil
    }
}

/// Hit rates over a question set.
public struct QuestionSummary: Sendable, Equatable {
    public var hitAt1: Double
    public var hitAt5: Double
    /// Mean of `1 / rank` of the first hit within the retrieved passages (0 for a miss).
    public var mrr: Double
    public var questions: Int

    /// Summarises first-hit ranks (nil for a miss), one per question.
    public init(ranks: [Int?]) {
        questions = ranks.count
        let n = Double(max(ranks.count, 1))
        hitAt1 = Double(ranks.filter { $0 == 1 }.count) / n
        hitAt5 = Double(ranks.filter { ($0 ?? .max) <= 5 }.count) / n
        mrr = ranks.compactMap { $0 }.reduce(0.0) { sum, rank in sum + 1 / Double(rank) } / n
    }
}

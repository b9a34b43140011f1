import Foundation

/// A question with the phrases whose presence in a retrieved passage makes it answered.
public struct EvaluationQuestion: Sendable, Equatable {
    public var question: String
    public var expect: [String]
    /// The document that answers it (its id, the corpus file name), when the file says so.
    public var document: String?
    /// The provision of `document` that answers it ("Article 5(1)(f)", "GOVERN 1.2"), when the file says so;
    /// section-level scoring compares it with the retrieved chunks' sections (see ``ProvisionKey``).
    public var provision: String?
    /// The question's id in the file, when given.
    public var id: String?
    /// "tune", "heldout" or "fresh" in the learner set: ranking changes are tuned on the first, kept only when the
    /// second agrees, and reported on all three; the fresh set decides nothing until it takes the held-out
    /// half's place.
    public var split: String?

    public init(
        question: String, expect: [String], document: String? = nil, provision: String? = nil, id: String? = nil,
        split: String? = nil
    ) {
        self.question = question
        self.expect = expect
        self.document = document
        self.provision = provision
        self.id = id
        self.split = split
    }

    /// Reads a JSON Lines file, one `{"question", "expect": [phrases]}` per line, with optional string fields
    /// `id`, `split`, `document` and `provision` (other fields ignored).
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
                EvaluationQuestion(
                    question: question, expect: expect, document: object["document"] as? String,
                    provision: object["provision"] as? String, id: object["id"] as? String,
                    split: object["split"] as? String))
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

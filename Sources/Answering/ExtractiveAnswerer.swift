import Foundation
import Retrieval

/// An answer made of source sentences, without a language model.
public struct ExtractiveAnswer: Sendable, Hashable {
    /// The chosen sentences, each followed by its `[n]`, one paragraph per source; or ``ExtractiveAnswerer/noMatchText``.
    public var text: String
    /// The sources quoted, in order of appearance.
    public var citedSources: [Int]
    /// Whether any sentence matched the question well enough to be quoted.
    public var matched: Bool
}

/// The answer of DESIGN section 7 when no model is configured or the model is down: the sentences of the top
/// passages that share the most terms with the question, each with its citation.
///
/// Terms are the BM25 tokenizer's (lower-cased, accents folded, stopwords dropped, clause identifiers such
/// as `6(1)` and `article 6` kept whole) with question words and modal verbs dropped, and plural, `-ing`,
/// `-ed` and final-`e` endings cut so that "obligations" meets "obligation" and "required" meets "requires".
/// Identifiers weigh double. A sentence qualifies when it covers at least ``minimumCoverage`` of the
/// question's weight with at least two terms (one, for one-term questions).
public struct ExtractiveAnswerer: Sendable, Hashable {
    /// Sentences quoted at most.
    public var maxSentences: Int
    /// Passages looked at, from the top.
    public var maxPassages: Int
    /// Sentences quoted from one passage at most, so the answer draws on several where it can.
    public var maxSentencesPerPassage: Int
    /// The share of the question's term weight a sentence must cover.
    public var minimumCoverage: Double

    public init(
        maxSentences: Int = 3, maxPassages: Int = 3, maxSentencesPerPassage: Int = 2, minimumCoverage: Double = 0.3
    ) {
        self.maxSentences = maxSentences
        self.maxPassages = maxPassages
        self.maxSentencesPerPassage = maxSentencesPerPassage
        self.minimumCoverage = minimumCoverage
    }

    /// What the answer says when no sentence qualifies.
    public static let noMatchText = "The sources do not appear to answer this question."

    /// Words that shape a question but say nothing about its subject; modal verbs are here because legal
    /// text uses "shall" and "may" in nearly every sentence.
    static let questionWords: Set<String> = [
        "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "does", "do", "did", "done",
        "can", "could", "would", "should", "shall", "must", "may", "might", "i", "me", "my", "we", "our", "you",
        "your", "please", "tell", "explain", "describe", "about", "any", "all", "some", "under", "according",
        "regarding", "there", "so", "not", "also", "other", "than",
    ]

    private struct Candidate {
        var passageRank: Int
        var position: Int
        var number: Int
        var sentence: String
        var score: Double
    }

    /// The extractive answer to `question` from `passages` (given best first).
    public func answer(question: String, passages: [Passage]) -> ExtractiveAnswer {
        let weights = Self.weightedTerms(of: question)
        let totalWeight = weights.values.reduce(0, +)
        var candidates: [Candidate] = []
        if totalWeight > 0 {
            for (rank, passage) in passages.prefix(maxPassages).enumerated() {
                for (position, sentence) in SentenceSplitter.sentences(in: passage.text).enumerated() {
                    guard sentence.split(separator: " ").count >= 4 else { continue }
                    let terms = Self.terms(of: sentence)
                    let shared = weights.keys.filter(terms.contains)
                    let coverage = shared.reduce(0) { $0 + weights[$1]! } / totalWeight
                    guard shared.count >= min(2, weights.count), coverage >= minimumCoverage else { continue }
                    // Earlier passages ranked higher in retrieval: a small preference breaks near-ties.
                    let score = coverage * (1 - 0.05 * Double(rank))
                    candidates.append(
                        Candidate(
                            passageRank: rank, position: position, number: passage.number, sentence: sentence,
                            score: score))
                }
            }
        }
        candidates.sort { ($0.score, -$0.passageRank, -$0.position) > ($1.score, -$1.passageRank, -$1.position) }
        var chosen: [Candidate] = []
        var perPassage: [Int: Int] = [:]
        for candidate in candidates where chosen.count < maxSentences {
            guard perPassage[candidate.passageRank, default: 0] < maxSentencesPerPassage else { continue }
            perPassage[candidate.passageRank, default: 0] += 1
            chosen.append(candidate)
        }
        guard !chosen.isEmpty else { return ExtractiveAnswer(text: Self.noMatchText, citedSources: [], matched: false) }
        // Quoted in source order, so sentences of one passage read as they were written.
        chosen.sort { ($0.passageRank, $0.position) < ($1.passageRank, $1.position) }
        var paragraphs: [String] = []
        var cited: [Int] = []
        var previousRank: Int?
        for candidate in chosen {
            let quoted = Self.withoutEnumerator(candidate.sentence) + " [\(candidate.number)]"
            if candidate.passageRank == previousRank {
                paragraphs[paragraphs.count - 1] += " " + quoted
            } else {
                paragraphs.append(quoted)
            }
            previousRank = candidate.passageRank
            if !cited.contains(candidate.number) { cited.append(candidate.number) }
        }
        return ExtractiveAnswer(text: paragraphs.joined(separator: "\n\n"), citedSources: cited, matched: true)
    }

    /// A list enumerator opening a sentence ("1. ", "(2) ", "(a) "), which means nothing once quoted alone.
    private static let enumerator = try! NSRegularExpression(pattern: #"^(?:\d{1,3}\.|\(\d{1,3}\)|\([a-z]{1,4}\))\s+"#)

    static func withoutEnumerator(_ sentence: String) -> String {
        let range = NSRange(sentence.startIndex..., in: sentence)
        guard let match = enumerator.firstMatch(in: sentence, range: range), let cut = Range(match.range, in: sentence),
            cut.upperBound < sentence.endIndex
        else { return sentence }
        let rest = sentence[cut.upperBound...]
        return rest.prefix(1).uppercased() + rest.dropFirst()
    }

    /// The question's terms with their weights: 2 for identifiers (with a digit or a space), else 1.
    static func weightedTerms(of question: String) -> [String: Double] {
        var weights: [String: Double] = [:]
        for term in Set(Tokenizer(stemming: false).tokens(question).filter { !questionWords.contains($0) }.map(stem)) {
            weights[term] = term.contains(where: { $0.isNumber || $0 == " " }) ? 2 : 1
        }
        return weights
    }

    /// The stemmed BM25 terms of `text` (BM25's tokens as written, then this type's own lighter stemmer).
    static func terms(of text: String) -> Set<String> {
        Set(Tokenizer(stemming: false).tokens(text).map(stem))
    }

    /// A light English stemmer for plain lower-case words; identifiers pass unchanged.
    static func stem(_ word: String) -> String {
        guard word.count > 3, word.allSatisfy({ $0.isLetter }) else { return word }
        var stem = word
        if stem.hasSuffix("ies") && stem.count > 4 {
            stem = String(stem.dropLast(3)) + "y"
        } else if stem.hasSuffix("sses") {
            stem = String(stem.dropLast(2))
        } else if stem.hasSuffix("s") && !stem.hasSuffix("ss") && !stem.hasSuffix("us") && !stem.hasSuffix("is") {
            stem = String(stem.dropLast())
        }
        for suffix in ["ing", "ed"] where stem.hasSuffix(suffix) && stem.count - suffix.count >= 4 {
            stem = String(stem.dropLast(suffix.count))
            break
        }
        if stem.hasSuffix("e") && stem.count > 4 { stem = String(stem.dropLast()) }
        return stem
    }
}

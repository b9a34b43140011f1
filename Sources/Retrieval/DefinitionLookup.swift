import Foundation
import TextAnalysis

/// The definitions lookup of hybrid search: a question asking what a term is ("What counts as personal
/// data?", "How does the regulation define an AI system?") is answered by the definitions article that says
/// "'personal data' means ..." (AI Act Article 3, GDPR Article 4), which similarity alone ranks below the many
/// passages that merely use the term. The passages holding the quoted definition are put first.
package struct DefinitionLookup {
    /// The terms the question asks to define, with their vocabulary alternatives ("deepfake", "deep fake").
    package let terms: [String]

    package init(question: String?, vocabulary: QueryVocabulary) {
        guard let question else {
            terms = []
            return
        }
        let text = RuleFile.normalise(question)
        var found: [String] = []
        let matches = Self.patterns.withPatterns { patterns in
            patterns.compactMap { text.firstMatch(of: $0).map { String($0.1) } }
        }
        for match in matches {
            var term = match
            for stop in Self.trailers {
                if let range = term.range(of: stop) { term = String(term[..<range.lowerBound]) }
            }
            // A learner may quote the term ("what is a 'dual-use foundation model'").
            term = term.trimmingCharacters(in: CharacterSet(charactersIn: " '"))
            let words = term.split(separator: " ")
            guard (1...5).contains(words.count) else { continue }
            found.append(term)
            found += vocabulary.terms(for: term).map { $0.lowercased() }
            break
        }
        terms = found
    }

    /// The ways a question asks for a definition, the term captured.
    static let patterns = RegexPool<(Substring, Substring)> {
        [
            #/^what (?:exactly )?(?:is|are) (?:a |an |the )?(.+)$/#,
            #/\bcounts? as (?:a |an |the )?(.+)$/#,
            #/\bdefines? (?:a |an |the )?(.+)$/#,
            #/\bdefinition of (?:a |an |the )?(.+)$/#,
            #/^what does (?:a |an |the )?(.+) mean\b/#,
        ]
    }

    /// Words after which the term has ended ("a deepfake according to the EU AI law").
    static let trailers = [" according to", " under ", " in the ", " in ", " by ", " for ", " with "]

    package var isActive: Bool { !terms.isEmpty }

    /// Whether a passage's text defines one of the terms: the term in quotes followed by "means".
    package func defines(_ text: String) -> Bool {
        // Most passages define nothing: the folding below is for the few that say "means".
        let lower = text.lowercased()
        guard lower.contains("means") else { return false }
        let folded = lower.replacingOccurrences(of: "’", with: "'").replacingOccurrences(
            of: "‘", with: "'"
        ).replacingOccurrences(of: "“", with: "'").replacingOccurrences(of: "”", with: "'")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return terms.contains { folded.contains("'\($0)' means") }
    }
}

import Foundation
import TextAnalysis

/// The definitions lookup of hybrid search: a question asking what a term is ("What counts as personal
/// data?", "How does the regulation define an AI system?") is answered by the definitions article that says
/// "'personal data' means ..." (AI Act Article 3, GDPR Article 4), or by a glossary entry (NIST SP 1270, NIST AI
/// 800-1), which similarity alone ranks below the many passages that merely use the term. The passages holding
/// the definition are put first.
package struct DefinitionLookup {
    /// The terms the question asks to define, with their vocabulary alternatives ("deepfake", "deep fake").
    package let terms: [String]

    package init(question: String?, vocabulary: QueryVocabulary) {
        guard let question else {
            terms = []
            return
        }
        let text = RuleFile.normalise(question)
        // Each of `patterns` needs one of these; most questions have none, and the regular expressions cost more
        // than the rest of the question's analysis.
        guard
            text.hasPrefix("what ") || text.hasPrefix("who ") || ByteSearch.contains(text, "count")
                || ByteSearch.contains(text, "defin")
        else {
            terms = []
            return
        }
        var found: [String] = []
        let matches = Self.patterns.withPatterns { patterns in
            patterns.compactMap { text.firstMatch(of: $0).map { String($0.1) } }
        }
        for match in matches {
            var term = match
            for stop in Self.trailers {
                if let range = term.range(of: stop) { term = String(term[..<range.lowerBound]) }
            }
            // A learner may quote the term ("what is a 'dual-use foundation model'"); the quotes then end it ("who is
            // the 'provider' of an AI system").
            if term.first == "'", let close = term.dropFirst().firstIndex(of: "'") {
                term = String(term[term.index(after: term.startIndex)..<close])
            }
            term = term.trimmingCharacters(in: CharacterSet(charactersIn: " '"))
            let words = term.split(separator: " ")
            guard (1...5).contains(words.count) else { continue }
            found.append(term)
            found += vocabulary.terms(for: term).map { $0.lowercased() }
            break
        }
        terms = found
    }

    /// The ways a question asks for a definition, the term captured; the first that matches names it.
    static let patterns = RegexPool<(Substring, Substring)> {
        [
            // First: "What does the law mean by an 'AI system'?" is not about "the law", nor "What is meant by
            // profiling?" about "meant".
            #/\bmeant? by (?:a |an |the )?(.+)$/#,
            #/^what (?:exactly )?(?:is|are) (?:a |an |the )?(.+)$/#,
            // "Who is the 'provider' of an AI system?": a person the text defines.
            #/^who (?:exactly )?(?:is|are) (?:a |an |the )?(.+)$/#,
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
        Self.definitionText(text).map(defines(definitionText:)) ?? false
    }

    /// Whether a passage whose ``definitionText(_:)`` is `folded` defines one of the terms: the quoted term, then
    /// "means" after at most four plain words, which qualify the term ("'consent' of the data subject means",
    /// GDPR Article 4(11), the corpus's one definition written so; "'personal data' means" has none).
    package func defines(definitionText folded: String) -> Bool {
        terms.contains { term in
            let quoted = "'\(term)' "
            var from = folded.startIndex
            while let range = ByteSearch.range(of: quoted, in: folded, from: from) {
                let following = folded[range.upperBound...].split(separator: " ", maxSplits: 5).prefix(5)
                if let means = following.firstIndex(of: "means"),
                    following[..<means].allSatisfy({ $0.allSatisfy(\.isLetter) })
                {
                    return true
                }
                from = range.upperBound
            }
            return false
        }
    }

    /// Whether a glossary passage (its section's label says "Glossary") has an entry for one of the terms: a line
    /// that is the term, or the term and then the definition's capitalised first word. NIST's glossaries define a
    /// term by its entry ("automation complacency When humans over-rely on automated systems ..."), never by
    /// "means", so the quoted-term rule alone never found them; the capital keeps "automation" from taking the
    /// entry of "automation complacency". A definitions section (its label says "Definitions") may write its
    /// entries as "Term: text" (the OECD Recommendation's "AI system: An AI system is ..."); such a line counts in
    /// a glossary too.
    package func glossaryDefines(section: String?, text: String) -> Bool {
        guard let section = section?.lowercased() else { return false }
        let glossary = ByteSearch.contains(section, "glossary")
        guard glossary || ByteSearch.contains(section, "definition") else { return false }
        for line in text.split(separator: "\n") {
            let entry = line.trimmingCharacters(in: .whitespaces)
            let folded = entry.lowercased()
            // Lower-casing keeps the length of the ASCII text entries are written in; other lines are skipped.
            guard folded.utf8.count == entry.utf8.count else { continue }
            for term in terms where folded.hasPrefix(term) {
                let rest = entry.utf8.dropFirst(term.utf8.count)
                if rest.starts(with: ": ".utf8) { return true }
                guard glossary else { continue }
                guard let first = rest.first else { return true }
                if first == UInt8(ascii: " "), let next = rest.dropFirst().first, next >= 0x41, next <= 0x5A {
                    return true
                }
            }
        }
        return false
    }

    /// A passage's text as the lookup compares it (lower-cased, every quotation mark made `'`, one space between
    /// words), or nil when it says no "means" and so defines nothing. ``IndexState`` keeps it per passage:
    /// folding the thirty candidates of each term at every question was a quarter of a search's time.
    package static func definitionText(_ text: String) -> String? {
        let lower = text.lowercased()
        guard ByteSearch.contains(lower, "means") else { return nil }
        var folded = ""
        folded.reserveCapacity(lower.utf8.count)
        var pendingSpace = false
        for scalar in lower.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !folded.isEmpty
                continue
            }
            if pendingSpace {
                folded.unicodeScalars.append(" ")
                pendingSpace = false
            }
            switch scalar {
            case "\u{2019}", "\u{2018}", "\u{201C}", "\u{201D}": folded.unicodeScalars.append("'")
            default: folded.unicodeScalars.append(scalar)
            }
        }
        return folded
    }
}

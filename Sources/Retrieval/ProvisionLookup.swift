import Foundation
import TextAnalysis

/// The provision lookup of hybrid search: a question that names a provision ("What does Article 50
/// require?", "What does GOVERN 1.1 ask organisations to do?", "Which systems are in Annex III?", NIST AI
/// 800-1's "What is Practice 3.3?") is answered by that provision's own text, which similarity may rank below
/// passages that only cite it ("non-compliance with Article 50"). The provision's passages are put first.
package struct ProvisionLookup {
    /// The named provisions as section labels, lower-cased: "article 50", "annex iii", "govern 1.1".
    package let labels: [String]

    package init(question: String?) {
        guard let question else {
            labels = []
            return
        }
        let text = question.lowercased()
        // Every pattern needs one of these words, and all but Annex's a digit: most questions name no provision,
        // and the regular expressions cost more than the rest of the question's analysis.
        let hasDigit = text.utf8.contains { $0 >= 0x30 && $0 <= 0x39 }
        let named = hasDigit && Self.keywords.contains { ByteSearch.contains(text, $0) }
        guard named || ByteSearch.contains(text, "annex") else {
            labels = []
            return
        }
        var found: [String] = []
        Self.patterns.withPatterns { patterns in
            for pattern in patterns {
                for match in text.matches(of: pattern) {
                    let label = match.1.lowercased() + " " + match.2.lowercased()
                    if !found.contains(label) { found.append(label) }
                }
            }
        }
        labels = found
    }

    /// The words before a numbered provision in ``patterns``.
    static let keywords = ["article", "recital", "govern", "map", "measure", "manage", "practice"]

    /// The ways a question names a provision. A number followed by a letter or digit ("Article 5a" aside) or by
    /// ".digit" is a different label, hence the look-aheads.
    static let patterns = RegexPool<(Substring, Substring, Substring)> {
        [
            #/\b(article|recital) (\d{1,3})(?![\d.]\d|[a-z])/#,
            #/\b(annex) ([ivxlc]{1,6})(?![a-z])/#,
            #/\b(govern|map|measure|manage|practice) (\d{1,2}\.\d{1,2})(?![\d.]\d)/#,
        ]
    }

    package var isActive: Bool { !labels.isEmpty }

    /// Whether a passage's section label is within one of the named provisions: equal to it, or a part of it
    /// ("Article 50(2)" is within "article 50", "Annex III, point 4" within "annex iii"). Annex points stay
    /// whole in ``ProvisionLabel/provision(of:)``, where each is a provision of its own (point 4 is employment,
    /// point 5 essential services), so the comma is handled here.
    package func covers(section: String) -> Bool {
        let provision = ProvisionLabel.provision(of: section).lowercased()
        return labels.contains { label in
            provision == label || (provision.hasPrefix(label) && provision.dropFirst(label.count).hasPrefix(","))
        }
    }
}

import Foundation

/// Whether an answer names the paragraph a question's provision is in: what `aigov eval answers` reports as
/// `labelled`.
///
/// Only provisions given to the paragraph of an article ("Article 26(7)", "Article 5(1)(f)") are judged: the
/// extractive answer says a quote's provision before it ("Article 26(7): Before putting into service ..."), and a
/// chunk of several paragraphs once made it say "Article 26" for every one of them, which names the article but
/// not the rule. A point below the paragraph ("(f)") is not asked for: the answer quotes a list under its lead-in's
/// paragraph. Other provisions (recitals, annex points, NIST subcategories, sections of orders) are labelled as
/// the chunker labels their chunks, which section-level nDCG@10 already measures.
public enum ParagraphCitation {
    private static let articleParagraph = try! NSRegularExpression(pattern: #"^Article \d{1,3}[a-z]?\(\d{1,3}\)"#)

    /// The paragraph label an answer to `provision` should carry ("Article 5(1)" for "Article 5(1)(f)"); nil when
    /// the provision is not given to the paragraph of an article.
    public static func paragraph(of provision: String) -> String? {
        let trimmed = provision.trimmingCharacters(in: .whitespaces)
        let range = NSRange(trimmed.startIndex..., in: trimmed)
        guard let match = articleParagraph.firstMatch(in: trimmed, range: range),
            let found = Range(match.range, in: trimmed)
        else { return nil }
        return String(trimmed[found])
    }

    /// Whether `answer` quotes something under `provision`'s paragraph label ("Article 26(7): "); nil when the
    /// provision is not judged (see ``paragraph(of:)``).
    public static func names(_ provision: String, in answer: String) -> Bool? {
        guard let label = paragraph(of: provision) else { return nil }
        return answer.contains(label + ": ")
    }
}

import Foundation

/// Recognises the entries of a bibliography or of footnotes, which the extractive answer never quotes.
///
/// The NIST reports end in hundreds of references, and their footnotes are laid out inside the pages, so a
/// retrieved passage often holds some: "28 O'Brien, J. et al., Deployment Corrections: ...", "S. Levin, “New AI
/// can guess whether you're gay or straight from a photograph,” The Guardian, Sept.", "New York Times.
/// https://www.nytimes.com/...". They share a question's words by naming the works the report cites, and
/// quoted as an answer they read as a claim of the source when they are only its reading list.
enum ReferenceEntries {
    /// Whether `statement` is (or holds) a reference entry: a web, DOI or arXiv address, "et al.", a
    /// volume-and-pages citation (or a journal's volume, article or pages and year closing it), a numbered entry
    /// ("[12] ..."), or an author's initials and name before a comma ("S. Levin,", "Buolamwini, J.") opening the
    /// statement.
    static func isReference(_ statement: String) -> Bool {
        let lower = statement.lowercased()
        for marker in Self.markers where lower.contains(marker) { return true }
        if lower.contains(" vol. ") && lower.contains(" pp.") { return true }
        let range = NSRange(statement.startIndex..., in: statement)
        return openingCitation.firstMatch(in: statement, range: range) != nil
            || journalCitation.firstMatch(in: statement, range: range) != nil
    }

    /// How an entry citing a journal ends: its name's last word and volume (a year is no volume), then an
    /// article number or a page range, then the year ("npj Digital Medicine 4, Article 31 (2021).", "Minds &
    /// Machines 30, 411–437 (2020).").
    private static let journalCitation = try! NSRegularExpression(
        pattern: #"\p{L}\s\d{1,3}(?:\s?\(\d{1,3}\))?,\s(?:Article\s\d{1,5}|\d{1,5}[–-]\d{1,5})\s\((?:19|20)\d{2}\)\.?$"#
    )

    /// Strings only a citation holds: addresses and "et al.".
    static let markers = ["http://", "https://", "www.", "doi.org", "doi:", "arxiv:", " et al."]

    /// The ways a reference entry opens: "[12] ", "S. Levin, ", "J. A. Smith and ", "Buolamwini, J.". Initials
    /// are each followed by a space, so "U.S. Government, ..." is a sentence, not an author.
    private static let openingCitation = try! NSRegularExpression(
        pattern: #"^(?:\[\d{1,4}\]\s|(?:[A-Z]\.\s){1,3}[A-Z][\p{L}'’-]+(?:,|\sand\s)|[A-Z][\p{L}'’-]+,\s[A-Z]\.)"#)

    private static let bracketedReference = try! NSRegularExpression(
        pattern: #"\s?\[\d{1,4}(?:\s?[–,-]\s?\d{1,4})*\]"#)

    /// `text` without the bracketed reference numbers of its source ("[79]", "[80–90]", "[12, 13]").
    static func withoutBracketedReferences(_ text: String) -> String {
        let range = NSRange(text.startIndex..., in: text)
        return bracketedReference.stringByReplacingMatches(in: text, range: range, withTemplate: "")
    }
}

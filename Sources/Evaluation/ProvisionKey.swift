import Foundation

/// A provision reference reduced to what section-level scoring compares: the kind of unit and its number.
///
/// Question files name provisions finely ("Article 5(1)(f)", "Annex III point 4(a)", "Section 4.2(b)(i)",
/// "GOVERN 1.2") while chunk sections are as fine as the chunker got ("Article 5(1)", "Annex III, point 4",
/// "Sec. 4", "4.2 Title", "GOVERN 1.2"). Both sides are normalised to one of:
///
/// - `article N`, `recital N`: paragraphs and points in parentheses are dropped, so "Article 5(1)(f)" and
///   "Article 5(3)" both reduce to `article 5`;
/// - `annex R` with its first point number when given ("Annex III point 4(a)" and "Annex III, point 4" give
///   `annex iii` point 4): the points of an annex are separate provisions (Annex III's eight high-risk areas);
/// - `function ID` for NIST AI RMF subcategories ("GOVERN 1.2", "MEASURE 2.11");
/// - `section D` for a dotted number, from "Section 4.2(b)(i)", "Sec. 4", a numbered heading "4.2 Title" or the
///   OECD's "Principle 1.3" and "Recommendation 2.4" (sections 1.3 and 2.4 of its text);
/// - `title T` for anything else: the text folded (case, whitespace), parentheses and leading numbers removed.
///
/// ``matches(_:)`` decides whether a chunk's section answers a question's provision.
public struct ProvisionKey: Sendable, Equatable {
    /// The kind of unit.
    public enum Kind: String, Sendable {
        case article, recital, annex, function, section, title
    }

    public var kind: Kind
    /// The unit's number (`5`, `iii`, `govern 1.2`, `4.2`) or folded title.
    public var value: String
    /// An annex's point number, when named.
    public var point: String?

    public init(kind: Kind, value: String, point: String? = nil) {
        self.kind = kind
        self.value = value
        self.point = point
    }

    /// The key of a provision or section label; nil for an empty one.
    public init?(_ label: String) {
        let text = PhraseMatcher.fold(label).replacingOccurrences(of: "’", with: "'")
        guard !text.isEmpty else { return nil }
        if let match = text.firstMatch(of: #/^(?:article|art\.)\s*(\d+[a-z]?)/#) {
            self.init(kind: .article, value: String(match.1))
        } else if let match = text.firstMatch(of: #/^recital\s*(\d+)/#) {
            self.init(kind: .recital, value: String(match.1))
        } else if let match = text.firstMatch(of: #/^annex\s+([ivxlc]+)\b(?:,?\s*(?:point|section)\s*(\d+))?/#) {
            self.init(kind: .annex, value: String(match.1), point: match.2.map(String.init))
        } else if let match = text.firstMatch(of: #/^(govern|map|measure|manage)\s+(\d+\.\d+)/#) {
            self.init(kind: .function, value: "\(match.1) \(match.2)")
        } else if let match = text.firstMatch(of: #/^(?:section|sec\.|principle|recommendation)\s*(\d+(?:\.\d+)*)/#) {
            self.init(kind: .section, value: String(match.1))
        } else if let match = text.firstMatch(of: #/^(\d+(?:\.\d+)*)\.?\s+\D/#) {
            self.init(kind: .section, value: String(match.1))
        } else {
            let title = text.replacing(#/\([^)]*\)/#, with: "").split(separator: " ").joined(separator: " ")
            guard !title.isEmpty else { return nil }
            self.init(kind: .title, value: title)
        }
    }

    /// Whether a chunk whose section has this key answers a question about `provision`.
    ///
    /// Articles, recitals and NIST subcategories match on equal numbers; annexes on equal numerals and, when
    /// both name one, equal points; dotted sections when one number is a prefix of the other by whole
    /// components (a chunk labelled "Sec. 5" holds section 5.1 when the chunker found no finer heading, and
    /// "2.2" never matches "2.3" or "2.20"); titles when one contains the other.
    public func matches(_ provision: ProvisionKey) -> Bool {
        guard kind == provision.kind else { return false }
        switch kind {
        case .article, .recital, .function:
            return value == provision.value
        case .annex:
            guard value == provision.value else { return false }
            guard let point, let other = provision.point else { return true }
            return point == other
        case .section:
            let mine = value.split(separator: ".")
            let theirs = provision.value.split(separator: ".")
            let common = min(mine.count, theirs.count)
            return mine.prefix(common) == theirs.prefix(common)
        case .title:
            return value.contains(provision.value) || provision.value.contains(value)
        }
    }
}

import Foundation

/// The check made on every answer before it is returned (ARCHITECTURE.md section 7): citation markers that name no
/// source are removed, the cited sources are listed, and every sentence that states something without a
/// valid `[n]` marker of its own is listed as unsupported. The answer is `grounded` when there is none.
///
/// Per sentence, not per paragraph: one marker at the end of a paragraph says nothing about the claims
/// before it, and a reader checking the answer needs to know which sentence to distrust. A sentence counts
/// as supported only by a marker inside it (a marker standing alone after its period, "... high-risk. [2]",
/// belongs to the sentence before it). A heading-like fragment (a line with no sentence-ending punctuation
/// of at most ``headingWords`` words, or a lead-in ending with a colon) states nothing and needs no marker;
/// each item of a list is a sentence of its own.
public struct GroundingCheck: Sendable, Hashable {
    /// The answer with invalid markers removed.
    public var text: String
    /// The valid source numbers cited, in order of first appearance.
    public var citedSources: [Int]
    /// The sentences (whitespace folded) that make a statement without citing a valid source, in order.
    public var unsupportedSentences: [String]
    /// There is at least one sentence and every one is supported (or heading-like).
    public var grounded: Bool

    /// Fragments without final punctuation up to this many words count as headings.
    public static let headingWords = 8

    /// Checks `text` against sources numbered `1...sourceCount`.
    public init(text: String, sourceCount: Int) {
        let cleaned = CitationMarkers.removingInvalid(from: text, sourceCount: sourceCount)
        self.text = cleaned
        self.citedSources = CitationMarkers.cited(in: cleaned, sourceCount: sourceCount)
        // A removed marker leaves "fines . The Office", and a period after a space ends no sentence for the
        // splitter: the space goes, so the claim that lost its only marker stands alone (and streamed text
        // comes here already cleaned, so splitting the raw text instead would not do).
        let sentences = Self.sentences(
            of: cleaned.replacingOccurrences(of: #"(?<=\S)[ \t]+\.(?=\s|$)"#, with: ".", options: .regularExpression))
        self.unsupportedSentences = sentences.filter { sentence in
            CitationMarkers.cited(in: sentence, sourceCount: sourceCount).isEmpty && !Self.isHeadingLike(sentence)
        }
        self.grounded =
            !sentences.isEmpty && unsupportedSentences.isEmpty
            && !CitationMarkers.cited(in: cleaned, sourceCount: sourceCount).isEmpty
    }

    /// The sentences of `text`: each paragraph's list items and lines that look like headings apart, then
    /// ``SentenceSplitter`` on the rest, with a marker-only piece joined to the sentence before it.
    static func sentences(of text: String) -> [String] {
        var result: [String] = []
        for paragraph in paragraphs(of: text) {
            for unit in units(of: paragraph) {
                var pieces: [String] = []
                for sentence in SentenceSplitter.sentences(in: unit) {
                    // "... high-risk. [2] Providers must ...": the splitter starts a sentence at the bracket,
                    // but the marker cites the sentence before it (in the same line or list item).
                    let (markers, rest) = leadingMarkers(of: sentence)
                    if !markers.isEmpty, let last = pieces.popLast() {
                        pieces.append(last + " " + markers)
                        if !rest.isEmpty { pieces.append(rest) }
                    } else {
                        pieces.append(sentence)
                    }
                }
                result += pieces
            }
        }
        return result
    }

    /// A paragraph's lines grouped into units: a list item or a Markdown heading starts a unit of its own,
    /// other lines continue the one before (PDF-style wrapping).
    private static func units(of paragraph: String) -> [String] {
        var units: [String] = []
        for line in paragraph.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            if units.isEmpty || startsItem(trimmed) || trimmed.hasPrefix("#") || isHeadingLike(units[units.count - 1]) {
                units.append(trimmed)
            } else {
                units[units.count - 1] += " " + trimmed
            }
        }
        return units
    }

    /// `- x`, `* x`, `• x`, `1. x`, `2) x`, `(a) x`, `a) x`.
    private static func startsItem(_ line: String) -> Bool {
        if let first = line.first, "-*•–".contains(first), line.dropFirst().first == " " { return true }
        let token = line.prefix { $0 != " " }
        guard token.count < line.count, token.count <= 6 else { return false }
        let bare = token.trimmingCharacters(in: CharacterSet(charactersIn: "()."))
        let closed = token.hasSuffix(".") || token.hasSuffix(")")
        return closed && !bare.isEmpty
            && (bare.allSatisfy(\.isNumber) || (bare.count <= 4 && bare.allSatisfy { "ivxlc".contains($0) })
                || (bare.count == 1 && bare.allSatisfy(\.isLetter)))
    }

    /// The `[n]` markers (and the spaces and full stops between them) that open `sentence`, and what follows.
    private static func leadingMarkers(of sentence: String) -> (markers: String, rest: String) {
        var index = sentence.startIndex
        var end = index
        while index < sentence.endIndex, sentence[index] == "[" {
            guard let close = sentence[index...].firstIndex(of: "]"),
                sentence[sentence.index(after: index)..<close].allSatisfy({ $0.isNumber || $0 == "," || $0 == " " })
            else { break }
            index = sentence.index(after: close)
            while index < sentence.endIndex, sentence[index] == " " || sentence[index] == "." {
                index = sentence.index(after: index)
            }
            end = index
        }
        let markers = sentence[..<end].trimmingCharacters(in: .whitespaces)
        return (markers, sentence[end...].trimmingCharacters(in: .whitespaces))
    }

    /// A heading, a label or a lead-in: states nothing a source must back.
    /// A list item states something even when it is short and has no full stop, unless it is a lead-in.
    static func isHeadingLike(_ sentence: String) -> Bool {
        var body = sentence.trimmingCharacters(in: .whitespaces)
        if body.hasPrefix("#") { return true }
        while body.hasPrefix("**") || body.hasPrefix("__") { body.removeFirst(2) }
        while let last = body.last, "*_ ".contains(last) { body.removeLast() }
        if body.isEmpty || body.hasSuffix(":") { return true }
        if startsItem(body) { return false }
        guard let last = body.last, !".!?;".contains(last) else { return false }
        return body.split(separator: " ").count <= headingWords
    }

    /// The paragraphs of `text`: runs of lines that are not blank, joined by `\n`.
    public static func paragraphs(of text: String) -> [String] {
        var paragraphs: [String] = []
        var current: [Substring] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")) }
        return paragraphs
    }
}

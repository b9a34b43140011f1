import Foundation

/// One quotable piece of a passage for the extractive answer.
struct ProvisionStatement: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// An ordinary sentence.
        case sentence
        /// A sentence ending in a colon that introduces an enumeration ("The following AI practices shall be
        /// prohibited:"): on its own it promises the answer without giving it.
        case leadIn
        /// One point of an enumeration ("(a) the placing on the market ...;").
        case point
    }

    var text: String
    var kind: Kind
    /// The NIST AI RMF subcategory whose label stands on its own line just before the statement ("GOVERN 1.2:",
    /// the Playbook's "GOVERN 1.4"): a label is no statement, but it says what the statements after it are.
    var opensUnder: String? = nil
}

/// Cuts a retrieved passage into statements the extractive answer may quote, so that what it quotes is a
/// whole provision rather than what the chunker's window happened to start or end with:
///
/// - heading lines that open the passage ("CHAPTER II", "PROHIBITED AI PRACTICES", "Article 5",
///   "Prohibited AI practices") are removed: a heading is a label, never an answer;
/// - a first sentence that starts in lower case is the tail of a sentence cut off by the previous chunk, and
///   is dropped (unless it is all the passage has);
/// - a sentence that runs a lead-in into its points ("...shall be prohibited: (a) ...; (b) ...") is cut into
///   the lead-in and one statement per point, so a list can be quoted as lead-in plus points;
/// - a sentence a blank line cut (the AI RMF's table rows: "... are in place", blank, "to determine ...") is
///   joined again;
/// - what follows a "References" or "AI Transparency Resources" heading line is the NIST AI RMF Playbook's
///   reading list, up to the next subcategory, and is left out;
/// - an AI RMF table row that pdftotext split around its category's narrow column is joined again, the
///   category's text before it (``withTableRowsRejoined(_:)``);
/// - the Playbook's part headings ("About", "Suggested Actions", "Transparency & Documentation") end the sentence
///   before them and are left out, where a single line break had glued them onto the sentence after.
enum ProvisionStatements {
    /// The statements of `text`, in order; empty when the passage holds nothing but headings.
    static func statements(of text: String) -> [ProvisionStatement] {
        let body = withoutLeadingHeadings(withTableRowsRejoined(withoutPartHeadings(withoutReadingLists(text))))
        var sentences = SentenceSplitter.sentences(in: body)
        if sentences.count > 1, let first = sentences.first?.first, first.isLowercase || ",;)".contains(first) {
            sentences.removeFirst()
        }
        var result: [ProvisionStatement] = []
        // Whether the piece before this one was kept: a heading dropped in between ends the sentence before.
        var follows = true
        var pendingLabel: String?
        for sentence in sentences {
            for piece in splitEnumeration(sentence) {
                guard !isHeadingLike(piece) else {
                    follows = false
                    if let label = subcategoryLabel(piece) { pendingLabel = label }
                    continue
                }
                // A piece starting in lower case after a clause ended by ";" or "," goes on that clause: the
                // splitter cut a long point at its semicolon ("(d) ... personality traits; this prohibition
                // shall not apply to ..."), and quoted alone the tail reads as a fragment. After a statement with
                // no closing punctuation at all, a blank line cut the sentence. After a lead-in's colon it is a
                // point without an enumerator and stays one.
                if follows, let last = result.last, let first = piece.first, first.isLowercase,
                    let end = last.text.last, end == ";" || end == "," || end.isLetter || end.isNumber
                {
                    result[result.count - 1].text += " " + piece
                    result[result.count - 1].kind = kind(of: result[result.count - 1].text)
                    continue
                }
                result.append(ProvisionStatement(text: piece, kind: kind(of: piece), opensUnder: pendingLabel))
                pendingLabel = nil
                follows = true
            }
        }
        // A last statement that stops without closing punctuation was cut by the chunk's window: quoting it
        // would end the answer mid-sentence.
        if result.count > 1, let last = result.last?.text.last, !".;:?!)\"”’".contains(last) {
            result.removeLast()
        }
        return result
    }

    /// `text` without the heading lines at its start. A line counts as a heading when it is short, does not
    /// end like a sentence or clause, and is either a structure label (`Article 5`, `CHAPTER II`, `ANNEX III`),
    /// mostly capitals, or a title-like line followed by one that starts a new sentence or label.
    static func withoutLeadingHeadings(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        while let first = lines.first {
            if first.isEmpty {
                lines.removeFirst()
                continue
            }
            let next = lines.dropFirst().first(where: { !$0.isEmpty })
            guard isHeadingLine(first, next: next) else { break }
            lines.removeFirst()
        }
        return lines.joined(separator: "\n")
    }

    /// Heading lines after which the NIST AI RMF Playbook lists what it cites, never what it says.
    static let readingListHeadings: Set<String> = ["references", "ai transparency resources", "bibliography"]

    /// The NIST AI RMF's four functions, as its subcategory labels ("MEASURE 2.11") and categories ("GOVERN 1") open.
    static let nistFunction = "(?:GOVERN|MAP|MEASURE|MANAGE)"

    /// A NIST AI RMF subcategory's label opening a line ("GOVERN 1.4", "MAP 1.1: ..."), where the Playbook's next
    /// subcategory starts.
    private static let subcategoryLine = try! NSRegularExpression(
        pattern: #"^\#(nistFunction) \d{1,2}\.\d{1,2}(?::|\s|$)"#)
    /// A category's label alone on its line ("GOVERN 1:"), which heads the category's text.
    private static let categoryLine = try! NSRegularExpression(pattern: #"^\#(nistFunction) \d{1,2}$"#)

    /// A table row of the AI RMF's core that does not end its sentence on its line ("GOVERN 1.1: Legal and regulatory
    /// requirements involving AI", "MANAGE 1.1:").
    private static let openRow = try! NSRegularExpression(
        pattern: #"^\#(nistFunction) \d{1,2}\.\d{1,2}:(?:.*[^.;])?$"#)
    /// The widest line of a category's column in the AI RMF's tables, as pdftotext gives it.
    static let columnWidth = 25

    /// `text` with each AI RMF table row that pdftotext split around the category column joined again.
    ///
    /// The core's tables have two columns, a narrow one for the category and a wide one for its subcategories,
    /// and pdftotext reads the category's lines into the middle of the category's first row: the row's first
    /// line, a blank line, three or more lines of at most ``columnWidth`` characters ending a sentence, a blank
    /// line, then the rest of the row ("... involving AI" / "Policies, processes, ..." / "are understood, managed,
    /// and documented."). The row becomes one line (a word the row's line break hyphenated, "communi-" /
    /// "cation", joined whole), and the column's lines one paragraph before it, which the category's own label
    /// ("GOVERN 1:") heads when the chunk has it.
    static func withTableRowsRejoined(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func trimmed(_ index: Int) -> String { lines[index].trimmingCharacters(in: .whitespaces) }
        func skipBlank(from index: Int) -> Int {
            var index = index
            while index < lines.count, trimmed(index).isEmpty { index += 1 }
            return index
        }
        var changed = false
        var index = 0
        while index < lines.count {
            let row = trimmed(index)
            let columnStart = skipBlank(from: index + 1)
            var columnEnd = columnStart
            while columnEnd < lines.count, !trimmed(columnEnd).isEmpty, trimmed(columnEnd).count <= columnWidth {
                columnEnd += 1
            }
            let restStart = skipBlank(from: columnEnd)
            guard matches(openRow, row), columnStart > index + 1, columnEnd - columnStart >= 3,
                trimmed(columnEnd - 1).hasSuffix("."), restStart > columnEnd, restStart < lines.count,
                !matches(subcategoryLine, trimmed(restStart))
            else {
                index += 1
                continue
            }
            var restEnd = restStart
            while restEnd < lines.count, !trimmed(restEnd).isEmpty { restEnd += 1 }
            let column = (columnStart..<columnEnd).map(trimmed).joined(separator: " ")
            let rest = (restStart..<restEnd).map(trimmed).joined(separator: " ")
            let joined = row.hasSuffix("-") ? String(row.dropLast()) + rest : row + " " + rest
            lines.replaceSubrange(index..<restEnd, with: [column, "", joined])
            changed = true
            index += 3
        }
        return changed ? lines.joined(separator: "\n") : text
    }

    /// The subcategory (or category) a label-only piece names ("GOVERN 1.2:" and "GOVERN 1.4" give "GOVERN 1.2",
    /// "GOVERN 1.4"; "GOVERN 1:" gives "GOVERN 1").
    static func subcategoryLabel(_ piece: String) -> String? {
        let trimmed = piece.hasSuffix(":") ? String(piece.dropLast()) : piece
        guard matches(subcategoryLine, trimmed) || matches(categoryLine, trimmed),
            trimmed.split(separator: " ").count == 2
        else { return nil }
        return trimmed
    }

    /// The headings of the parts of each NIST AI RMF Playbook subcategory, each on a line of its own.
    static let partHeadings: Set<String> = [
        "about", "suggested actions", "transparency & documentation", "transparency and documentation",
    ]

    /// `text` with each ``partHeadings`` line blank.
    static func withoutPartHeadings(_ text: String) -> String {
        var changed = false
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            guard partHeadings.contains(line.trimmingCharacters(in: .whitespaces).lowercased()) else { return line }
            changed = true
            return ""
        }
        return changed ? lines.joined(separator: "\n") : text
    }

    /// `text` without the lines from a ``readingListHeadings`` line up to the next subcategory label.
    static func withoutReadingLists(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var kept: [Substring] = []
        var skipping = false
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if readingListHeadings.contains(trimmed.lowercased()) {
                skipping = true
            } else if skipping, matches(subcategoryLine, trimmed) {
                skipping = false
            }
            if !skipping { kept.append(line) }
        }
        return kept.count == lines.count ? text : kept.joined(separator: "\n")
    }

    private static let structureLabel = try! NSRegularExpression(
        pattern: #"^(?:CHAPTER|Chapter|SECTION|Section|TITLE|Title|PART|Part|Article|ANNEX|Annex)\s+[0-9IVXLC]+[a-z]?$"#
    )

    static func isHeadingLine(_ line: String, next: String?) -> Bool {
        guard line.count <= 100, let last = line.last, !".;:,?!".contains(last) else { return false }
        if matches(structureLabel, line) { return true }
        if isMostlyCapitals(line) { return true }
        // A title under a label: starts with a capital, few words, and the next line opens something new.
        guard let first = line.first, first.isUppercase, line.split(separator: " ").count <= 14, let next,
            let nextFirst = next.first
        else { return false }
        return nextFirst.isUppercase || nextFirst.isNumber || nextFirst == "("
    }

    /// Headings set in capitals ("PROHIBITED AI PRACTICES", "THE EUROPEAN PARLIAMENT AND THE COUNCIL").
    static func isMostlyCapitals(_ text: String) -> Bool {
        let letters = text.filter(\.isLetter)
        guard letters.count >= 4 else { return false }
        return Double(letters.filter(\.isUppercase).count) >= 0.8 * Double(letters.count)
    }

    /// A statement that is a label or a running header rather than something said.
    static func isHeadingLike(_ text: String) -> Bool {
        if isMostlyCapitals(text) { return true }
        guard let last = text.last else { return true }
        return !".;:,?!)".contains(last) && text.split(separator: " ").count <= 8
    }

    /// A colon or semicolon (with an optional "and"/"or") followed by a point enumerator: where a lead-in
    /// ends and a point starts, or one point ends and the next starts.
    private static let pointBoundary = try! NSRegularExpression(
        pattern: #"(?<=[:;])\s+(?:(?:and|or)\s+)?(?=\((?:[a-z]{1,4}|\d{1,3})\)\s)"#)

    static func splitEnumeration(_ sentence: String) -> [String] {
        let range = NSRange(sentence.startIndex..., in: sentence)
        var pieces: [String] = []
        var start = sentence.startIndex
        for match in pointBoundary.matches(in: sentence, range: range) {
            guard let cut = Range(match.range, in: sentence) else { continue }
            let piece = sentence[start..<cut.lowerBound].trimmingCharacters(in: .whitespaces)
            if !piece.isEmpty { pieces.append(piece) }
            start = cut.upperBound
        }
        let rest = sentence[start...].trimmingCharacters(in: .whitespaces)
        if !rest.isEmpty { pieces.append(rest) }
        return pieces
    }

    private static let pointStart = try! NSRegularExpression(pattern: #"^\(([a-z]{1,4}|\d{1,3})\)\s"#)

    /// A point's enumerator: the "45" of "(45) ‘law enforcement authority’ means:", the "k" of "(k) The term ...";
    /// nil for a statement that is not a point.
    static func enumerator(of text: String) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = pointStart.firstMatch(in: text, range: range), let found = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[found])
    }

    static func kind(of text: String) -> ProvisionStatement.Kind {
        if matches(pointStart, text) { return .point }
        if text.hasSuffix(":") { return .leadIn }
        return .sentence
    }

    private static func matches(_ expression: NSRegularExpression, _ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

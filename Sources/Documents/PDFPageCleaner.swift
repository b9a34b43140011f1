import Foundation

/// Repairs what PDF text extraction leaves behind: running headers and footers (page numbers, "OJ L,
/// 12.7.2024", "NIST AI 100-1"), footnote blocks at the foot of a page, and words hyphenated at line ends.
enum PDFPageCleaner {
    /// A line of the cleaned document with the 1-based page it came from; "" marks a paragraph break.
    struct Line: Equatable {
        var text: String
        let page: Int
    }

    /// How deep into a page's edges a running header or footer may sit.
    static let edgeDepth = 6

    static func clean(pages rawPages: [String]) -> [Line] {
        let pages = rawPages.map { page in
            page.split(separator: "\n", omittingEmptySubsequences: false).map(TextNormalizer.normalizeLine)
        }
        let recurring = recurringEdgeLines(pages)
        var lines: [Line] = []
        for (index, page) in pages.enumerated() {
            var kept = stripEdges(page, recurring: recurring).filter { !isPageCounter($0, pageCount: pages.count) }
            kept = stripFootnotes(kept)
            lines.append(contentsOf: kept.map { Line(text: $0, page: index + 1) })
            lines.append(Line(text: "", page: index + 1))
        }
        return dehyphenate(lines)
    }

    /// The key of a line for recurrence counting: digits folded, so "53/144" and "54/144" are one header.
    private static func key(_ line: String) -> String {
        String(line.lowercased().map { $0.isNumber ? "#" : $0 })
    }

    private static func isPageNumber(_ line: String) -> Bool {
        line.range(of: #"^(page\s+)?\d{1,4}(\s*(/|of)\s*\d{1,4})?$"#, options: [.regularExpression, .caseInsensitive])
            != nil
    }

    /// "2/144", "Page 3 of 48": a page counter naming the document's page count, which layout can place
    /// anywhere in a page's reading order, not only at its edges.
    private static func isPageCounter(_ line: String, pageCount: Int) -> Bool {
        guard let groups = StructurePatterns.match(pageCounter, line) else { return false }
        return Int(groups[1]) == pageCount
    }

    private static let pageCounter = try! NSRegularExpression(
        pattern: #"^(?:page\s+)?(\d{1,4})\s*(?:/|of)\s*(\d{1,4})$"#, options: .caseInsensitive)

    /// Lines that must never be taken for a running header even if they recur (structure markers).
    private static func isProtected(_ line: String) -> Bool {
        StructurePatterns.isStructural(line)
            || line.range(
                of: #"^\(?[0-9a-zA-Z]{1,4}[.)]$"#,
                options: .regularExpression) != nil
    }

    /// Keys of lines seen near the top or bottom of many pages.
    private static func recurringEdgeLines(_ pages: [[String]]) -> Set<String> {
        guard pages.count >= 4 else { return [] }
        var counts: [String: Int] = [:]
        for page in pages {
            let nonEmpty = page.filter { !$0.isEmpty }
            let edges = nonEmpty.prefix(edgeDepth) + nonEmpty.suffix(edgeDepth)
            var seen = Set<String>()
            for line in edges where line.count <= 100 && !isProtected(line) {
                let lineKey = key(line)
                if lineKey.filter(\.isLetter).count >= 2, seen.insert(lineKey).inserted {
                    counts[lineKey, default: 0] += 1
                }
            }
        }
        let threshold = max(3, pages.count / 4)
        return Set(counts.filter { $0.value >= threshold }.keys)
    }

    /// The page without the running header and footer lines among its first and last few lines. Layout can
    /// put a section number before the header in reading order, so the lines need not be contiguous.
    private static func stripEdges(_ page: [String], recurring: Set<String>) -> [String] {
        let nonEmpty = page.indices.filter { !page[$0].isEmpty }
        let zone = Set(nonEmpty.prefix(edgeDepth) + nonEmpty.suffix(edgeDepth))
        return page.indices.compactMap { index in
            let line = page[index]
            guard zone.contains(index) else { return line }
            let header = isPageNumber(line) || (!isProtected(line) && recurring.contains(key(line)))
            return header ? nil : line
        }
    }

    private static let noteMarker = #"^\(\d{1,3}\)$"#

    /// Drops a footnote block at the foot of a page: a run of lone markers `(1)`, `(2)`, ... followed by the
    /// notes' text. A single marker counts only when its text cites the Official Journal, because a recital
    /// number `(n)` on its own line at a page foot looks the same.
    private static func stripFootnotes(_ page: [String]) -> [String] {
        var index = page.count - 1
        var runEnd: Int?
        var runStart = 0
        // Find the last run of lone markers.
        while index >= 0 {
            if page[index].range(of: noteMarker, options: .regularExpression) != nil {
                if runEnd == nil { runEnd = index }
                runStart = index
            } else if runEnd != nil {
                break
            }
            index -= 1
        }
        guard let end = runEnd else { return page }
        let markers = end - runStart + 1
        let tail = page[(end + 1)...].joined(separator: " ")
        guard !tail.isEmpty else { return page }
        let numbers = page[runStart...end].compactMap { Int($0.dropFirst().dropLast()) }
        let consecutive = zip(numbers, numbers.dropFirst()).allSatisfy { $1 == $0 + 1 }
        guard (markers >= 2 && consecutive) || tail.hasPrefix("OJ "), runStart >= page.count / 3 else { return page }
        return Array(page[..<runStart])
    }

    /// Joins words split at line ends ("decom-" + "missioning"). The hyphen stays when the hyphenated form
    /// occurs elsewhere in the document ("high-" + "risk" -> "high-risk").
    static func dehyphenate(_ input: [Line]) -> [Line] {
        var hyphenated = Set<String>()
        for line in input {
            for word in line.text.split(separator: " ") where word.dropFirst().dropLast().contains("-") {
                hyphenated.insert(word.lowercased().trimmingCharacters(in: .punctuationCharacters))
            }
        }
        var lines = input
        var index = 0
        while index < lines.count {
            let text = lines[index].text
            guard text.count >= 3, text.hasSuffix("-"), !text.hasSuffix("--"),
                text.dropLast().last?.isLetter == true,
                // One blank line may sit between the halves: a page break, or a table cell's layout.
                let next = (index + 1..<min(index + 3, lines.count)).first(where: { !lines[$0].text.isEmpty }),
                let first = lines[next].text.first, first.isLowercase
            else {
                index += 1
                continue
            }
            let nextText = lines[next].text
            let fragmentEnd = nextText.firstIndex(of: " ") ?? nextText.endIndex
            let fragment = nextText[..<fragmentEnd]
            let head = text.split(separator: " ").last.map(String.init) ?? ""
            let candidate = (head + fragment).lowercased().trimmingCharacters(in: .punctuationCharacters)
            let joined = hyphenated.contains(candidate) ? text + fragment : String(text.dropLast()) + fragment
            lines[index].text = joined
            lines[next].text = String(nextText[fragmentEnd...]).trimmingCharacters(in: .whitespaces)
            if lines[next].text.isEmpty { lines.remove(at: next) }
            index += 1
        }
        return lines
    }
}

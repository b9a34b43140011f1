import Foundation

/// The all-caps headings of a text whose structure none of ``StructurePatterns`` finds: the Blueprint for an AI
/// Bill of Rights names its five principles and their parts only in capitals ("SAFE AND EFFECTIVE SYSTEMS" over
/// "WHY THIS PRINCIPLE IS IMPORTANT"), with no numbers, and repeats both at the top of every page of its
/// technical companion. ``StructureParser`` asks for them only when a parse left most of the text without a
/// section, so the documents its patterns do read are never touched.
///
/// A heading is a block of consecutive capital lines (a title wrapped over up to four lines: "HUMAN
/// ALTERNATIVES," / "CONSIDERATION, AND" / "FALLBACK"), split where its last lines are on their own a title
/// found elsewhere ("BLUEPRINT FOR AN AI BILL OF RIGHTS" over "SAFE AND EFFECTIVE SYSTEMS"). A block followed by
/// another one, with only blank lines between, is an outer heading over that one. A title that comes under two or
/// more different outer headings and never over another ("WHY THIS PRINCIPLE IS IMPORTANT") is a part and stays
/// one wherever it stands; every other title is an outer heading.
enum CapsHeadings {
    /// One heading block: its level (1 outer, 2 part) and its title in title case ("Safe and Effective Systems").
    struct Heading: Equatable {
        var level: Int
        var title: String
    }

    /// Layout templates' placeholders left in the text ("SECTION TITLE" over the Blueprint's real headings).
    static let placeholders: Set<String> = ["Section Title"]

    private struct Line {
        var start: Int
        var words: [String]
    }

    /// The headings of `text`, keyed by the offset (in Unicode scalars, as ``StructureParser`` counts) of each
    /// line of each block: the first line maps to the heading, the lines after it to nil (they continue it).
    static func find(in text: String) -> [Int: Heading?] {
        // Runs of capital lines, and whether only blank lines separate each from the run before it.
        var runs: [(lines: [Line], followsRun: Bool)] = []
        var open: [Line] = []
        var blankSinceRun = false
        var offset = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let length = raw.unicodeScalars.count
            defer { offset += length + 1 }
            let line = raw.trimmingCharacters(in: .whitespaces)
            if let words = capitalWords(line) {
                if open.isEmpty { runs.append(([], blankSinceRun)) }
                open.append(Line(start: offset, words: words))
                runs[runs.count - 1].lines = open
                continue
            }
            if !open.isEmpty {
                open = []
                blankSinceRun = line.isEmpty
            } else if !line.isEmpty {
                blankSinceRun = false
            }
        }
        let wholeTitles = Set(runs.map { titleCase($0.lines.flatMap(\.words)) })
        var blocks: [(lines: [Line], title: String, followsBlock: Bool)] = []
        for run in runs {
            var lines = run.lines
            var follows = run.followsRun
            while !lines.isEmpty {
                // The longest head that leaves a tail that is a title on its own elsewhere, else at most four lines.
                var cut = min(lines.count, 4)
                for k in 1..<max(1, lines.count) where wholeTitles.contains(titleCase(lines[k...].flatMap(\.words))) {
                    cut = min(k, 4)
                    break
                }
                let head = Array(lines[..<cut])
                blocks.append((head, titleCase(head.flatMap(\.words)), follows))
                lines.removeFirst(cut)
                follows = true
            }
        }
        // A title that lost a word to the PDF's missing glyphs ("NOTICE" / "EXPLANATION", its "&" gone) takes the
        // fullest form of the same words found elsewhere ("NOTICE AND EXPLANATION").
        var fullest: [String: String] = [:]
        for block in blocks {
            let key = significantWords(block.title)
            if block.title.count > fullest[key]?.count ?? 0 { fullest[key] = block.title }
        }
        for index in blocks.indices { blocks[index].title = fullest[significantWords(blocks[index].title)]! }
        var outerOf: [String: Set<String>] = [:]
        var outers = Set<String>()
        for index in blocks.indices.dropFirst()
        where blocks[index].followsBlock && !placeholders.contains(blocks[index - 1].title) {
            outerOf[blocks[index].title, default: []].insert(blocks[index - 1].title)
            outers.insert(blocks[index - 1].title)
        }
        var headings: [Int: Heading?] = [:]
        for block in blocks {
            guard let first = block.lines.first else { continue }
            for line in block.lines.dropFirst() { headings[line.start] = .some(nil) }
            if placeholders.contains(block.title) {
                headings[first.start] = .some(nil)
                continue
            }
            let part = (outerOf[block.title]?.count ?? 0) >= 2 && !outers.contains(block.title)
            headings[first.start] = Heading(level: part ? 2 : 1, title: block.title)
        }
        return headings
    }

    /// The words of a line set in capitals, or nil for any other line. The line must carry at least four
    /// letters, and no lone letter other than "A": the PDF's lost glyphs leave fragments such as "ROTECT O" and
    /// drop-cap initials ("I", "T") that are not headings.
    static func capitalWords(_ line: String) -> [String]? {
        // A capital line ending in ":" leads into what follows ("WHY THIS PRINCIPLE IS IMPORTANT: This section
        // provides ..." in the companion's own guide): a term, not a heading.
        guard !line.isEmpty, line.unicodeScalars.count <= 60, !line.hasSuffix(":") else { return nil }
        var letters = 0
        for scalar in line.unicodeScalars {
            if scalar.properties.isLowercase { return nil }
            if scalar.properties.isAlphabetic {
                letters += 1
            } else if !" ,&'’-/:()".unicodeScalars.contains(scalar) {
                return nil
            }
        }
        let words = line.split(separator: " ").map(String.init)
        guard letters >= 4, words.first?.first?.isLetter == true else { return nil }
        for word in words where word.filter(\.isLetter).count == 1 && word != "A" && word != "&" { return nil }
        return words
    }

    private static let smallWords: Set<String> = [
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with",
    ]

    /// A title without its small words and punctuation, lower-cased: "notice explanation" for both "Notice and
    /// Explanation" and "Notice Explanation".
    private static func significantWords(_ title: String) -> String {
        title.lowercased().split { !$0.isLetter && !$0.isNumber }.filter { !smallWords.contains(String($0)) }
            .joined(separator: " ")
    }

    /// Two-letter English words, which title case capitalises; any other two-letter word is an acronym ("AI").
    private static let twoLetterWords: Set<String> = [
        "am", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it", "me", "my", "no", "of", "on",
        "or", "so", "to", "up", "us", "we",
    ]

    /// "SAFE AND EFFECTIVE SYSTEMS" -> "Safe and Effective Systems", "AN AI BILL" -> "an AI Bill".
    static func titleCase(_ words: [String]) -> String {
        words.enumerated().map { index, word in
            let lower = word.lowercased()
            let bare = lower.trimmingCharacters(in: .punctuationCharacters)
            if index > 0, smallWords.contains(bare) { return lower }
            if bare.count <= 2, !twoLetterWords.contains(bare) { return word }
            return lower.prefix(1).uppercased() + lower.dropFirst()
        }.joined(separator: " ")
    }
}

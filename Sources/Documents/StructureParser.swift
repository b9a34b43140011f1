import Foundation

/// A structural unit of a document: a recital, an article's heading, one numbered paragraph of an article, an
/// annex point, a NIST subcategory or action, or the text under a heading. Units of one `group` (an article,
/// a recital, a heading's section) may share a chunk; units of different groups never do.
struct StructuralUnit: Equatable {
    var start: Int
    var end: Int
    var group: Int
    /// The unit's own label (`Article 6(1)`).
    var section: String?
    /// The label of the whole group (`Article 6`), used when a chunk spans several units.
    var groupSection: String?
    var headingPath: [String]
    /// Only heading lines so far: a following heading joins this unit instead of leaving it alone.
    var headingOnly: Bool
}

/// Splits a document's lines into structural units. EU-style acts are recognised by their articles; NIST ids,
/// numbered headings, U.S. order sections and loader heading hints apply elsewhere.
struct StructureParser {
    private enum Phase { case preamble, recitals, articles, annexes }
    private enum Expect { case none, chapterTitle, sectionTitle, articleTitle, annexTitle }

    private var units: [StructuralUnit] = []
    private var current: StructuralUnit?
    private var group = 0
    private var phase = Phase.preamble
    private var expect = Expect.none
    private var legal = false
    private var lastRecital = 0
    private var lastArticle = 0
    private var lastParagraph = 0
    private var lastAnnex = 0
    private var article: String?
    /// Outer legal headings: chapter, then section.
    private var chapterHeading: String?
    private var sectionHeading: String?
    /// Markdown/HTML/numbered heading stack: (level, title).
    private var headingStack: [(level: Int, title: String)] = []
    /// A heading number seen alone on its line, waiting for its title on the next one: the number, where its
    /// line starts, and where the open unit ended before it (the unit is cut back there if a title follows).
    private var pendingNumber: (number: String, start: Int, cut: Int?)?
    /// The previous line's value when it was a bare integer: drafts number their lines in the margin
    /// (NIST AI 800-1 ipd), and a run of counting integers is neither a heading number nor a reason to split.
    private var previousInteger: Int?
    /// The objective of the last NIST AI 800-1 practice seen: its objective heading may be laid out after the
    /// practice's first lines, and must not interrupt them.
    private var practiceObjective = 0
    /// How many more times each appendix heading line occurs: a table of contents names appendices without
    /// leader dots, so only the last occurrence opens one.
    private var appendixLinesLeft: [Substring: Int] = [:]
    /// How many times the text has a line that is only "References" or "Bibliography": once, in its second half,
    /// it heads the reference list, which otherwise carried the label of the section before it (NIST SP 1270's
    /// 120 chunks of references were "5 Glossary"); the NIST AI RMF Playbook's 83 per-subcategory "References"
    /// lines belong to their subcategories and open nothing.
    private var backMatterLines = 0
    /// The text's length in scalars: appendices follow the body, so an appendix line in the first half is a
    /// table of contents entry that the body never repeats word for word.
    private var textLength = 0
    /// Lines of three or more words found three or more times: running headers the page cleaner could not
    /// tell apart (a margin number stood before them), never heading titles.
    private var repeatedLines: Set<Substring> = []
    /// The all-caps headings by line offset, when the text has no other structure (``CapsHeadings``); a line
    /// mapped to nil continues the heading above it.
    private var capsHeadings: [Int: CapsHeadings.Heading?] = [:]

    static func parse(_ document: Document) -> [StructuralUnit] {
        let units = parse(document, capsHeadings: [:])
        // Little the patterns know (the Blueprint's only numbered lines are in its garbled endnotes): the text may
        // still set its headings in capitals (CapsHeadings.swift). The most unlabelled of the other bundled
        // documents, the NIST playbook, leaves 18% of its text without a section.
        let unlabelled = units.reduce(0) { $0 + ($1.section == nil ? $1.end - $1.start : 0) }
        let covered = units.reduce(0) { $0 + $1.end - $1.start }
        guard covered > 0, Double(unlabelled) > 0.75 * Double(covered) else { return units }
        let headings = CapsHeadings.find(in: document.text)
        return headings.isEmpty ? units : parse(document, capsHeadings: headings)
    }

    private static func parse(_ document: Document, capsHeadings: [Int: CapsHeadings.Heading?]) -> [StructuralUnit] {
        var parser = StructureParser()
        parser.capsHeadings = capsHeadings
        parser.legal = isLegalText(document.text)
        parser.textLength = document.text.unicodeScalars.count
        if !parser.legal {
            parser.repeatedLines = repeatedLines(document.text)
            for line in document.text.split(separator: "\n") {
                if line.hasPrefix("Appendix ") { parser.appendixLinesLeft[line, default: 0] += 1 }
                if Self.backMatterHeadings.contains(line) { parser.backMatterLines += 1 }
            }
        }
        let hints = Dictionary(document.headings.map { ($0.offset, $0) }, uniquingKeysWith: { first, _ in first })
        var offset = 0
        for rawLine in document.text.split(separator: "\n", omittingEmptySubsequences: false) {
            let length = rawLine.unicodeScalars.count
            if length > 0 { parser.take(String(rawLine), start: offset, end: offset + length, hint: hints[offset]) }
            offset += length + 1
        }
        parser.close()
        return parser.units
    }

    /// The lines that head a text's reference list (see `backMatterLines`).
    static let backMatterHeadings: Set<Substring> = ["References", "Bibliography"]

    /// An EU act has "Whereas:" before its recitals, an "Article 1" heading line, or a run of "Article N" ones.
    static func isLegalText(_ text: String) -> Bool {
        if text.contains("\nWhereas:\n") { return true }
        var count = 0
        for line in text.split(separator: "\n") where line.hasPrefix("Article ") {
            if line == "Article 1" { return true }
            if StructurePatterns.matches(StructurePatterns.article, String(line)) { count += 1 }
            if count >= 3 { return true }
        }
        return false
    }

    private var headingTitles: [String] { headingStack.map(\.title) }

    private static func repeatedLines(_ text: String) -> Set<Substring> {
        var counts: [Substring: Int] = [:]
        for line in text.split(separator: "\n") where line.utf8.count <= 120 && line.split(separator: " ").count >= 3 {
            counts[line, default: 0] += 1
        }
        return Set(counts.compactMap { $0.value >= 3 ? $0.key : nil })
    }

    private mutating func take(_ line: String, start: Int, end: Int, hint: HeadingHint?) {
        if let hint {
            headingStack.removeAll { $0.level >= hint.level }
            headingStack.append((hint.level, hint.title))
            openGroup(section: hint.title, path: headingTitles, start: start, end: end, heading: true)
            return
        }
        if let entry = capsHeadings[start] {
            takeCapsHeading(entry, start: start, end: end)
            return
        }
        if legal {
            takeLegal(line, start: start, end: end)
        } else {
            takeGeneral(line, start: start, end: end)
        }
    }

    // MARK: EU acts

    private var legalPath: [String] { [chapterHeading, sectionHeading, article].compactMap { $0 } }

    private mutating func takeLegal(_ line: String, start: Int, end: Int) {
        typealias P = StructurePatterns
        switch expect {
        case .chapterTitle, .sectionTitle, .articleTitle, .annexTitle:
            if !P.isStructural(line), !P.matches(P.paragraph, line), line.count <= 250 {
                switch expect {
                case .chapterTitle: chapterHeading = (chapterHeading ?? "") + " " + line
                case .sectionTitle: sectionHeading = (sectionHeading ?? "") + " " + line
                case .articleTitle, .annexTitle: article = (article ?? "") + " " + line
                case .none: break
                }
                expect = .none
                let path = legalPath
                current?.headingPath = path
                extend(end: end, heading: true)
                return
            }
            expect = .none
        case .none:
            break
        }
        if line == "Whereas:", phase == .preamble {
            extend(end: end, heading: false, start: start)
            phase = .recitals
            return
        }
        if phase == .recitals, let groups = P.match(P.recital, line), let number = Int(groups[0]),
            number == lastRecital + 1
        {
            lastRecital = number
            openGroup(section: "Recital \(number)", path: ["Recitals"], start: start, end: end, heading: false)
            return
        }
        if phase != .annexes, P.matches(P.chapter, line) {
            chapterHeading = line
            sectionHeading = nil
            article = nil
            expect = .chapterTitle
            openGroup(section: nil, path: legalPath, start: start, end: end, heading: true)
            return
        }
        if phase != .annexes, P.matches(P.legalSection, line) {
            sectionHeading = line
            article = nil
            expect = .sectionTitle
            openGroup(section: nil, path: legalPath, start: start, end: end, heading: true)
            return
        }
        if phase != .annexes, let groups = P.match(P.article, line), let number = Int(groups[0]),
            lastArticle == 0 ? number == 1 : (number > lastArticle && number <= lastArticle + 3)
        {
            lastArticle = number
            lastParagraph = 0
            phase = .articles
            article = line
            expect = .articleTitle
            openGroup(section: line, path: legalPath, start: start, end: end, heading: true)
            return
        }
        if phase == .articles || phase == .annexes, let groups = P.match(P.annex, line),
            let number = P.roman(groups[0]), number == lastAnnex + 1
        {
            lastAnnex = number
            lastParagraph = 0
            phase = .annexes
            chapterHeading = nil
            sectionHeading = nil
            article = "Annex \(groups[0])"
            expect = .annexTitle
            openGroup(section: article, path: legalPath, start: start, end: end, heading: true)
            return
        }
        if phase == .articles || phase == .annexes, let groups = P.match(P.paragraph, line),
            let number = Int(groups[0]), number == lastParagraph + 1, let label = article
        {
            lastParagraph = number
            let name = label.split(separator: " ").prefix(2).joined(separator: " ")
            let section = phase == .articles ? "\(name)(\(number))" : "\(name), point \(number)"
            openUnit(section: section, start: start, end: end)
            return
        }
        extend(end: end, heading: false, start: start)
    }

    // MARK: Other texts

    private mutating func takeGeneral(_ line: String, start: Int, end: Int) {
        typealias P = StructurePatterns
        // "7" and "7." alike: margin numbers and the numbers of a list laid out apart from its items.
        let integer = P.match(P.bareInteger, line).flatMap { Int($0[0]) }
        defer { previousInteger = integer }
        // pdfTeX layouts put a heading's number and its title on separate lines ("3.1" / "Valid and Reliable").
        if let pending = pendingNumber {
            pendingNumber = nil
            let number = pending.number
            if P.matches(P.headingTitle, line), acceptsHeading(number: number, title: line, line: line) {
                let title = "\(number) \(line)"
                headingStack.removeAll { $0.level >= number.split(separator: ".").count }
                headingStack.append((number.split(separator: ".").count, title))
                if let unitStart = current?.start, unitStart >= pending.start {
                    current = nil
                } else if let cut = pending.cut {
                    current?.end = cut
                }
                openGroup(section: title, path: headingTitles, start: pending.start, end: end, heading: true)
                return
            }
        }
        if let integer, let previous = previousInteger, integer == previous + 1 {
            // A margin line number: the text it stands beside goes on.
            extend(end: end, heading: true, start: start)
            return
        }
        if let groups = P.match(P.bareNumber, line) {
            // The unit is split only once the title arrives: a number without one (a page or line number left
            // by the PDF text) stays inside the text around it.
            pendingNumber = (groups[0], start, current?.end)
            extend(end: end, heading: true, start: start)
            return
        }
        if let groups = P.match(P.nistObjective, line), let number = Int(groups[0]), number > practiceObjective {
            let title = Self.firstWords(of: line)
            headingStack.removeAll { $0.level >= Self.objectiveLevel }
            headingStack.append((Self.objectiveLevel, title))
            openGroup(section: "Objective \(number)", path: headingTitles, start: start, end: end, heading: true)
            return
        }
        if let groups = P.match(P.nistPractice, line), let objective = Int(groups[0]) {
            let id = "Practice \(groups[0]).\(groups[1])"
            let heading = headingStack.last { $0.level == Self.objectiveLevel }?.title ?? ""
            if heading != "Objective \(objective)", !heading.hasPrefix("Objective \(objective):") {
                // The objective's heading comes later in the text, or never: name it by number meanwhile.
                headingStack.removeAll { $0.level >= Self.objectiveLevel }
                headingStack.append((Self.objectiveLevel, "Objective \(objective)"))
            }
            practiceObjective = objective
            headingStack.removeAll { $0.level >= Self.objectiveLevel + 1 }
            headingStack.append((Self.objectiveLevel + 1, id))
            openGroup(section: id, path: headingTitles, start: start, end: end, heading: false)
            return
        }
        // Table-of-contents lines are short; the length check also spares the leader pattern's backtracking.
        if line.utf16.count <= 400, P.matches(P.leader, line) {
            extend(end: end, heading: false, start: start)
            return
        }
        if let groups = P.match(P.nistAction, line) {
            if current?.groupSection == nil { group += 1 }
            openUnit(section: groups[0], start: start, end: end)
            return
        }
        if let groups = P.match(P.nistSubcategory, line) {
            let id = "\(groups[0]) \(groups[1]).\(groups[2])"
            openGroup(section: id, path: headingTitles + [id], start: start, end: end, heading: line.count <= 12)
            return
        }
        if let groups = P.match(P.nistCategory, line) {
            let id = "\(groups[0]) \(groups[1])"
            openGroup(section: id, path: headingTitles + [id], start: start, end: end, heading: line.count <= 12)
            return
        }
        if let groups = P.match(P.usSection, line) {
            let id = "Sec. \(groups[0])"
            openGroup(section: id, path: headingTitles + [id], start: start, end: end, heading: false)
            return
        }
        if P.matches(P.appendix, line) {
            let left = (appendixLinesLeft[Substring(line)] ?? 1) - 1
            appendixLinesLeft[Substring(line)] = left
            if left == 0, start > textLength / 2 {
                headingStack.removeAll()
                headingStack.append((1, line))
                openGroup(section: line, path: headingTitles, start: start, end: end, heading: true)
                return
            }
        }
        if backMatterLines == 1, Self.backMatterHeadings.contains(Substring(line)), start > textLength / 2 {
            headingStack.removeAll()
            headingStack.append((1, line))
            openGroup(section: line, path: headingTitles, start: start, end: end, heading: true)
            return
        }
        if let groups = P.match(P.numberedHeading, line),
            acceptsHeading(number: groups[0], title: groups[1], line: line)
        {
            let number = groups[0]
            let title = "\(number) \(groups[1])"
            let level = number.split(separator: ".").count
            headingStack.removeAll { $0.level >= level }
            headingStack.append((level, title))
            openGroup(section: title, path: headingTitles, start: start, end: end, heading: true)
            return
        }
        extend(end: end, heading: false, start: start)
    }

    /// One line of an all-caps heading block. A heading repeated at the top of a page, under the same outer
    /// heading, is page furniture: its lines stay in the text they interrupt rather than cut it. A part is
    /// labelled with its outer heading ("Safe and Effective Systems"), its own title going to the path only.
    private mutating func takeCapsHeading(_ entry: CapsHeadings.Heading?, start: Int, end: Int) {
        pendingNumber = nil
        guard let heading = entry, headingStack.last(where: { $0.level == heading.level })?.title != heading.title
        else {
            extend(end: end, heading: true, start: start)
            return
        }
        headingStack.removeAll { $0.level >= heading.level }
        headingStack.append((heading.level, heading.title))
        let section = headingStack.first { $0.level == 1 }?.title ?? heading.title
        openGroup(section: section, path: headingTitles, start: start, end: end, heading: true)
    }

    /// Objectives sit under the document's numbered section ("4 OBJECTIVES AND PRACTICES ..."), practices under
    /// them; a later top-level heading (an appendix) closes both.
    private static let objectiveLevel = 2

    /// A heading line without the words a wrapped title may continue with: at most twelve words.
    private static func firstWords(of line: String) -> String {
        line.split(separator: " ").prefix(12).joined(separator: " ")
    }

    private static let trailingWords: Set<String> = [
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with", "that",
    ]

    /// ``plausibleHeading(number:title:)`` in this document: not on a repeated line, and not one of the numbered
    /// recommendations inside a NIST AI 800-1 practice ("3. Consider providing support ...").
    private func acceptsHeading(number: String, title: String, line: String) -> Bool {
        guard Self.plausibleHeading(number: number, title: title), !repeatedLines.contains(Substring(line)) else {
            return false
        }
        return number.contains(".") || headingStack.last?.title.hasPrefix("Practice ") != true
    }

    /// Rejects numbered list items and footnotes that look like headings: a heading is short, does not stop
    /// on a word that needs a continuation, and top-level section numbers stay small.
    static func plausibleHeading(number: String, title: String) -> Bool {
        let words = title.split(separator: " ")
        guard words.count <= 9, title.count >= 4, !title.hasSuffix(","),
            let last = words.last, !trailingWords.contains(last.lowercased())
        else { return false }
        // "3. Recommendation: an implementation characteristic ..." is a list item defining a term; heading
        // titles continue after a colon with a capital ("Appendix B: How AI Risks Differ").
        if let colon = title.range(of: ": "), title[colon.upperBound...].first?.isLowercase == true { return false }
        if !number.contains("."), let value = Int(number), value > 12 { return false }
        return true
    }

    // MARK: Units

    /// Starts a new group, unless the open unit holds only headings: then the new heading joins it (a
    /// chapter title stays with its first article, a heading with its first subheading).
    private mutating func openGroup(section: String?, path: [String], start: Int, end: Int, heading: Bool) {
        if var unit = current, unit.headingOnly {
            unit.end = end
            unit.section = section
            unit.groupSection = section
            unit.headingPath = path
            unit.headingOnly = heading
            current = unit
            return
        }
        close()
        group += 1
        current = StructuralUnit(
            start: start, end: end, group: group, section: section, groupSection: section, headingPath: path,
            headingOnly: heading)
    }

    /// Starts a new unit inside the current group (a numbered paragraph, an action id).
    private mutating func openUnit(section: String, start: Int, end: Int) {
        let groupSection = current?.groupSection
        let path = current?.headingPath ?? headingTitles
        close()
        current = StructuralUnit(
            start: start, end: end, group: group, section: section, groupSection: groupSection ?? section,
            headingPath: path, headingOnly: false)
    }

    private mutating func extend(end: Int, heading: Bool, start: Int? = nil) {
        if current == nil, let start {
            group += 1
            let section: String? = legal ? "Preamble" : headingStack.last?.title
            current = StructuralUnit(
                start: start, end: end, group: group, section: section, groupSection: section,
                headingPath: legal ? [] : headingTitles, headingOnly: heading)
            return
        }
        current?.end = end
        if !heading { current?.headingOnly = false }
    }

    private mutating func close() {
        if let unit = current { units.append(unit) }
        current = nil
    }
}

import Foundation

/// The line patterns that mark structure in the governance texts: EU acts (recitals, articles, paragraphs,
/// chapters, annexes), NIST frameworks (function/category/subcategory and action ids, numbered headings) and
/// U.S. orders (`Sec. 2.`). Lines are already normalised, so one space separates words.
enum StructurePatterns {
    static let article = regex(#"^Article (\d{1,3})$"#)
    static let recital = regex(#"^\((\d{1,3})\)(?: (.*))?$"#)
    static let chapter = regex(#"^CHAPTER ([IVXLC]{1,7})$"#)
    static let legalSection = regex(#"^SECTION (\d{1,2})$"#)
    static let annex = regex(#"^ANNEX ([IVXLC]{1,7})$"#)
    static let paragraph = regex(#"^(\d{1,3})\.(?: (.*))?$"#)
    static let nistSubcategory = regex(
        #"^(GOVERN|MAP|MEASURE|MANAGE) (\d{1,2})\.(\d{1,2})(?::.*|$| [A-Z].*)$"#)
    static let nistCategory = regex(#"^(GOVERN|MAP|MEASURE|MANAGE) (\d{1,2})(?::.*)?$"#)
    static let nistAction = regex(#"^((?:GV|MP|MS|MG)-\d{1,2}\.\d{1,2}-\d{3})\b"#)
    static let numberedHeading = regex(
        #"^(\d{1,2}(?:\.\d{1,2}){0,3})\.? ([A-Z][A-Za-z ,:&'’()/–—-]{2,80})$"#)
    static let bareNumber = regex(#"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?$"#)
    static let headingTitle = regex(#"^[A-Z][A-Za-z ,:&'’()/–—-]{2,80}$"#)
    static let usSection = regex(#"^(?:Section|Sec\.) (\d{1,3})\.(?: |$)"#)
    /// NIST AI 800-1's units: "Objective 3: Manage the risks of model theft", "Practice 3.3: Maintain ...".
    static let nistObjective = regex(#"^Objective (\d{1,2}): [A-Z]"#)
    static let nistPractice = regex(#"^Practice (\d{1,2})\.(\d{1,2})[:.] [A-Z]"#)
    /// A bare integer on its own line: a heading number waiting for its title, a page number, or one of a
    /// draft's margin line numbers.
    static let bareInteger = regex(#"^(\d{1,3})\.?$"#)
    /// "Appendix A: Descriptions of AI Actor Tasks", "Appendix B. References": a top-level heading.
    static let appendix = regex(#"^Appendix [A-Z][.:] [A-Z][^.]{2,80}$"#)
    /// Table-of-contents lines ("GOVERN 1.1 ........ 4") name structure without being it.
    static let leader = regex(#"(\.\s?){5,}\s*\d*$"#)

    private static func regex(_ pattern: String) -> NSRegularExpression {
        // The patterns are literals above; a typo is a programming error caught by the first test run.
        // swiftlint:disable:next force_try
        try! NSRegularExpression(pattern: pattern)
    }

    /// The capture groups of `regex` on the whole `line` (absent groups as ""), or nil without a match.
    static func match(_ regex: NSRegularExpression, _ line: String) -> [String]? {
        let range = NSRange(line.startIndex..., in: line)
        guard let result = regex.firstMatch(in: line, range: range) else { return nil }
        return (1..<max(1, result.numberOfRanges)).map { index in
            Range(result.range(at: index), in: line).map { String(line[$0]) } ?? ""
        }
    }

    static func matches(_ regex: NSRegularExpression, _ line: String) -> Bool {
        regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
    }

    /// True for lines that open a structural unit, which must never be mistaken for running headers.
    static func isStructural(_ line: String) -> Bool {
        structural.contains { matches($0, line) }
    }

    private static let structural = [
        article, chapter, legalSection, annex, nistSubcategory, nistCategory, nistAction, nistObjective, nistPractice,
    ]

    /// The value of a Roman numeral (I..MMM), or nil.
    static func roman(_ text: String) -> Int? {
        let values: [Character: Int] = ["I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000]
        var total = 0
        var previous = 0
        for character in text.reversed() {
            guard let value = values[character] else { return nil }
            total += value < previous ? -value : value
            previous = max(previous, value)
        }
        return total > 0 ? total : nil
    }
}

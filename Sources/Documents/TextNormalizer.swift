import Foundation

/// Line-level normalisation shared by every loader, so the same words give the same text (and the same
/// hashes) whatever the input format.
enum TextNormalizer {
    /// NFKC (ligatures such as `ﬁ` become `fi`), soft hyphens and zero-width characters removed, every kind of
    /// space or control character turned into one ASCII space, and the line trimmed.
    static func normalizeLine<S: StringProtocol>(_ line: S) -> String {
        let composed = String(line).precomposedStringWithCompatibilityMapping
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in composed.unicodeScalars {
            switch scalar.value {
            case 0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
                continue
            default:
                break
            }
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// Unicode scalar count, the unit of every offset in this module.
    static func length<S: StringProtocol>(_ text: S) -> Int { text.unicodeScalars.count }
}

/// Accumulates normalised lines into a document text while recording page spans and heading hints at the
/// offsets where they land. Blank lines collapse, so paragraphs are separated by exactly one empty line.
struct TextBuilder {
    private(set) var text = ""
    private(set) var length = 0
    private(set) var pages: [PageSpan] = []
    private(set) var headings: [HeadingHint] = []
    private var blankPending = false
    /// The open page and the offset of its first line (nil until a line lands on it).
    private var pageStart: (page: Int, offset: Int?)?

    /// Appends one line (normalised here); an empty result counts as a paragraph break.
    mutating func appendLine<S: StringProtocol>(_ raw: S) {
        let line = TextNormalizer.normalizeLine(raw)
        guard !line.isEmpty else {
            paragraphBreak()
            return
        }
        appendNormalized(line)
    }

    /// Appends a heading line and remembers it as a hint.
    mutating func appendHeading<S: StringProtocol>(_ raw: S, level: Int) {
        let line = TextNormalizer.normalizeLine(raw)
        guard !line.isEmpty else { return }
        paragraphBreak()
        let offset = appendNormalized(line)
        headings.append(HeadingHint(offset: offset, level: level, title: line))
        paragraphBreak()
    }

    mutating func paragraphBreak() {
        if length > 0 { blankPending = true }
    }

    mutating func beginPage(_ page: Int) {
        endPage()
        pageStart = (page, nil)
    }

    mutating func endPage() {
        guard let start = pageStart else { return }
        pageStart = nil
        if let offset = start.offset, length > offset {
            pages.append(PageSpan(page: start.page, start: offset, end: length))
        }
    }

    /// Returns the offset where `line` starts.
    @discardableResult
    private mutating func appendNormalized(_ line: String) -> Int {
        if length > 0 {
            let separator = blankPending ? "\n\n" : "\n"
            text += separator
            length += separator.unicodeScalars.count
        }
        blankPending = false
        // A page's span starts at its first line, not at the separator before it.
        if let start = pageStart, start.offset == nil { pageStart = (start.page, length) }
        let offset = length
        text += line
        length += line.unicodeScalars.count
        return offset
    }
}

import Foundation

/// HTML to text with its structure kept as lines: headings (with hints), paragraphs, list items, and table
/// rows with cells joined by " | ". Scripts, styles, navigation, the head and EUR-Lex footnotes are dropped.
/// EUR-Lex article titles (`oj-ti-art`, `oj-sti-art`) and section titles land on lines of their own, where
/// the chunker's legal patterns find them.
enum HTMLLoader {
    static let skipped: Set<String> = [
        "head", "script", "style", "nav", "noscript", "template", "svg", "iframe", "object", "button", "form",
        "select", "textarea",
    ]
    static let void: Set<String> = [
        "br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source", "param", "embed",
    ]
    static let blocks: Set<String> = [
        "p", "div", "section", "article", "main", "body", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead",
        "tbody", "tfoot", "caption", "blockquote", "pre", "figure", "figcaption", "address", "aside", "footer",
        "header", "center",
    ]
    /// Classes whose whole element is dropped: EUR-Lex footnotes repeat Official Journal references.
    static let skippedClasses: Set<String> = ["oj-note"]

    /// A table row being assembled; rows of nested tables are emitted on their own.
    private struct Row {
        var cells: [String] = []
        var cell: String?
    }

    struct Result {
        var builder: TextBuilder
        var title: String?
    }

    static func parse(_ html: String) -> Result {
        var builder = TextBuilder()
        var line = ""
        var rows: [Row] = []
        var skip: (name: String, depth: Int)?
        var titleText: String?
        var inTitle = false
        var headingLevel: Int?
        var firstHeading: String?
        var docTitle: String?
        var docTitleClass = false

        func flushLine() {
            let text = HTMLEntities.decode(line)
            line = ""
            if let level = headingLevel {
                builder.appendHeading(text, level: level)
                if firstHeading == nil, level == 1 { firstHeading = TextNormalizer.normalizeLine(text) }
            } else {
                builder.appendLine(text)
                if docTitleClass, docTitle == nil {
                    let normalized = TextNormalizer.normalizeLine(text)
                    if !normalized.isEmpty { docTitle = normalized }
                }
            }
        }
        func emitRow(_ row: Row) {
            let cells = row.cells.map { TextNormalizer.normalizeLine(HTMLEntities.decode($0)) }.filter { !$0.isEmpty }
            guard !cells.isEmpty else { return }
            let marker = cells[0].range(of: #"^(\(?[0-9A-Za-z]{1,5}[.)]|[•–—-])$"#, options: .regularExpression)
            builder.appendLine(cells.joined(separator: marker != nil && cells.count == 2 ? " " : " | "))
        }
        func appendText(_ text: String) {
            if rows.last?.cell != nil {
                rows[rows.count - 1].cell! += text
            } else {
                line += text
            }
        }
        func cellBreak() {
            if rows.last?.cell != nil { rows[rows.count - 1].cell! += " " } else { flushLine() }
        }

        for token in HTMLTokenizer.tokens(html) {
            if var active = skip {
                switch token {
                case .start(let name, _, let selfClosing) where name == active.name && !selfClosing:
                    active.depth += 1
                    skip = active
                case .end(let name) where name == active.name:
                    active.depth -= 1
                    skip = active.depth == 0 ? nil : active
                default:
                    break
                }
                // The document title lives in the skipped head.
                if case .start(let name, _, _) = token, name == "title" { inTitle = true }
                if case .end(let name) = token, name == "title" { inTitle = false }
                if inTitle, case .text(let text) = token { titleText = (titleText ?? "") + text }
                continue
            }
            switch token {
            case .text(let text):
                appendText(text)
            case .start(let name, let attributes, let selfClosing):
                let classes = Set((attributes["class"] ?? "").split(separator: " ").map(String.init))
                if skipped.contains(name) || !classes.isDisjoint(with: skippedClasses) {
                    if !selfClosing && !void.contains(name) { skip = (name, 1) }
                    if name == "head" { skip = ("head", 1) }
                    continue
                }
                switch name {
                case "h1", "h2", "h3", "h4", "h5", "h6":
                    cellBreak()
                    headingLevel = Int(String(name.dropFirst()))
                case "tr":
                    if rows.last?.cell != nil || !(rows.last?.cells.isEmpty ?? true) {
                        // A table inside a cell: what the outer row holds so far comes first.
                        var outer = rows.removeLast()
                        if let cell = outer.cell { outer.cells.append(cell) }
                        emitRow(outer)
                        rows.append(Row(cells: [], cell: nil))
                    }
                    flushLine()
                    rows.append(Row())
                case "td", "th":
                    if rows.isEmpty { rows.append(Row()) }
                    if let cell = rows[rows.count - 1].cell { rows[rows.count - 1].cells.append(cell) }
                    rows[rows.count - 1].cell = ""
                case "br":
                    cellBreak()
                default:
                    if blocks.contains(name) || name == "hr" {
                        cellBreak()
                        if name == "p" || name == "div" {
                            docTitleClass = classes.contains("oj-doc-ti") || classes.contains("eli-main-title")
                        }
                    }
                }
            case .end(let name):
                switch name {
                case "h1", "h2", "h3", "h4", "h5", "h6":
                    flushLine()
                    headingLevel = nil
                case "td", "th":
                    if rows.isEmpty { break }
                    if let cell = rows[rows.count - 1].cell {
                        rows[rows.count - 1].cells.append(cell)
                        rows[rows.count - 1].cell = nil
                    }
                case "tr":
                    guard var row = rows.popLast() else { break }
                    if let cell = row.cell { row.cells.append(cell) }
                    emitRow(row)
                    // Back in the enclosing cell, if any, which goes on collecting text.
                    if !rows.isEmpty, rows[rows.count - 1].cell == nil, rows[rows.count - 1].cells.isEmpty {
                        rows[rows.count - 1].cell = ""
                    }
                case "table":
                    flushLine()
                default:
                    if blocks.contains(name) {
                        cellBreak()
                        if name == "p" || name == "div" { docTitleClass = false }
                    }
                }
            }
        }
        flushLine()
        while let row = rows.popLast() {
            var row = row
            if let cell = row.cell { row.cells.append(cell) }
            emitRow(row)
        }
        let title = firstHeading ?? docTitle ?? titleText.map { TextNormalizer.normalizeLine(HTMLEntities.decode($0)) }
        return Result(builder: builder, title: title?.isEmpty == true ? nil : title)
    }
}

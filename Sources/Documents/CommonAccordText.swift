import Foundation

/// CommonAccord "prose objects" (the OECD Recommendation on AI in `corpus/` is one) as Markdown.
///
/// A prose object is a list of `key=value` lines: `Ti=` is the document's title, `1.3.Ti=Transparency and
/// explainability` titles section 1.3, `1.3.2.sec=ii.to make stakeholders aware ...` is that section's second
/// paragraph, `1.3.=[G/Z/ol-i/s4]` includes a formatting template and `sec={Preamble.Sec}` assembles parts by
/// reference. Read as Markdown, the keys and directives end up in the passages ("1.3.3.sec=iii.to enable ...")
/// and nothing marks the sections, so answers quoted raw source and cited no section. The file order is the
/// reading order of the rendered text closely enough that rendering by position, rather than by expanding the
/// references, keeps every paragraph once and in place.
enum CommonAccordText {
    /// Whether `lines` are a prose object: at least ten `key.Ti=` / `key.sec=` lines making up at least a third
    /// of the lines with text (a Markdown file may hold a few `a=b` lines).
    static func isProseObject(_ lines: [String]) -> Bool {
        var keyed = 0
        var text = 0
        for line in lines where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            text += 1
            if let entry = entry(line), entry.field == "Ti" || entry.field == "sec" { keyed += 1 }
        }
        return keyed >= 10 && keyed * 3 >= text
    }

    /// The Markdown the prose object reads as: titles as headings (the document title `#`, named parts `##`,
    /// numbered sections `###` with their number in front), paragraphs as text with their enumerators spaced
    /// ("iii. to enable"), and references, templates and empty values dropped. Lines that are not `key=value`
    /// stay as they are.
    static func markdown(_ lines: [String]) -> [String] {
        var output: [String] = []
        var definitionsOpened = false
        for line in lines {
            guard let entry = entry(line) else {
                output.append(line)
                continue
            }
            let value = visibleText(entry.value)
            guard !value.isEmpty else { continue }
            if entry.field == "Ti" {
                output.append(contentsOf: ["", heading(path: entry.path, title: value), ""])
                continue
            }
            // CommonAccord's convention for a definitions list: its keys start with "Def".
            if entry.path.first == "Def", !definitionsOpened {
                definitionsOpened = true
                output.append(contentsOf: ["", "## Definitions", ""])
            }
            output.append(contentsOf: [spacedEnumerator(value), ""])
        }
        return output
    }

    /// A `key=value` line split into the key's parts before its last field (`1.3.2.sec` gives path `["1", "3",
    /// "2"]` and field `sec`), or nil for any other line.
    private static func entry(_ line: String) -> (path: [String], field: String, value: String)? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        let key = line[..<equals]
        guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" }) else { return nil }
        let value = String(line[line.index(after: equals)...])
        var parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let field = parts.removeLast()
        return (parts.filter { !$0.isEmpty }, field, value)
    }

    private static func heading(path: [String], title: String) -> String {
        if path.isEmpty { return "# " + title }
        guard path.allSatisfy({ Int($0) != nil }) else { return "## " + title }
        return String(repeating: "#", count: min(6, 1 + path.count)) + " " + path.joined(separator: ".") + " " + title
    }

    /// The value without HTML tags, `{references}` and `[G/...]` template includes, trimmed.
    private static func visibleText(_ value: String) -> String {
        var text = value.replacingOccurrences(of: #"<[^>]*>"#, with: " ", options: .regularExpression)
        text = text.replacingOccurrences(of: #"\{[^}]*\}"#, with: " ", options: .regularExpression)
        text = text.replacingOccurrences(of: #"^\s*\[[^\]]*\]\s*$"#, with: "", options: .regularExpression)
        text = text.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// "iii.to enable" and "a)Governments" (the template supplied the space) become "iii. to enable" and
    /// "a) Governments"; a leading list dash goes.
    private static func spacedEnumerator(_ text: String) -> String {
        var text = text
        if text.hasPrefix("‒") || text.hasPrefix("–") { text = String(text.dropFirst()) }
        return text.replacingOccurrences(
            of: #"^((?:[ivx]+|[a-z])[.)])(?=\S)"#, with: "$1 ", options: .regularExpression)
    }
}

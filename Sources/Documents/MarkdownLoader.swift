import Foundation

/// Markdown to text: ATX and setext headings become heading hints, YAML front matter (flat `key: value`)
/// becomes metadata, and link, image, emphasis and inline-HTML syntax is reduced to its text.
enum MarkdownLoader {
    struct Result {
        var builder: TextBuilder
        var metadata: [String: String]
        var title: String?
    }

    static func parse(_ markdown: String) -> Result {
        var lines = markdown.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false
        ).map(String.init)
        let metadata = frontMatter(&lines)
        if CommonAccordText.isProseObject(lines) { lines = CommonAccordText.markdown(lines) }
        var builder = TextBuilder()
        var firstHeading: String?
        var inFence = false
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            index += 1
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                builder.paragraphBreak()
                continue
            }
            if inFence {
                builder.appendLine(line)
                continue
            }
            if let (level, title) = atxHeading(trimmed) {
                let text = inline(title)
                builder.appendHeading(text, level: level)
                if firstHeading == nil { firstHeading = TextNormalizer.normalizeLine(text) }
                continue
            }
            // Setext: a text line underlined with === or ---.
            if !trimmed.isEmpty, index < lines.count {
                let under = lines[index].trimmingCharacters(in: .whitespaces)
                if under.count >= 3, Set(under) == ["="] || Set(under) == ["-"] {
                    let text = inline(trimmed)
                    builder.appendHeading(text, level: under.first == "=" ? 1 : 2)
                    if firstHeading == nil { firstHeading = TextNormalizer.normalizeLine(text) }
                    index += 1
                    continue
                }
            }
            if trimmed.count >= 3, Set(trimmed).isSubset(of: ["*", "-", "_", " "]) {
                builder.paragraphBreak()  // a thematic break
                continue
            }
            builder.appendLine(inline(stripBlockMarkers(trimmed)))
        }
        let title = metadata["title"].flatMap { $0.isEmpty ? nil : $0 } ?? firstHeading
        return Result(builder: builder, metadata: metadata, title: title)
    }

    /// Removes a leading `---` ... `---` block and returns its flat `key: value` pairs.
    static func frontMatter(_ lines: inout [String]) -> [String: String] {
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" else { return [:] }
        guard
            let close = lines.indices.dropFirst().first(where: {
                let line = lines[$0].trimmingCharacters(in: .whitespaces)
                return line == "---" || line == "..."
            })
        else { return [:] }
        var metadata: [String: String] = [:]
        var index = 1
        while index < close {
            let line = lines[index]
            index += 1
            guard !line.hasPrefix(" "), !line.hasPrefix("#"), let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if let quote = value.first, quote == "\"" || quote == "'" {
                // A quoted scalar may continue on indented lines until its closing quote.
                while !isClosed(value, quote: quote), index < close, lines[index].hasPrefix(" ") {
                    value += "\n" + lines[index]
                    index += 1
                }
                value = quote == "'" ? singleQuoted(value) : doubleQuoted(value)
            }
            if !key.isEmpty, !key.contains(" ") { metadata[key] = value }
        }
        lines.removeSubrange(0...close)
        return metadata
    }

    private static func isClosed(_ value: String, quote: Character) -> Bool {
        guard value.count >= 2, value.last == quote else { return false }
        if quote == "'" { return true }
        // An odd run of backslashes before the final quote escapes it.
        return value.dropLast().reversed().prefix(while: { $0 == "\\" }).count % 2 == 0
    }

    /// YAML single-quoted scalar: `''` is a quote, line breaks fold to spaces.
    private static func singleQuoted(_ value: String) -> String {
        let body = value.count >= 2 && value.last == "'" ? value.dropFirst().dropLast() : value.dropFirst()
        return fold(String(body)).replacingOccurrences(of: "''", with: "'")
    }

    /// YAML double-quoted scalar: backslash escapes (`\"`, `\\`, `\_`, `\uXXXX`, an escaped line break) and
    /// line folding.
    private static func doubleQuoted(_ value: String) -> String {
        var characters = Array(value.dropFirst())
        if characters.last == "\"" { characters.removeLast() }
        var result = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if character == "\n" {
                while index < characters.count, characters[index] == " " { index += 1 }
                result += " "
                continue
            }
            guard character == "\\", index < characters.count else {
                result.append(character)
                continue
            }
            let escape = characters[index]
            index += 1
            switch escape {
            case "\n":
                // An escaped line break joins the lines without a space.
                while index < characters.count, characters[index] == " " { index += 1 }
            case "n": result += "\n"
            case "t": result += "\t"
            case "_": result += "\u{A0}"
            case "u", "U", "x":
                let width = escape == "x" ? 2 : escape == "u" ? 4 : 8
                let hex = String(characters[index..<min(index + width, characters.count)])
                if hex.count == width, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
                    result.unicodeScalars.append(scalar)
                    index += width
                } else {
                    result.append(escape)
                }
            default: result.append(escape)  // \" \\ \/ and "\ " (a space)
            }
        }
        return result
    }

    private static func fold(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    private static func atxHeading(_ line: String) -> (Int, String)? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var title = rest.trimmingCharacters(in: .whitespaces)
        while title.hasSuffix("#") { title.removeLast() }
        title = title.trimmingCharacters(in: .whitespaces)
        return title.isEmpty ? nil : (hashes, title)
    }

    /// Drops block quote markers; list bullets stay, they are part of the text's meaning.
    private static func stripBlockMarkers(_ line: String) -> String {
        var text = Substring(line)
        while text.hasPrefix(">") { text = text.dropFirst().drop(while: { $0 == " " }) }
        return String(text)
    }

    /// Inline syntax to plain text: images and links keep their text, autolinks their address, inline HTML
    /// tags vanish, entities are decoded, emphasis markers and code ticks go.
    static func inline(_ text: String) -> String {
        // Lines of minified or generated text skip the patterns: lazy emphasis matching is quadratic.
        guard text.utf16.count <= 20_000 else { return HTMLEntities.decode(text) }
        var result = text
        let replacements: [(String, String)] = [
            (#"!\[([^\]]*)\]\([^)]*\)"#, "$1"),
            (#"\[([^\]]+)\]\([^)]*\)"#, "$1"),
            (#"\[([^\]]+)\]\[[^\]]*\]"#, "$1"),
            (#"<((?:https?|mailto):[^>\s]+)>"#, "$1"),
            (#"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"#, ""),
            (#"(\*\*|__)(\S(?:.*?\S)?)\1"#, "$2"),
            (#"(?<![\w*])\*(\S(?:[^*]*?\S)?)\*(?![\w*])"#, "$1"),
            (#"`([^`]+)`"#, "$1"),
        ]
        for (pattern, template) in replacements {
            result = result.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        }
        return HTMLEntities.decode(result)
    }
}

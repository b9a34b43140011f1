import Foundation

/// The links of an HTML page a crawl follows: every `<a href>`, resolved against the page's `<base href>` when it
/// has one (the first, as browsers use), else the page's URL, made canonical, in document order, without repeats.
/// Links that are not http(s) (`mailto:`, `javascript:`, fragments alone) are dropped.
///
/// A scanner of tags, not an HTML parser: comments, `<script>` and `<style>` bodies are skipped, attribute values
/// may be double-quoted, single-quoted or bare, and the character references a URL needs (`&amp;`, `&#38;`,
/// `&#x26;`, `&quot;`...) are decoded.
public enum HTMLLinks {
    /// The canonical URLs `html`, fetched from `pageURL`, links to.
    public static func extract(from html: String, pageURL: URL) -> [String] {
        var base = pageURL
        var hrefs: [String] = []
        var baseSeen = false
        scanTags(html) { name, attributes in
            if name == "base", !baseSeen, let href = attributes["href"],
                let url = URL(string: href, relativeTo: pageURL)
            {
                base = url.absoluteURL
                baseSeen = true
            } else if name == "a", let href = attributes["href"] {
                hrefs.append(href)
            }
        }
        var seen = Set<String>()
        return hrefs.compactMap { CanonicalURL.resolve($0, against: base) }.filter { seen.insert($0).inserted }
    }

    /// Calls `visit` with each start tag's lower-cased name and attributes (names lower-cased, values decoded).
    static func scanTags(_ html: String, _ visit: (String, [String: String]) -> Void) {
        let text = Array(html.utf8)
        var index = 0
        func find(_ needle: String, from start: Int) -> Int? {
            let bytes = Array(needle.utf8)
            guard !bytes.isEmpty, start <= text.count - bytes.count else { return nil }
            var position = start
            while position <= text.count - bytes.count {
                if text[position] == bytes[0], Array(text[position..<position + bytes.count]).lowercasedASCII == bytes {
                    return position
                }
                position += 1
            }
            return nil
        }
        while index < text.count {
            guard text[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            if text[index...].starts(with: Array("<!--".utf8)) {
                index = (find("-->", from: index + 4) ?? text.count) + 3
                continue
            }
            var cursor = index + 1
            var name: [UInt8] = []
            while cursor < text.count, isNameByte(text[cursor]) {
                name.append(text[cursor] | 0x20)
                cursor += 1
            }
            guard !name.isEmpty, name.first.map({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) == true else {
                index += 1
                continue
            }
            var attributes: [String: String] = [:]
            while cursor < text.count, text[cursor] != UInt8(ascii: ">") {
                if isSpace(text[cursor]) || text[cursor] == UInt8(ascii: "/") {
                    cursor += 1
                    continue
                }
                var key: [UInt8] = []
                while cursor < text.count, !isSpace(text[cursor]), text[cursor] != UInt8(ascii: "="),
                    text[cursor] != UInt8(ascii: ">")
                {
                    key.append(text[cursor] | (isUpper(text[cursor]) ? 0x20 : 0))
                    cursor += 1
                }
                while cursor < text.count, isSpace(text[cursor]) { cursor += 1 }
                var value: [UInt8] = []
                if cursor < text.count, text[cursor] == UInt8(ascii: "=") {
                    cursor += 1
                    while cursor < text.count, isSpace(text[cursor]) { cursor += 1 }
                    if cursor < text.count, text[cursor] == UInt8(ascii: "\"") || text[cursor] == UInt8(ascii: "'") {
                        let quote = text[cursor]
                        cursor += 1
                        while cursor < text.count, text[cursor] != quote {
                            value.append(text[cursor])
                            cursor += 1
                        }
                        cursor += 1
                    } else {
                        while cursor < text.count, !isSpace(text[cursor]), text[cursor] != UInt8(ascii: ">") {
                            value.append(text[cursor])
                            cursor += 1
                        }
                    }
                }
                if key.isEmpty {
                    cursor += 1
                    continue
                }
                let keyText = String(decoding: key, as: UTF8.self)
                if attributes[keyText] == nil {
                    attributes[keyText] = decodeReferences(String(decoding: value, as: UTF8.self))
                }
            }
            let tag = String(decoding: name, as: UTF8.self)
            visit(tag, attributes)
            index = cursor + 1
            // Script and style bodies are text to the browser, never tags.
            if tag == "script" || tag == "style" {
                index = (find("</" + tag, from: index) ?? text.count)
            }
        }
    }

    /// `&amp;`-style references in an attribute value decoded (the named ones URLs use, and numeric ones).
    static func decodeReferences(_ value: String) -> String {
        guard value.contains("&") else { return value.trimmingCharacters(in: .whitespacesAndNewlines) }
        let named = ["amp": "&", "quot": "\"", "apos": "'", "lt": "<", "gt": ">", "nbsp": " "]
        var result = ""
        var rest = Substring(value)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let after = rest[rest.index(after: ampersand)...]
            if let semicolon = after.firstIndex(of: ";"), after.distance(from: after.startIndex, to: semicolon) <= 10 {
                let entity = after[..<semicolon].lowercased()
                var decoded: String?
                if let text = named[entity] {
                    decoded = text
                } else if entity.hasPrefix("#x"), let code = UInt32(entity.dropFirst(2), radix: 16) {
                    decoded = Unicode.Scalar(code).map { String(Character($0)) }
                } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()) {
                    decoded = Unicode.Scalar(code).map { String(Character($0)) }
                }
                if let decoded {
                    result += decoded
                    rest = after[after.index(after: semicolon)...]
                    continue
                }
            }
            result += "&"
            rest = after
        }
        result += rest
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || isUpper(byte)
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }
}

extension Array where Element == UInt8 {
    /// ASCII letters lower-cased.
    fileprivate var lowercasedASCII: [UInt8] {
        map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
    }
}

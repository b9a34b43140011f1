import Foundation

/// A forgiving HTML tokenizer: tags (with lower-cased names and attributes), text, and nothing else. Comments,
/// doctypes, processing instructions and the bodies of `script`/`style` are skipped; malformed markup never
/// throws, it becomes text or is dropped.
struct HTMLTokenizer {
    enum Token: Equatable {
        case start(name: String, attributes: [String: String], selfClosing: Bool)
        case end(name: String)
        case text(String)
    }

    static func tokens(_ html: String) -> [Token] {
        let scalars = Array(html.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        var textStart = 0
        func flushText(_ end: Int) {
            if end > textStart {
                tokens.append(.text(String(String.UnicodeScalarView(scalars[textStart..<end]))))
            }
        }
        func find(_ needle: String, from: Int) -> Int? {
            let pattern = Array(needle.unicodeScalars)
            var position = from
            while position + pattern.count <= scalars.count {
                var matched = true
                for offset in 0..<pattern.count
                where lower(scalars[position + offset]) != pattern[offset] {
                    matched = false
                    break
                }
                if matched { return position }
                position += 1
            }
            return nil
        }
        while index < scalars.count {
            guard scalars[index] == "<", index + 1 < scalars.count else {
                index += 1
                continue
            }
            let next = scalars[index + 1]
            if next == "!" || next == "?" {
                flushText(index)
                let isComment = index + 3 < scalars.count && scalars[index + 2] == "-" && scalars[index + 3] == "-"
                let close =
                    isComment
                    ? find("-->", from: index + 4).map { $0 + 3 } : find(">", from: index).map { $0 + 1 }
                index = close ?? scalars.count
                textStart = index
                continue
            }
            let isEnd = next == "/"
            let nameStart = index + (isEnd ? 2 : 1)
            guard nameStart < scalars.count, scalars[nameStart].properties.isAlphabetic else {
                index += 1  // a bare "<" in text
                continue
            }
            flushText(index)
            let close = tagEnd(scalars, from: nameStart)
            let inner = String(String.UnicodeScalarView(scalars[nameStart..<close]))
            index = min(close + 1, scalars.count)
            textStart = index
            let (name, attributes, selfClosing) = parseTag(inner)
            if isEnd {
                tokens.append(.end(name: name))
                continue
            }
            tokens.append(.start(name: name, attributes: attributes, selfClosing: selfClosing))
            if name == "script" || name == "style" || name == "noscript" || name == "template" {
                // Raw text: skip to the matching end tag.
                let end = find("</\(name)", from: index) ?? scalars.count
                index = end < scalars.count ? tagEnd(scalars, from: end + 2) + 1 : end
                index = min(index, scalars.count)
                textStart = index
                tokens.append(.end(name: name))
            }
        }
        flushText(scalars.count)
        return tokens
    }

    private static func lower(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (scalar >= "A" && scalar <= "Z") ? Unicode.Scalar(scalar.value + 32)! : scalar
    }

    /// The index of the `>` closing a tag, skipping quoted attribute values.
    private static func tagEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var quote: Unicode.Scalar?
        var index = start
        while index < scalars.count {
            let scalar = scalars[index]
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == ">" {
                return index
            }
            index += 1
        }
        return scalars.count
    }

    private static func parseTag(_ inner: String) -> (String, [String: String], Bool) {
        let selfClosing = inner.hasSuffix("/")
        let body = selfClosing ? String(inner.dropLast()) : inner
        let nameEnd = body.firstIndex(where: { $0.isWhitespace || $0 == "/" }) ?? body.endIndex
        let name = body[..<nameEnd].lowercased()
        var attributes: [String: String] = [:]
        var rest = body[nameEnd...]
        while let keyStart = rest.firstIndex(where: { !$0.isWhitespace && $0 != "/" }) {
            rest = rest[keyStart...]
            let keyEnd = rest.firstIndex(where: { $0.isWhitespace || $0 == "=" }) ?? rest.endIndex
            let key = rest[..<keyEnd].lowercased()
            rest = rest[keyEnd...].drop(while: \.isWhitespace)
            var value = ""
            if rest.first == "=" {
                rest = rest.dropFirst().drop(while: \.isWhitespace)
                if let quote = rest.first, quote == "\"" || quote == "'" {
                    let valueBody = rest.dropFirst()
                    let close = valueBody.firstIndex(of: quote) ?? valueBody.endIndex
                    value = String(valueBody[..<close])
                    rest =
                        close < valueBody.endIndex
                        ? valueBody[valueBody.index(after: close)...] : valueBody[close...]
                } else {
                    let close = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
                    value = String(rest[..<close])
                    rest = rest[close...]
                }
            }
            if !key.isEmpty { attributes[key] = HTMLEntities.decode(value) }
        }
        return (name, attributes, selfClosing)
    }
}

import Foundation

/// Decodes HTML character references: the named ones that occur in real pages and every numeric form.
enum HTMLEntities {
    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "shy": "\u{AD}",
        "ndash": "–", "mdash": "—", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "sbquo": "‚",
        "bdquo": "„", "hellip": "…", "bull": "•", "middot": "·", "copy": "©", "reg": "®", "trade": "™",
        "euro": "€", "pound": "£", "sect": "§", "para": "¶", "deg": "°", "plusmn": "±", "times": "×",
        "divide": "÷", "laquo": "«", "raquo": "»", "eacute": "é", "egrave": "è", "agrave": "à",
        "aacute": "á", "ouml": "ö", "uuml": "ü", "auml": "ä", "szlig": "ß", "ccedil": "ç", "thinsp": "\u{2009}",
        "ensp": "\u{2002}", "emsp": "\u{2003}", "zwnj": "\u{200C}", "zwj": "\u{200D}", "lrm": "", "rlm": "",
        "le": "≤", "ge": "≥", "ne": "≠", "minus": "−", "prime": "′", "dagger": "†",
    ]

    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var output = ""
        var index = text.startIndex
        while let amp = text[index...].firstIndex(of: "&") {
            output += text[index..<amp]
            let limit = text.index(amp, offsetBy: 12, limitedBy: text.endIndex) ?? text.endIndex
            if let semicolon = text[amp..<limit].firstIndex(of: ";"),
                let decoded = reference(String(text[text.index(after: amp)..<semicolon]))
            {
                output += decoded
                index = text.index(after: semicolon)
            } else {
                output += "&"
                index = text.index(after: amp)
            }
        }
        output += text[index...]
        return output
    }

    private static func reference(_ name: String) -> String? {
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value =
                digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, value != 0, let scalar = Unicode.Scalar(value) else { return nil }
            return String(Character(scalar))
        }
        return named[name] ?? named[name.lowercased()]
    }
}

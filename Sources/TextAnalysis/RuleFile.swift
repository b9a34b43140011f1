import Foundation

/// Reads the tab-separated rule files of the ranking data (`corpus/ranking/`): one rule per line, `#` starts
/// a comment line, blank lines are skipped.
public enum RuleFile {
    /// The rules of `text` as (pattern, values, note) triples; the pattern is the first column, the values are
    /// the second column split at `|` (so a rule maps a phrase to several alternatives), the note is the third
    /// column (the rule's source), nil when absent.
    public static func parse(_ text: String) -> [(pattern: String, values: [String], note: String?)] {
        var rules: [(pattern: String, values: [String], note: String?)] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: true).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard columns.count >= 2, !columns[0].isEmpty else { continue }
            let values = columns[1].split(separator: "|").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            if !values.isEmpty { rules.append((columns[0].lowercased(), values, columns.count > 2 ? columns[2] : nil)) }
        }
        return rules
    }

    /// Whether `text` (lower-cased, words separated by single spaces) contains `phrase` as whole words; a
    /// phrase ending in `*` matches any word starting with it ("ban*" matches "banned").
    public static func contains(_ text: String, phrase: String) -> Bool {
        let prefix = phrase.hasSuffix("*")
        return wholeWordRange(of: prefix ? String(phrase.dropLast()) : phrase, in: text, prefix: prefix) != nil
    }

    /// The first occurrence of `phrase` in `text` (both normalised) at or after `start` that begins a word and,
    /// unless `prefix`, ends one.
    public static func wholeWordRange(
        of phrase: String, in text: String, from start: String.Index? = nil, prefix: Bool = false
    ) -> Range<String.Index>? {
        // Both sides are normalised, so bytes compare as characters do; Foundation's `range(of:)` folded
        // character clusters through CFString on every call, the largest cost of a search with cached vectors.
        var searchStart = start ?? text.startIndex
        while let range = ByteSearch.range(of: phrase, in: text, from: searchStart) {
            let before =
                range.lowerBound == text.startIndex || !isWordCharacter(text[text.index(before: range.lowerBound)])
            let after = range.upperBound == text.endIndex || !isWordCharacter(text[range.upperBound])
            if before && (after || prefix) { return range }
            searchStart = text.utf8.index(after: range.lowerBound)
        }
        return nil
    }

    public static func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber }

    /// `text` lower-cased with every run of characters other than letters, digits, `'` and `-` made one space
    /// (`’` becomes `'`).
    public static func normalise(_ text: String) -> String {
        if let ascii = normaliseASCII(text) { return ascii }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var space = true
        for character in text.lowercased() {
            if character == "’" {
                result.append("'")
                space = false
            } else if character.isLetter || character.isNumber || character == "'" || character == "-" {
                result.append(character)
                space = false
            } else if !space {
                result.append(" ")
                space = true
            }
        }
        return result.trimmingCharacters(in: .whitespaces)
    }

    /// ``normalise(_:)`` for text that is all ASCII (most questions), on bytes; nil for any other text.
    private static func normaliseASCII(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var space = true
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            let kept =
                (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) || lower == 0x27 || lower == 0x2D
            if kept {
                bytes.append(lower)
                space = false
            } else if !space {
                bytes.append(0x20)
                space = true
            }
        }
        if bytes.last == 0x20 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

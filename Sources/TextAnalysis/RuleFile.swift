import Foundation

/// Reads the tab-separated rule files of the ranking data (`corpus/ranking/`): one rule per line, `#` starts
/// a comment line, blank lines are skipped.
public enum RuleFile {
    /// The rules of `text` as (pattern, values) pairs; the pattern is the first column, the values are the
    /// second column split at `|` (so a rule maps a phrase to several alternatives); later columns are notes
    /// (the rule's source) and ignored.
    public static func parse(_ text: String) -> [(pattern: String, values: [String])] {
        var rules: [(pattern: String, values: [String])] = []
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
            if !values.isEmpty { rules.append((columns[0].lowercased(), values)) }
        }
        return rules
    }

    /// Whether `text` (lower-cased, words separated by single spaces) contains `phrase` as whole words; a
    /// phrase ending in `*` matches any word starting with it ("ban*" matches "banned").
    public static func contains(_ text: String, phrase: String) -> Bool {
        let prefix = phrase.hasSuffix("*")
        let wanted = prefix ? String(phrase.dropLast()) : phrase
        var searchStart = text.startIndex
        while let range = text.range(of: wanted, range: searchStart..<text.endIndex) {
            let before =
                range.lowerBound == text.startIndex || !isWordCharacter(text[text.index(before: range.lowerBound)])
            let after = range.upperBound == text.endIndex || !isWordCharacter(text[range.upperBound])
            if before && (after || prefix) { return true }
            searchStart = text.index(after: range.lowerBound)
        }
        return false
    }

    public static func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber }

    /// `text` lower-cased with every run of characters other than letters, digits, `*`, `'` and `-` made one space.
    public static func normalise(_ text: String) -> String {
        let lowered = text.lowercased().replacingOccurrences(of: "’", with: "'")
        var result = ""
        var space = true
        for character in lowered {
            if character.isLetter || character.isNumber || character == "'" || character == "-" {
                result.append(character)
                space = false
            } else if !space {
                result.append(" ")
                space = true
            }
        }
        return result.trimmingCharacters(in: .whitespaces)
    }
}

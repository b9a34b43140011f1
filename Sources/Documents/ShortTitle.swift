import Foundation

/// A title short enough for a citation, derived when no manifest entry or flag gives one.
///
/// Official titles are long: the AI Act's runs to 60 words ("Regulation (EU) 2024/1689 of the European
/// Parliament and of the Council of 13 June 2024 laying down harmonised rules ... (Artificial Intelligence
/// Act)Text with EEA relevance."), and a source list repeating it five times hides the citations. The rules,
/// in order:
///
/// 1. at most ``limit`` characters: kept as it is;
/// 2. an EU act (`Regulation (EU) 2024/1689 of ...`, also in capitals) becomes its identifier, followed by the
///    short name it declares in brackets at the end when there is one:
///    "Regulation (EU) 2024/1689 (Artificial Intelligence Act)";
/// 3. otherwise the part before the first `:`, `;` or ` - ` when that part has at least three words;
/// 4. otherwise cut at the last word boundary within the limit, with "…".
public enum ShortTitle {
    /// Longest title kept whole.
    public static let limit = 80

    private static let euAct = try! NSRegularExpression(
        pattern: #"^((?:regulation|directive|decision)\s+\((?:eu|eec|ec)\)\s+(?:no\s+)?\d{2,4}/\d+)"#,
        options: [.caseInsensitive])
    private static let declaredName = try! NSRegularExpression(pattern: #"\(([^()]{3,60}\bAct)\)"#)

    /// The short form of `title`.
    public static func derive(_ title: String) -> String {
        let title = title.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard title.count > limit else { return title }
        let range = NSRange(title.startIndex..., in: title)
        if let match = euAct.firstMatch(in: title, range: range), let id = Range(match.range(at: 1), in: title) {
            var short = capitalised(String(title[id]))
            if let name = declaredName.matches(in: title, range: range).last,
                let inner = Range(name.range(at: 1), in: title)
            {
                short += " (\(title[inner]))"
            }
            return short
        }
        for separator in [": ", "; ", " - ", " – "] {
            if let cut = title.range(of: separator) {
                let head = String(title[..<cut.lowerBound])
                if head.split(separator: " ").count >= 3, head.count <= limit { return head }
            }
        }
        var short = ""
        for word in title.split(separator: " ") {
            if short.count + word.count + 1 > limit - 1 { break }
            short += short.isEmpty ? String(word) : " " + word
        }
        return short + "…"
    }

    /// "REGULATION (EU) 2016/679" as "Regulation (EU) 2016/679": capitals read as shouting in a citation.
    private static func capitalised(_ identifier: String) -> String {
        let words = identifier.split(separator: " ")
        guard let first = words.first else { return identifier }
        return ([first.prefix(1).uppercased() + first.dropFirst().lowercased()] + words.dropFirst().map(String.init))
            .joined(separator: " ")
    }
}

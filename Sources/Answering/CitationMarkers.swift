import Foundation

/// The `[n]` citation markers of a generated answer, checked against the numbered sources the model was
/// given (ARCHITECTURE.md section 7: markers that name no source are removed).
public enum CitationMarkers {
    /// The source numbers cited in `text`, in order of first appearance. `[2]`, `[2, 3]` and `[2][3]` all
    /// count; numbers outside `1...sourceCount` do not.
    public static func cited(in text: String, sourceCount: Int) -> [Int] {
        var seen: [Int] = []
        for marker in markers(in: text) {
            for n in marker.numbers where (1...max(sourceCount, 1)).contains(n) && sourceCount > 0 && !seen.contains(n)
            {
                seen.append(n)
            }
        }
        return seen
    }

    /// `text` with every number that names no source dropped from its marker, and markers left empty
    /// removed.
    public static func removingInvalid(from text: String, sourceCount: Int) -> String {
        var result = ""
        var cursor = text.startIndex
        for marker in markers(in: text) {
            result += text[cursor..<marker.range.lowerBound]
            let valid = marker.numbers.filter { $0 >= 1 && $0 <= sourceCount }
            if !valid.isEmpty { result += "[" + valid.map(String.init).joined(separator: ", ") + "]" }
            cursor = marker.range.upperBound
        }
        result += text[cursor...]
        return result
    }

    private static let pattern = try! NSRegularExpression(pattern: #"\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\]"#)

    private static func markers(in text: String) -> [(range: Range<String.Index>, numbers: [Int])] {
        let ns = text as NSString
        return pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { match in
            guard let range = Range(match.range, in: text), let inner = Range(match.range(at: 1), in: text) else {
                return nil
            }
            let numbers = text[inner].split(separator: ",").compactMap {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            return (range, numbers)
        }
    }
}

/// The check made on every answer before it is returned (DESIGN section 7): citation markers that name no
/// source are removed, the cited sources are listed, and the answer is `grounded` when every paragraph cites
/// at least one source.
public struct GroundingCheck: Sendable, Hashable {
    /// The answer with invalid markers removed.
    public var text: String
    /// The valid source numbers cited, in order of first appearance.
    public var citedSources: [Int]
    /// Every non-empty paragraph cites a source (and there is at least one paragraph).
    public var grounded: Bool

    /// Checks `text` against sources numbered `1...sourceCount`.
    public init(text: String, sourceCount: Int) {
        let cleaned = CitationMarkers.removingInvalid(from: text, sourceCount: sourceCount)
        let paragraphs = Self.paragraphs(of: cleaned)
        self.text = cleaned
        self.citedSources = CitationMarkers.cited(in: cleaned, sourceCount: sourceCount)
        self.grounded =
            !paragraphs.isEmpty
            && paragraphs.allSatisfy { !CitationMarkers.cited(in: $0, sourceCount: sourceCount).isEmpty }
    }

    /// The paragraphs of `text`: runs of lines that are not blank, joined by `\n`.
    public static func paragraphs(of text: String) -> [String] {
        var paragraphs: [String] = []
        var current: [Substring] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")) }
        return paragraphs
    }
}

import Foundation

/// Reads on past the end of a passage whose enumeration the chunk window cut off, so the answer can quote
/// the list rather than its first point and "The list continues in the source.", and back before a passage
/// that opens inside a list, so a point is quoted under its lead-in.
public enum PassageContinuation {
    /// Whether `text` ends inside an enumeration: its last whole statement is a lead-in ("shall be
    /// prohibited:") or a point that announces another ("...;", "...; or").
    public static func endsInsideList(_ text: String) -> Bool {
        guard let last = ProvisionStatements.statements(of: text).last else { return false }
        switch last.kind {
        case .leadIn: return true
        case .point: return ExtractiveAnswerer.continuesList(last.text)
        case .sentence: return false
        }
    }

    /// Whether `text` opens inside an enumeration: its first whole statement is a point.
    public static func startsInsideList(_ text: String) -> Bool {
        ProvisionStatements.statements(of: text).first?.kind == .point
    }

    /// `passages` read back (``precede(_:first:preceding:)``) and on (``extend(_:first:maxChunks:following:)``)
    /// where a list crosses their edges: what `aigov ask` and the query route hand to the answerer.
    public static func complete(
        _ passages: [Passage],
        preceding: (String) async throws -> (chunkID: String, text: String)?,
        following: (String) async throws -> (chunkID: String, text: String)?
    ) async -> [Passage] {
        await extend(await precede(passages, preceding: preceding), following: following)
    }

    /// `passages` with each of the first `count` that opens inside a list preceded by the text before it
    /// (one chunk at most: the lead-in of a list that spans more is not sought further).
    public static func precede(
        _ passages: [Passage], first count: Int = 3,
        preceding: (String) async throws -> (chunkID: String, text: String)?
    ) async -> [Passage] {
        var result = passages
        for index in result.indices.prefix(count) where startsInsideList(result[index].text) {
            guard let before = try? await preceding(result[index].chunkID), !before.text.isEmpty else { continue }
            let joiner = before.text.last?.isWhitespace == true ? "" : "\n"
            result[index].text = before.text + joiner + result[index].text
        }
        return result
    }

    /// `passages` with each of the first `count` extended, while it ends inside a list, by the text that
    /// follows it (at most `maxChunks` more chunks). `following` gives the next chunk of a chunk id within
    /// the same provision (its id and new text), or nil; a failure there leaves the passage as it is.
    public static func extend(
        _ passages: [Passage], first count: Int = 3, maxChunks: Int = 2,
        following: (String) async throws -> (chunkID: String, text: String)?
    ) async -> [Passage] {
        var result = passages
        for index in result.indices.prefix(count) {
            var chunkID = result[index].chunkID
            var added = 0
            while added < maxChunks, endsInsideList(result[index].text) {
                guard let next = try? await following(chunkID), !next.text.isEmpty else { break }
                // Text that starts where the passage ended keeps its own spacing; after a gap, a line break joins
                // a mid-sentence cut as a wrapped line and keeps whole lines apart.
                let joiner = next.text.first?.isWhitespace == true ? "" : "\n"
                result[index].text += joiner + next.text
                chunkID = next.chunkID
                added += 1
            }
        }
        return result
    }
}

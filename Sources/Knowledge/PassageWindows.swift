import Documents
import Store

/// The windows of a chunk: runs of whole sentences of at most ``maxWords`` words, each embedded besides the
/// chunk's whole text and stored with its index record (`IndexRecord.windows`).
///
/// Why: a chunk of ten sentences embeds as something like their average, so a learner's question that one
/// sentence answers well ("can I act on a face-recognition match straight away?") matches the chunk only
/// vaguely and loses to chunks vaguely like the whole question. Dense search scores a chunk by its own vector
/// and its best window together (`RankingOptions.windowShare`); the measurements are in docs/BENCHMARKS.md
/// ("Governance ranking experiments", windows). 64 words keeps a window well inside the 128 word pieces
/// all-MiniLM-L6-v2 was trained on, with the heading in front.
enum PassageWindows {
    /// Words per window at most; a longer sentence is cut into overlapping runs of this many words.
    static let maxWords = 64

    /// The windows of `chunk`, each opened by the chunk's heading unless it already holds it; empty when the
    /// chunk is one window (its own vector says it all).
    static func windows(of chunk: StoredChunk) -> [String] {
        windows(text: chunk.text, heading: chunk.headingPath.last)
    }

    static func windows(text: String, heading: String?) -> [String] {
        var packed: [[Substring]] = []
        var current: [Substring] = []
        for piece in sentences(of: text).flatMap(pieces) {
            if !current.isEmpty, current.count + piece.count > maxWords {
                packed.append(current)
                current = []
            }
            current += piece
        }
        if !current.isEmpty { packed.append(current) }
        guard packed.count > 1 else { return [] }
        let context =
            heading.map {
                $0.split(whereSeparator: \.isWhitespace).prefix(KnowledgeBase.maxHeadingWords).joined(separator: " ")
            } ?? ""
        return packed.map { words in
            let window = words.joined(separator: " ")
            return context.isEmpty || window.contains(context) ? window : context + "\n" + window
        }
    }

    /// `text` as sentences of words: a sentence ends after a word ending in `.`, `;` or `:`, and a line opening
    /// with an enumerator (`(a)`, `12.`, `iv)`) starts one, since list points are the units a question asks for.
    static func sentences(of text: String) -> [[Substring]] {
        var sentences: [[Substring]] = []
        var current: [Substring] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(whereSeparator: \.isWhitespace)
            if let first = words.first, isEnumerator(first), !current.isEmpty {
                sentences.append(current)
                current = []
            }
            for word in words {
                current.append(word)
                if let last = word.last, last == "." || last == ";" || last == ":" {
                    sentences.append(current)
                    current = []
                }
            }
        }
        if !current.isEmpty { sentences.append(current) }
        return sentences
    }

    /// `(a)`, `(12)`, `1.`, `a)`, `iv)`: one to four lower-case letters or digits, an optional opening bracket,
    /// a closing bracket or a full stop.
    static func isEnumerator(_ word: Substring) -> Bool {
        var body = word
        guard let last = body.popLast(), last == ")" || last == "." else { return false }
        if body.first == "(" { body = body.dropFirst() }
        return (1...4).contains(body.count) && body.allSatisfy { $0.isNumber || ($0.isLetter && $0.isLowercase) }
    }

    /// A sentence as runs of at most ``maxWords`` words: a longer one is cut into runs that overlap by half
    /// while more than a run remains, so a clause near a cut is whole in one of them.
    static func pieces(_ sentence: [Substring]) -> [[Substring]] {
        var rest = sentence[...]
        var pieces: [[Substring]] = []
        while rest.count > maxWords {
            pieces.append(Array(rest.prefix(maxWords)))
            rest = rest.dropFirst(rest.count - maxWords / 2 > maxWords ? maxWords / 2 : maxWords)
        }
        if !rest.isEmpty { pieces.append(Array(rest)) }
        return pieces
    }
}

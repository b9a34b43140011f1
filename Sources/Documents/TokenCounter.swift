import EmbedCache
import Foundation

/// Counts the encoder's word pieces in a text, without `[CLS]`/`[SEP]` and without truncation. The chunker
/// relies on counts being additive over whitespace-separated parts, which holds for WordPiece (it splits on
/// whitespace before anything else).
public protocol TokenCounter: Sendable {
    /// Word pieces in `text`, untruncated, without special tokens.
    func count(_ text: String) -> Int
}

extension WordPieceTokenizer: TokenCounter {
    /// `pieceCount(_:)`: the pieces the encoder sees between `[CLS]` and `[SEP]`.
    public func count(_ text: String) -> Int { pieceCount(text) }
}

/// Counts whitespace-separated words: a stand-in for tests and for runs without a model.
public struct WhitespaceTokenCounter: TokenCounter {
    /// A counter of whitespace-separated words.
    public init() {}
    /// Whitespace-separated words in `text`.
    public func count(_ text: String) -> Int { text.split(whereSeparator: \.isWhitespace).count }
}

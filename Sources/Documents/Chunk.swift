import Foundation

/// A retrievable passage of a document (ARCHITECTURE.md section 3).
public struct Chunk: Sendable, Equatable {
    /// Stable across re-ingests: derived from the document id, the chunk text and the ordinal, so an unchanged
    /// passage keeps its id (and its embedding).
    public let chunkID: String
    /// The `Document.id` the chunk belongs to.
    public let documentID: String
    /// 0-based position in the document.
    public let ordinal: Int
    /// Exactly `Document.text[charStart..<charEnd]`.
    public let text: String
    /// The smallest structural unit the whole chunk belongs to: `Article 6(1)`, `Recital 53`, `Annex III`,
    /// `GOVERN 1.1`, `2.3 Confabulation`, a heading title, or nil when the text has no structure there.
    public let section: String?
    /// Enclosing headings, outermost first (e.g. `["CHAPTER III High-risk AI systems", "Article 6 ..."]`).
    public let headingPath: [String]
    /// 1-based pages of a PDF; nil for other inputs.
    public let pageStart: Int?
    /// Last page the chunk touches (equal to `pageStart` for a one-page chunk).
    public let pageEnd: Int?
    /// Unicode scalar offsets of `text` in `Document.text`: `charStart..<charEnd`.
    public let charStart: Int
    /// End of the chunk, exclusive.
    public let charEnd: Int
    /// Word pieces of `text` as the encoder counts them, without `[CLS]`/`[SEP]`.
    public let tokenCount: Int

    /// A chunk whose `chunkID` is derived from `documentID`, `text` and `ordinal`.
    public init(
        documentID: String, ordinal: Int, text: String, section: String?, headingPath: [String],
        pageStart: Int?, pageEnd: Int?, charStart: Int, charEnd: Int, tokenCount: Int
    ) {
        self.chunkID = Chunk.makeID(documentID: documentID, text: text, ordinal: ordinal)
        self.documentID = documentID
        self.ordinal = ordinal
        self.text = text
        self.section = section
        self.headingPath = headingPath
        self.pageStart = pageStart
        self.pageEnd = pageEnd
        self.charStart = charStart
        self.charEnd = charEnd
        self.tokenCount = tokenCount
    }

    /// SHA-256 (lowercase hex) of the chunk text: what the embedding cache and the store diff on.
    public var contentHash: String { Hashing.sha256Hex(text) }

    /// `<document id>:<ordinal>:<first 16 hex digits of SHA-256(document id NUL text)>`.
    public static func makeID(documentID: String, text: String, ordinal: Int) -> String {
        let digest = Hashing.sha256Hex(documentID + "\u{0}" + text)
        return "\(documentID):\(ordinal):\(digest.prefix(16))"
    }
}

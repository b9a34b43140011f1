/// A chunk row (ARCHITECTURE.md section 3). Mirrors the ingest pipeline's chunk without importing it: Store sits
/// below Knowledge, so the pipeline maps its chunks to this type.
public struct StoredChunk: Sendable, Equatable {
    /// Stable id: document id + hash of the chunk text + ordinal.
    public var chunkID: String
    public var documentID: String
    /// 0-based position in the document.
    public var ordinal: Int
    public var text: String
    /// Smallest structural unit (`Article 6(1)`, `GOVERN 1.1`, ...), nil when the text has no structure.
    public var section: String?
    /// Enclosing headings, outermost first; stored as a JSON array.
    public var headingPath: [String]
    /// 1-based PDF pages; nil for inputs without pages.
    public var pageStart: Int?
    public var pageEnd: Int?
    /// Unicode scalar offsets `charStart..<charEnd` in the normalised document text.
    public var charStart: Int
    public var charEnd: Int
    /// Word pieces as the encoder counts them.
    public var tokenCount: Int
    /// SHA-256 of `text`: what the index reconciles on.
    public var contentHash: String

    /// A chunk value with every column given.
    public init(
        chunkID: String, documentID: String, ordinal: Int, text: String, section: String?, headingPath: [String],
        pageStart: Int?, pageEnd: Int?, charStart: Int, charEnd: Int, tokenCount: Int, contentHash: String
    ) {
        self.chunkID = chunkID
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
        self.contentHash = contentHash
    }
}

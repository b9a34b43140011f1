/// One retrieved chunk as the answering step sees it: the text the model may quote, with what a citation
/// needs to point back to it.
///
/// The server builds these from retrieval hits and store rows, so Answering needs neither. Passages are passed
/// in rank order and numbered `1...n` in that order: `number` is the `[n]` the prompt shows and the answer
/// cites.
public struct Passage: Sendable, Hashable, Codable {
    /// 1-based source index, the `n` of `[n]`.
    public var number: Int
    public var chunkID: String
    public var documentID: String
    public var documentTitle: String
    /// Where the document comes from (a publisher or collection name, as ingested).
    public var documentSource: String
    public var documentURL: String?
    /// Smallest structural unit (`Article 6(1)`, `GOVERN 1.1`, ...), when the text has one.
    public var section: String?
    /// 1-based PDF pages, when the document has pages.
    public var pageStart: Int?
    public var pageEnd: Int?
    /// 0-based position of the chunk in its document.
    public var chunkIndex: Int
    public var text: String
    /// The retrieval score (higher is better); informational here, since rank is the order given.
    public var score: Double

    /// A passage with every field given.
    public init(
        number: Int, chunkID: String, documentID: String, documentTitle: String, documentSource: String,
        documentURL: String? = nil, section: String? = nil, pageStart: Int? = nil, pageEnd: Int? = nil,
        chunkIndex: Int, text: String, score: Double
    ) {
        self.number = number
        self.chunkID = chunkID
        self.documentID = documentID
        self.documentTitle = documentTitle
        self.documentSource = documentSource
        self.documentURL = documentURL
        self.section = section
        self.pageStart = pageStart
        self.pageEnd = pageEnd
        self.chunkIndex = chunkIndex
        self.text = text
        self.score = score
    }
}

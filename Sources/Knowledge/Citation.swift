/// One retrieved passage with where it comes from, in the old platform's field names (ARCHITECTURE.md section 8).
public struct Citation: Sendable, Equatable, Codable {
    public var content: String
    public var documentTitle: String
    public var documentSource: String
    public var documentURL: String?
    /// The chunk's ordinal in its document.
    public var chunkIndex: Int
    public var chunkID: String
    public var documentID: String
    public var section: String?
    public var pageStart: Int?
    public var pageEnd: Int?
    /// Higher is better: cosine similarity in dense mode, BM25 in lexical mode, fused RRF score in hybrid; with a
    /// reranking stage, the cross-encoder's score (by default the sigmoid of its logit).
    public var score: Double
    /// True for a passage of a page fetched from the live web for this query only (not in the knowledge base);
    /// nil (left out of JSON) for the knowledge base's own passages.
    public var liveWeb: Bool?

    /// A citation with every field given.
    public init(
        content: String, documentTitle: String, documentSource: String, documentURL: String?, chunkIndex: Int,
        chunkID: String, documentID: String, section: String?, pageStart: Int?, pageEnd: Int?, score: Double
    ) {
        self.content = content
        self.documentTitle = documentTitle
        self.documentSource = documentSource
        self.documentURL = documentURL
        self.chunkIndex = chunkIndex
        self.chunkID = chunkID
        self.documentID = documentID
        self.section = section
        self.pageStart = pageStart
        self.pageEnd = pageEnd
        self.score = score
    }

    enum CodingKeys: String, CodingKey {
        case content
        case documentTitle = "document_title"
        case documentSource = "document_source"
        case documentURL = "document_url"
        case liveWeb = "live_web"
        case chunkIndex = "chunk_index"
        case chunkID = "chunk_id"
        case documentID = "document_id"
        case section
        case pageStart = "page_start"
        case pageEnd = "page_end"
        case score
    }

    /// Encodes nil fields as JSON null rather than leaving them out, so clients always see every key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(content, forKey: .content)
        try container.encode(documentTitle, forKey: .documentTitle)
        try container.encode(documentSource, forKey: .documentSource)
        try container.encode(documentURL, forKey: .documentURL)
        try container.encode(chunkIndex, forKey: .chunkIndex)
        try container.encode(chunkID, forKey: .chunkID)
        try container.encode(documentID, forKey: .documentID)
        try container.encode(section, forKey: .section)
        try container.encode(pageStart, forKey: .pageStart)
        try container.encode(pageEnd, forKey: .pageEnd)
        try container.encode(score, forKey: .score)
        try container.encodeIfPresent(liveWeb, forKey: .liveWeb)
    }
}

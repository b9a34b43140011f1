/// Which rankings a search uses.
public enum SearchMode: String, Sendable, Codable, CaseIterable {
    /// Vector similarity only.
    case dense
    /// BM25 only.
    case lexical
    /// Reciprocal-rank fusion of the dense and lexical rankings.
    case hybrid
}

/// A top-k request.
public struct SearchQuery: Sendable {
    /// Query embedding; required for `dense`, used by `hybrid` when present.
    public var vector: [Float]?
    /// Query text; required for `lexical`, used by `hybrid` when present.
    public var text: String?
    /// Dense, lexical or hybrid.
    public var mode: SearchMode
    /// How many results to return.
    public var k: Int
    /// HNSW breadth for this query (default from the configuration).
    public var ef: Int?
    /// Restriction on record fields; empty admits everything.
    public var filter: SearchFilter
    /// How deep each ranking goes before fusion in hybrid mode (default `max(50, 4k)`).
    public var fusionDepth: Int?
    /// Fusion weights and structure priors of hybrid mode (default: plain RRF).
    public var ranking: RankingOptions

    /// A query; set `vector`, `text` or both according to `mode`.
    public init(
        vector: [Float]? = nil, text: String? = nil, mode: SearchMode = .hybrid, k: Int = 10, ef: Int? = nil,
        filter: SearchFilter = SearchFilter(), fusionDepth: Int? = nil, ranking: RankingOptions = .plain
    ) {
        self.ranking = ranking
        self.vector = vector
        self.text = text
        self.mode = mode
        self.k = k
        self.ef = ef
        self.filter = filter
        self.fusionDepth = fusionDepth
    }
}

/// One search result.
public struct SearchHit: Sendable, Equatable {
    /// The record id.
    public var id: String
    /// The ranking score for the mode: cosine similarity (or negative squared distance under l2) for
    /// dense, BM25 for lexical, the fused reciprocal-rank score for hybrid.
    public var score: Double
    /// 1-based rank in the dense list, if the record was in it.
    public var denseRank: Int?
    /// 1-based rank in the lexical list, if the record was in it.
    public var lexicalRank: Int?
    /// The document the record belongs to (filterable).
    public var documentID: String
    /// The record's section.
    public var section: String
}

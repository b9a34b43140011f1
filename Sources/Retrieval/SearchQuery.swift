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
    /// How deep each ranking goes before fusion in hybrid mode (default ``defaultFusionDepth(k:)``).
    public var fusionDepth: Int?

    /// How deep each ranking goes before fusion or window re-scoring, unless a query says otherwise: 50 for every
    /// `k` up to 50 (the API's most), `4k` beyond. One depth for every `k` a client can ask for makes the results
    /// for a larger `k` begin with those for a smaller one, where `max(50, 4k)` reordered the first five once more
    /// than twelve were asked for. The default `k` (5, 10) searched 50-deep lists before and still does. Beyond
    /// 50, asked for only by `aigov eval beir` (200 passages to find 100 documents), the lists stay four times
    /// deeper, as SciFact's figures were measured (docs/BENCHMARKS.md, "Result lists that grow").
    public static func defaultFusionDepth(k: Int) -> Int { k <= 50 ? 50 : 4 * k }
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

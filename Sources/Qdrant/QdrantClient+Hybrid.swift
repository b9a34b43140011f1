// One search of a hybrid collection as one request (ARCHITECTURE.md, "Hybrid search inside Qdrant"): the Query
// API's batch endpoint carries the fused search and the two lookups the local ranking also makes.
import Foundation
import Retrieval
import TextAnalysis

/// What one hybrid search asks Qdrant.
public struct QdrantHybridQuery: Sendable {
    /// The question's embedding; nil for a lexical search.
    public var dense: [Float]?
    /// The weight of the best window's cosine against the chunk's (``RankingOptions/windowShare``); 0 ranks by
    /// the chunk vector alone.
    public var windowShare: Double = 0
    /// The question's BM25 terms (``SparseBM25/query(_:)``); nil or empty for a dense search.
    public var sparse: SparseBM25.Vector?
    /// Candidates taken from each list (the fusion depth).
    public var depth: Int
    /// Points returned by the fused search.
    public var limit: Int
    /// Reciprocal-rank fusion's constant in aigov's form, `1 / (k + rank)` with 1-based ranks.
    public var fusionK: Double = 60
    public var denseWeight: Double = 1
    /// The filter Qdrant applies to every list.
    public var filter: SearchFilter = SearchFilter()
    /// BM25 queries of the definitions lookup ("'X' means"), each answered by its own list of 30.
    public var definitions: [SparseBM25.Vector] = []
    /// Lower-cased provision labels (`article 50`) whose points are listed, up to 256.
    public var provisions: [String] = []

    public init(dense: [Float]?, sparse: SparseBM25.Vector?, depth: Int, limit: Int) {
        self.dense = dense
        self.sparse = sparse
        self.depth = depth
        self.limit = limit
    }
}

/// The lists one hybrid search got back, each best first.
public struct QdrantHybridResult: Sendable {
    public var fused: [QdrantScoredPoint]
    /// One list per ``QdrantHybridQuery/definitions`` query.
    public var definitions: [[QdrantScoredPoint]]
    public var provisions: [QdrantScoredPoint]
}

extension QdrantClient {
    /// Runs `query` as one `POST /collections/{c}/points/query/batch`.
    ///
    /// The fused search is two prefetches fused by reciprocal rank: the dense one (chunk cosine, re-scored as
    /// `(1 - share) * chunk cosine + share * best window cosine` by a formula over a nested prefetch that scores the
    /// same candidates against the `windows` multivector) and the sparse BM25 one (Qdrant applies the IDF). Qdrant
    /// writes RRF as `1 / (k + rank - 1)` with 1-based ranks, so aigov's `k` is sent as `k + 1`.
    public func hybridQuery(_ query: QdrantHybridQuery) async throws(QdrantError) -> QdrantHybridResult {
        guard query.depth > 0, query.limit > 0 else {
            throw QdrantError(.invalidConfiguration, "the query depth and limit must be positive")
        }
        let filter = Self.filterJSON(query.filter, provisions: [])
        var searches: [[String: Any]] = []
        var fused = Self.fusedSearch(query, filter: filter)
        fused["with_payload"] = true
        searches.append(fused)
        for definition in query.definitions where !definition.isEmpty {
            var search = Self.sparseSearch(definition, limit: 30, filter: filter)
            search["with_payload"] = true
            searches.append(search)
        }
        let definitionCount = searches.count - 1
        if !query.provisions.isEmpty {
            var search: [String: Any] = ["limit": 256, "with_payload": true]
            search["filter"] = Self.filterJSON(query.filter, provisions: query.provisions)
            searches.append(search)
        }
        let body: Data
        do {
            body = try JSONSerialization.data(withJSONObject: ["searches": searches])
        } catch {
            throw QdrantError(.invalidConfiguration, "the query could not be encoded")
        }
        let results: [QdrantBodies.QueryResult] = try await call(
            .POST, collectionPath + "/points/query/batch", body: body)
        guard results.count == searches.count else {
            throw QdrantError(
                .badResponse,
                "\(configuration.hostForMessages) answered a batch query with "
                    + "\(results.count) results for \(searches.count) searches")
        }
        func points(_ result: QdrantBodies.QueryResult) -> [QdrantScoredPoint] {
            result.points.map { QdrantScoredPoint(id: $0.id.value, score: $0.score, payload: $0.payload) }
        }
        return QdrantHybridResult(
            fused: points(results[0]), definitions: results[1..<(1 + definitionCount)].map(points),
            provisions: query.provisions.isEmpty ? [] : points(results[results.count - 1]))
    }

    /// The fused search: both lists fused, or the one list a dense or lexical search has.
    private static func fusedSearch(_ query: QdrantHybridQuery, filter: Any?) -> [String: Any] {
        let dense = query.dense.map { denseSearch($0, share: query.windowShare, depth: query.depth, filter: filter) }
        let sparse = query.sparse.flatMap { $0.isEmpty ? nil : sparseSearch($0, limit: query.depth, filter: filter) }
        switch (dense, sparse) {
        case (let dense?, let sparse?):
            var rrf: [String: Any] = ["k": max(1, Int((query.fusionK + 1).rounded()))]
            if query.denseWeight != 1 { rrf["weights"] = [query.denseWeight, 1] }
            return ["prefetch": [dense, sparse], "query": ["rrf": rrf], "limit": query.limit]
        case (var single?, nil), (nil, var single?):
            single["limit"] = query.limit
            return single
        case (nil, nil):
            // Nothing to rank by (a question of stopwords only): a search that matches nothing.
            return [
                "query": ["indices": [Int](), "values": [Double]()], "using": QdrantCollectionSchema.sparseVector,
                "limit": query.limit,
            ]
        }
    }

    private static func denseSearch(_ vector: [Float], share: Double, depth: Int, filter: Any?) -> [String: Any] {
        var chunk: [String: Any] = ["query": vector, "using": QdrantCollectionSchema.denseVector, "limit": depth]
        if let filter { chunk["filter"] = filter }
        guard share > 0 else { return chunk }
        // The same candidates scored against their windows: Qdrant's max-sim of one query vector is the best
        // window's cosine.
        let windows: [String: Any] = [
            "prefetch": [chunk], "query": [vector], "using": QdrantCollectionSchema.windowsVector, "limit": depth,
        ]
        let formula: [String: Any] = [
            "sum": [["mult": [1 - share, "$score[0]"]], ["mult": [share, "$score[1]"]]]
        ]
        return [
            "prefetch": [chunk, windows], "query": ["formula": formula, "defaults": [String: Any]()], "limit": depth,
        ]
    }

    private static func sparseSearch(_ vector: SparseBM25.Vector, limit: Int, filter: Any?) -> [String: Any] {
        var search: [String: Any] = [
            "query": ["indices": vector.indices.map(Int.init), "values": vector.values],
            "using": QdrantCollectionSchema.sparseVector, "limit": limit,
        ]
        if let filter { search["filter"] = filter }
        return search
    }

    /// The payload filter of `filter` (document ids, sources, types), plus `provisions` when given, as JSON; nil for
    /// none. A section prefix is not in it: sections carry titles ("Article 9 Risk management system" continues
    /// "Article 9"), which no Qdrant match expresses, so the caller filters it from a deeper list.
    static func filterJSON(_ filter: SearchFilter, provisions: [String]) -> Any? {
        var must: [[String: Any]] = []
        func condition(_ key: String, _ values: [String]) -> [String: Any] {
            ["key": key, "match": ["any": values]]
        }
        if let ids = filter.documentIDs { must.append(condition("document_id", ids.sorted())) }
        if let sources = filter.sources { must.append(condition("source", sources.sorted())) }
        if let types = filter.docTypes { must.append(condition("doc_type", types.sorted())) }
        if !provisions.isEmpty { must.append(condition("provision", provisions)) }
        return must.isEmpty ? nil : ["must": must]
    }
}

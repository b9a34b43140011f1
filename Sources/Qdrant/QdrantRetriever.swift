import ConcurrencySupport
import Foundation
import Knowledge
import Retrieval
import Store
import Synchronization
import TextAnalysis

/// Search with `RETRIEVAL_BACKEND=qdrant` (ARCHITECTURE.md, "Hybrid search inside Qdrant").
///
/// On a hybrid collection (``QdrantCollectionSchema/hybrid(size:)``, what the mirror builds) the whole ranking
/// comes from Qdrant in one request (``QdrantClient/hybridQuery(_:)``): the dense list with window scoring, the
/// BM25 list with the learner vocabulary, both fused by reciprocal rank, and the lookups' lists; the structure
/// priors, the definitions lookup and the provision lookup then re-order the fused candidates exactly as the local
/// index does, from the points' payloads. No local index is read, so a replica with ``stateless`` set answers
/// with none.
///
/// On a collection of one unnamed vector (made before hybrid search, until the mirror has migrated it), the dense
/// ranking comes from Qdrant and BM25 from the local index, fused here.
///
/// When Qdrant fails (down, timing out, refusing), a replica with a local index answers from it and says so in
/// ``Outcome/fallback``; a stateless replica fails the search with the ``QdrantError``.
public final class QdrantRetriever: Sendable {
    /// Results and how they were obtained.
    public struct Outcome: Sendable {
        public var citations: [Citation]
        /// Why Qdrant was not used, when the local index answered instead.
        public var fallback: QdrantError?
    }

    public let knowledgeBase: KnowledgeBase
    public let client: QdrantClient
    /// True when the replica keeps no local index (`QDRANT_LOCAL_INDEX=false`): no fallback, no local BM25.
    public let stateless: Bool
    private let layout = Mutex<(info: QdrantCollectionInfo, read: ContinuousClock.Instant)?>(nil)

    /// How long the collection's layout is trusted before it is read again (a migration switches it).
    static let layoutLifetime = Duration.seconds(10)

    /// A retriever over `knowledgeBase` (embedder, ranking settings, local fallback) and `client`'s collection.
    public init(knowledgeBase: KnowledgeBase, client: QdrantClient, stateless: Bool = false) {
        self.knowledgeBase = knowledgeBase
        self.client = client
        self.stateless = stateless
    }

    /// The `topK` best passages for `text`, best first, ranked as ``KnowledgeBase/retrieve(_:topK:mode:filter:)``
    /// ranks them.
    public func retrieve(
        _ text: String, topK: Int = 5, mode: SearchMode = .hybrid, filter: SearchFilter = SearchFilter()
    ) async throws -> Outcome {
        guard topK > 0 else { throw RetrievalError(.invalidArgument, "k must be positive") }
        if mode == .lexical, !stateless {
            return Outcome(citations: try await knowledgeBase.retrieve(text, topK: topK, mode: mode, filter: filter))
        }
        do {
            return Outcome(citations: try await fromQdrant(text, topK: topK, mode: mode, filter: filter))
        } catch let error as QdrantError {
            guard !stateless else { throw error }
            let local = try await knowledgeBase.retrieve(text, topK: topK, mode: mode, filter: filter)
            return Outcome(citations: local, fallback: error)
        }
    }

    /// The ranking from Qdrant. A request refused because the collection changed under the cached layout (a
    /// migration's switch; a collection of one vector replaced by its alias, with a moment between the two in which
    /// neither exists) is tried again, twice at most, with the layout read again.
    private func fromQdrant(
        _ text: String, topK: Int, mode: SearchMode, filter: SearchFilter
    ) async throws -> [Citation] {
        var retries = 0
        while true {
            do {
                let info = try await collectionLayout()
                if case .hybrid = info.schema, let metadata = info.hybrid {
                    return try await hybrid(text, topK: topK, mode: mode, filter: filter, bm25: metadata.bm25)
                }
                return try await singleVector(text, topK: topK, mode: mode, filter: filter)
            } catch let error as QdrantError where retries < 2 && (error.code == .badRequest || error.code == .notFound)
            {
                layout.withLock { $0 = nil }
                retries += 1
                try await Task.sleep(for: .milliseconds(50 * retries))
            }
        }
    }

    /// The collection's layout, read at most every ``layoutLifetime``.
    func collectionLayout() async throws -> QdrantCollectionInfo {
        let now = ContinuousClock.now
        if let cached = layout.withLock({ $0 }), cached.read.duration(to: now) < Self.layoutLifetime {
            return cached.info
        }
        guard let info = try await client.collectionInfo() else {
            throw QdrantError(.notFound, "collection \(client.configuration.collection) does not exist yet")
        }
        layout.withLock { $0 = (info, now) }
        return info
    }

    // MARK: Hybrid collections

    private func hybrid(
        _ text: String, topK: Int, mode: SearchMode, filter: SearchFilter, bm25: SparseBM25
    ) async throws -> [Citation] {
        let ranking = knowledgeBase.options.ranking
        let fused = mode == .hybrid
        let vector = mode == .lexical ? nil : try await knowledgeBase.queryEmbedder.embed([ranking.denseText(text)])[0]
        let lexicalText = fused ? ranking.lexicalText(text) : text
        // As the local index: fusion and window scoring re-order a deeper list than the topK returned. A section
        // prefix Qdrant cannot filter exactly is filtered here, from a deeper list still.
        var depth = fused || (vector != nil && ranking.windowShare > 0) ? SearchQuery.defaultFusionDepth(k: topK) : topK
        if filter.sectionPrefix != nil { depth = min(max(8 * depth, 256), 4096) }
        var query = QdrantHybridQuery(
            dense: vector, sparse: mode == .dense ? nil : bm25.query(lexicalText), depth: depth,
            limit: fused ? 2 * depth : depth)
        query.windowShare = ranking.windowShare
        query.fusionK = ranking.fusionK
        query.denseWeight = ranking.denseWeight
        query.filter = filter
        let definitions = DefinitionLookup(question: text, vocabulary: ranking.vocabulary)
        if fused, ranking.definitions, definitions.isActive {
            query.definitions = definitions.terms.map { bm25.query($0 + " means") }
        }
        let provisions = ProvisionLookup(question: text)
        if fused, ranking.provisions, provisions.isActive { query.provisions = provisions.labels }

        let result = try await client.hybridQuery(query)
        var payloads: [String: QdrantChunkPayload] = [:]
        func admitted(_ points: [QdrantScoredPoint]) -> [QdrantScoredPoint] {
            points.filter { point in
                guard let payload = point.payload else { return false }
                if let prefix = filter.sectionPrefix, !SearchFilter.section(payload.section ?? "", continues: prefix) {
                    return false
                }
                if payloads[point.id] == nil { payloads[point.id] = payload }
                return true
            }
        }
        var ranked = admitted(result.fused).map { (id: $0.id, score: $0.score) }
        if fused {
            let priors = StructurePriors(ranking, question: text)
            func fields(_ id: String) -> (documentID: String, section: String) {
                (payloads[id]?.documentID ?? "", payloads[id]?.section ?? "")
            }
            if priors.isActive {
                ranked = priors.apply(ranked, fields: fields) { id, type in
                    type.isStated(in: payloads[id]?.text ?? "")
                }
            }
            if !query.provisions.isEmpty {
                ranked = provisionsFirst(ranked, admitted(result.provisions), provisions, payloads, priors)
            }
            if !query.definitions.isEmpty {
                var chosen: [String] = []
                for point in result.definitions.flatMap(admitted) {
                    let payload = payloads[point.id]!
                    if !priors.namedDocuments.isEmpty,
                        !DocumentNames.matches(payload.documentID, priors.namedDocuments)
                    {
                        continue
                    }
                    guard !chosen.contains(point.id) else { continue }
                    if definitions.defines(payload.text)
                        || definitions.glossaryDefines(section: payload.section, text: payload.text)
                    {
                        chosen.append(point.id)
                    }
                }
                ranked = RetrievalIndex.placedFirst(Array(chosen.prefix(3)), in: ranked)
            }
        }
        return ranked.prefix(topK).compactMap { item in payloads[item.id].map { Self.citation($0, score: item.score) } }
    }

    /// `ranked` with the named provisions' passages first, as the local index places them: per document the
    /// provision's best-ranked passage (its first, by position in the document, when the fusion did not reach
    /// it), at most two documents, those the question names when it names any.
    private func provisionsFirst(
        _ ranked: [(id: String, score: Double)], _ candidates: [QdrantScoredPoint], _ lookup: ProvisionLookup,
        _ payloads: [String: QdrantChunkPayload], _ priors: StructurePriors
    ) -> [(id: String, score: Double)] {
        let rank = Dictionary(ranked.enumerated().map { ($1.id, $0) }, uniquingKeysWith: min)
        var best: [String: (id: String, rank: Int)] = [:]
        for point in candidates {
            guard let payload = payloads[point.id], lookup.covers(section: payload.section ?? "") else { continue }
            if !priors.namedDocuments.isEmpty, !DocumentNames.matches(payload.documentID, priors.namedDocuments) {
                continue
            }
            let position = rank[point.id] ?? (ranked.count + payload.chunkIndex)
            if let current = best[payload.documentID], current.rank <= position { continue }
            best[payload.documentID] = (point.id, position)
        }
        let first = best.values.sorted { $0.rank != $1.rank ? $0.rank < $1.rank : $0.id < $1.id }.prefix(2)
        return RetrievalIndex.placedFirst(first.map(\.id), in: ranked)
    }

    // MARK: Collections of one unnamed vector

    private func singleVector(
        _ text: String, topK: Int, mode: SearchMode, filter: SearchFilter
    ) async throws -> [Citation] {
        let vector = try await knowledgeBase.queryEmbedder.embed([text])[0]
        let windowShare = stateless ? 0 : knowledgeBase.options.ranking.windowShare
        // Fusion and window re-scoring both re-order a deeper candidate list than the topK returned.
        let depth = mode == .hybrid || windowShare > 0 ? SearchQuery.defaultFusionDepth(k: topK) : topK
        let dense = try await client.query(vector: vector, limit: depth, filter: filter)
        var denseCitations = dense.compactMap { point in
            point.payload.map { Self.citation($0, score: point.score) }
        }
        if windowShare > 0 {
            // The same window scoring as the local backend, from the windows the local index holds.
            let index = knowledgeBase.index
            let ranked = denseCitations.map { (id: $0.chunkID, score: Float($0.score)) }
            let rescored = try await blocking { index.rescoredByWindows(ranked, query: vector, share: windowShare) }
            let byID = Dictionary(denseCitations.map { ($0.chunkID, $0) }, uniquingKeysWith: { first, _ in first })
            denseCitations = rescored.compactMap { item in
                byID[item.id].map { citation in
                    var citation = citation
                    citation.score = Double(item.score)
                    return citation
                }
            }
        }
        // Without a local index there is no BM25 to fuse: the dense ranking alone until the migration is done.
        guard mode == .hybrid, !stateless else { return Array(denseCitations.prefix(topK)) }

        let index = knowledgeBase.index
        let lexical = try await blocking {
            try index.search(SearchQuery(text: text, mode: .lexical, k: depth, filter: filter))
        }
        let fused = RankFusion.reciprocalRank([denseCitations.map(\.chunkID), lexical.map(\.id)]).prefix(topK)
        let byID = Dictionary(denseCitations.map { ($0.chunkID, $0) }, uniquingKeysWith: { first, _ in first })
        let lexicalOnly = fused.filter { byID[$0.id] == nil }.map { (id: $0.id, score: $0.score) }
        let fromStore = Dictionary(
            try await knowledgeBase.citations(for: lexicalOnly).map { ($0.chunkID, $0) },
            uniquingKeysWith: { first, _ in first })
        return fused.compactMap { item -> Citation? in
            guard var citation = byID[item.id] ?? fromStore[item.id] else { return nil }
            citation.score = item.score
            return citation
        }
    }

    static func citation(_ payload: QdrantChunkPayload, score: Double) -> Citation {
        Citation(
            content: payload.text, documentTitle: payload.title, documentSource: payload.source,
            documentURL: payload.url, chunkIndex: payload.chunkIndex, chunkID: payload.chunkID,
            documentID: payload.documentID, section: payload.section, pageStart: payload.pageStart,
            pageEnd: payload.pageEnd, score: score)
    }
}

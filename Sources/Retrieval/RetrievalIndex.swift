import ConcurrencySupport
import Foundation
import TextAnalysis

/// The retrieval index: records with vectors, text and filterable fields, answering dense, lexical and
/// hybrid top-k queries; optionally persisted crash-safely in a directory.
///
/// Concurrency: any number of searches run in parallel; writes are serialised (one writer) and hold the
/// exclusive lock only to publish each record, so searches are not stalled by fsync; the graph likewise links
/// a new row while searches run and locks them out only to append and publish it (``HNSWIndex``; measured in
/// docs/BENCHMARKS.md, "Searches while the graph grows").
/// A write is acknowledged (the call returns) only after its log record is fsynced.
public final class RetrievalIndex: @unchecked Sendable {
    // @unchecked: `state` is read under `lock`'s shared mode and replaced or mutated under its exclusive
    // mode; `directory` is only touched while holding `writer`.

    /// The settings the index was created or opened with.
    public let configuration: IndexConfiguration
    private let lock = ReadWriteLock()
    private let writer = Lock()
    private var state: IndexState
    private let directory: IndexDirectory?
    private let tokenizer: Tokenizer

    /// An index held in memory only.
    public init(configuration: IndexConfiguration) {
        precondition(configuration.dimension > 0, "dimension must be positive")
        self.configuration = configuration
        state = IndexState(configuration: configuration)
        directory = nil
        tokenizer = Tokenizer(stemming: configuration.stemming)
    }

    private init(configuration: IndexConfiguration, state: IndexState, directory: IndexDirectory) {
        self.configuration = configuration
        self.state = state
        self.directory = directory
        tokenizer = Tokenizer(stemming: configuration.stemming)
    }

    /// Opens the index stored in `directory`, creating it if the directory holds none, and replays the
    /// writes logged since the last snapshot.
    ///
    /// - Throws: ``RetrievalError`` with code `configurationMismatch` if the stored index has another
    ///   dimension or metric, `unsupportedVersion`, `truncatedFile`, `checksumMismatch`, `notAnIndexFile`
    ///   or `corruptManifest` for damaged files, `io` for failing system calls.
    public static func open(directory path: String, configuration: IndexConfiguration) throws -> RetrievalIndex {
        let (directory, state, operations) = try IndexDirectory.open(path: path, configuration: configuration)
        let index = RetrievalIndex(configuration: configuration, state: state, directory: directory)
        try index.writer.withLock {
            for operation in operations {
                switch operation {
                case .upsert(let records): try index.apply(records)
                case .delete(let ids): index.applyDelete(ids)
                }
            }
            try index.rebuildIfNeeded()
            index.quantizeIfLarge(index.state)
        }
        return index
    }

    /// Number of live records.
    public var count: Int { lock.withReadLock { state.liveCount } }

    /// Ids of all live records, sorted.
    public var ids: [String] { lock.withReadLock { state.labels.keys.sorted() } }

    /// The record stored under `id` (its vector normalised under cosine), or nil.
    public func record(id: String) -> IndexRecord? {
        lock.withReadLock {
            guard let label = state.labels[id], let fields = state.fields[Int(label)] else { return nil }
            let dimension = configuration.dimension
            return IndexRecord(
                id: fields.id, vector: state.graph.vector(label), text: fields.text, documentID: fields.documentID,
                source: fields.source, docType: fields.docType, section: fields.section,
                windows: stride(from: 0, to: fields.windows.count, by: dimension).map {
                    Array(fields.windows[$0..<$0 + dimension])
                }, citation: fields.citation)
        }
    }

    // MARK: - Writes

    /// Inserts records, replacing any with the same id; the batch is logged as one atomic write.
    public func upsert(_ records: [IndexRecord]) throws {
        guard !records.isEmpty else { return }
        for record in records {
            try validate(record.vector)
            for window in record.windows { try validate(window) }
        }
        let records = configuration.metric == .cosine ? records.map(Self.withUnitWindows) : records
        try writer.withLock {
            try directory?.append(.upsert(records))
            try apply(records)
            try afterWrite()
        }
    }

    /// Deletes the records with these ids; returns how many existed.
    @discardableResult
    public func delete(ids: [String]) throws -> Int {
        try writer.withLock {
            var seen = Set<String>()
            let existing = lock.withReadLock { ids.filter { state.labels[$0] != nil && seen.insert($0).inserted } }
            guard !existing.isEmpty else { return 0 }
            try directory?.append(.delete(existing))
            applyDelete(existing)
            try afterWrite()
            return existing.count
        }
    }

    /// Writes a snapshot and starts an empty log, so reopening does not replay the log. A no-op in memory.
    public func checkpoint() throws {
        try writer.withLock {
            guard let directory else { return }
            try lock.withReadLock { try directory.checkpoint(state) }
        }
    }

    /// `record` with its window vectors scaled to unit length, so a window's cosine is a dot product.
    private static func withUnitWindows(_ record: IndexRecord) -> IndexRecord {
        var record = record
        // `validate` refused zero windows under cosine, so each has a direction.
        record.windows = record.windows.map { VectorMath.normalized($0) ?? $0 }
        return record
    }

    private func validate(_ vector: [Float]) throws {
        guard vector.count == configuration.dimension else {
            throw RetrievalError(
                .dimensionMismatch, "vector has \(vector.count) dimensions, index has \(configuration.dimension)")
        }
        guard vector.allSatisfy(\.isFinite) else {
            throw RetrievalError(.invalidVector, "vector has a non-finite component")
        }
        if configuration.metric == .cosine && !vector.contains(where: { $0 != 0 }) {
            throw RetrievalError(.invalidVector, "a zero vector has no direction under the cosine metric")
        }
    }

    /// Adds records to the graph one by one and publishes each under the exclusive lock. Caller holds
    /// `writer`, so `state` cannot be replaced meanwhile.
    private func apply(_ records: [IndexRecord]) throws {
        let current = state
        let threads = configuration.insertThreads
        guard threads > 1, records.count >= IndexConfiguration.parallelInsertRows else {
            for record in records {
                let label = try current.graph.add(record.vector)
                let tokens = tokenizer.tokens(record.text)
                lock.withWriteLock { current.register(label: label, fields: StoredFields(record), tokens: tokens) }
            }
            return
        }
        // A large write links its rows on several threads. Rows linked before they are registered are not live,
        // so searches skip them until the registration below.
        for record in records where record.vector.count != configuration.dimension {
            throw RetrievalError(
                .dimensionMismatch,
                "vector has \(record.vector.count) dimensions, index has \(configuration.dimension)")
        }
        var flat = [Float]()
        flat.reserveCapacity(records.count * configuration.dimension)
        for record in records { flat += record.vector }
        var failure: Error?
        let labels: Range<Int>
        let first = current.graph.count
        do {
            labels = try flat.withUnsafeBufferPointer { buffer throws(RetrievalError) in
                try current.graph.add(contentsOf: buffer.baseAddress!, count: records.count, threads: threads)
            }
        } catch {
            // The rows before the bad one are in the graph: register those, as one-at-a-time writes would have.
            failure = error
            labels = first..<current.graph.count
        }
        let tokens = records.prefix(labels.count).map { tokenizer.tokens($0.text) }
        lock.withWriteLock {
            for (offset, label) in labels.enumerated() {
                current.register(label: UInt32(label), fields: StoredFields(records[offset]), tokens: tokens[offset])
            }
        }
        if let failure { throw failure }
    }

    private func applyDelete(_ ids: [String]) {
        lock.withWriteLock { for id in ids { state.remove(id: id) } }
    }

    private func afterWrite() throws {
        try rebuildIfNeeded()
        quantizeIfLarge(state)
        if let directory, directory.logBytes > configuration.checkpointLogBytes {
            try lock.withReadLock { try directory.checkpoint(state) }
        }
    }

    /// Rebuilds the graph from live records once too many rows are tombstones. The new state is built
    /// while searches continue on the old one, then swapped in.
    private func rebuildIfNeeded() throws {
        let old = state
        let rows = old.graph.count
        guard rows >= 64, Double(old.graph.deletedCount) > configuration.rebuildDeletedFraction * Double(rows) else {
            return
        }
        let rebuilt = IndexState(configuration: configuration)
        rebuilt.graph.reserveCapacity(old.liveCount)
        try lock.withReadLock {
            var kept: [(label: Int, fields: StoredFields)] = []
            var flat = [Float]()
            flat.reserveCapacity(old.liveCount * configuration.dimension)
            for (index, fields) in old.fields.enumerated() {
                guard let fields else { continue }
                kept.append((index, fields))
                flat += old.graph.vector(UInt32(index))
            }
            // The rebuilt graph is searched by no one until it is swapped in: every core links it.
            let labels =
                kept.isEmpty
                ? 0..<0
                : try flat.withUnsafeBufferPointer { buffer throws(RetrievalError) in
                    try rebuilt.graph.add(
                        contentsOf: buffer.baseAddress!, count: kept.count, threads: configuration.insertThreads)
                }
            for (label, item) in zip(labels, kept) {
                rebuilt.register(label: UInt32(label), fields: item.fields, tokens: tokenizer.tokens(item.fields.text))
            }
        }
        quantizeIfLarge(rebuilt)
        lock.withWriteLock { state = rebuilt }
    }

    /// Gives `state`'s graph byte codes once it reaches ``IndexConfiguration/quantizeFromRows``, its float rows
    /// moved into a scratch file of the index directory (``HNSWIndex/quantize(spillingRowsTo:)``). Caller holds
    /// `writer`; searches go on meanwhile.
    private func quantizeIfLarge(_ state: IndexState) {
        guard let threshold = configuration.quantizeFromRows, state.graph.count >= threshold,
            !state.graph.isQuantized
        else { return }
        let spillPath = directory.map { $0.path + "/" + Self.spillFileName }
        if let spillPath { unlink(spillPath) }  // one left by a crash in the moment between its creation and unlink
        // A spill that fails (a full disk) leaves the floats on the heap: more memory, the same answers.
        try? state.graph.quantize(spillingRowsTo: spillPath)
    }

    /// The scratch file of a quantized graph's float rows, unlinked as soon as it is made.
    static let spillFileName = ".rows-spill"

    // MARK: - Search

    /// The top `query.k` records for the query, best first.
    public func search(_ query: SearchQuery) throws -> [SearchHit] {
        guard query.k > 0 else { throw RetrievalError(.invalidArgument, "k must be positive, got \(query.k)") }
        let useDense: Bool
        let useLexical: Bool
        switch query.mode {
        case .dense:
            guard query.vector != nil else { throw RetrievalError(.invalidArgument, "dense search needs a vector") }
            (useDense, useLexical) = (true, false)
        case .lexical:
            guard query.text != nil else { throw RetrievalError(.invalidArgument, "lexical search needs text") }
            (useDense, useLexical) = (false, true)
        case .hybrid:
            guard query.vector != nil || query.text != nil else {
                throw RetrievalError(.invalidArgument, "hybrid search needs a vector or text")
            }
            (useDense, useLexical) = (query.vector != nil, query.text != nil)
        }
        let fused = useDense && useLexical
        let windowed = useDense && query.ranking.windowShare > 0 && configuration.metric == .cosine
        // Fusion and window re-scoring both re-order a deeper candidate list than the k returned.
        let depth =
            fused || windowed ? max(query.fusionDepth ?? SearchQuery.defaultFusionDepth(k: query.k), query.k) : query.k
        return try lock.withReadLock {
            let state = self.state
            let filter = query.filter.isEmpty ? nil : query.filter
            let ranking = query.ranking
            var dense = try useDense ? denseSearch(state, query.vector!, k: depth, ef: query.ef, filter: filter) : []
            if windowed, !dense.isEmpty {
                dense = rescored(
                    state, dense.map { (id: $0.label, score: $0.score) }, query: query.vector!,
                    share: ranking.windowShare
                ) { $0 }.map { (label: $0.id, score: $0.score) }
            }
            let lexicalText = fused ? query.text.map(ranking.lexicalText) : query.text
            let lexical = useLexical ? lexicalSearch(state, lexicalText!, k: depth, filter: filter) : []
            func hit(_ label: UInt32, _ score: Double, dense: Int?, lexical: Int?) -> SearchHit {
                let fields = state.fields[Int(label)]!
                return SearchHit(
                    id: fields.id, score: score, denseRank: dense, lexicalRank: lexical, documentID: fields.documentID,
                    section: fields.section)
            }
            if !fused {
                let list = useDense ? dense : lexical
                return list.prefix(query.k).enumerated().map { rank, item in
                    hit(
                        item.label, Double(item.score), dense: useDense ? rank + 1 : nil,
                        lexical: useDense ? nil : rank + 1)
                }
            }
            let denseRanks = Dictionary(uniqueKeysWithValues: dense.enumerated().map { ($1.label, $0 + 1) })
            let lexicalRanks = Dictionary(uniqueKeysWithValues: lexical.enumerated().map { ($1.label, $0 + 1) })
            var fusion = RankFusion.reciprocalRank(
                [dense.map(\.label), lexical.map(\.label)], k: ranking.fusionK, weights: [ranking.denseWeight, 1])
            if ranking.feedbackTerms > 0 {
                let terms = feedbackTerms(
                    state, query: lexicalText!, top: fusion.prefix(3).map(\.id), count: ranking.feedbackTerms)
                if !terms.isEmpty {
                    let accept: ((UInt32) -> Bool)? = filter.map { filter in { filter.matches(state.fields[Int($0)]!) }
                    }
                    let expanded = state.bm25.search(
                        terms: tokenizer.tokens(lexicalText!) + terms, k: depth, filter: accept)
                    fusion = RankFusion.reciprocalRank(
                        [dense.map(\.label), expanded.map(\.label)], k: ranking.fusionK,
                        weights: [ranking.denseWeight, 1])
                }
            }
            let priors = StructurePriors(ranking, question: query.text)
            if ranking.searchNamedDocuments, !priors.namedDocuments.isEmpty, filter == nil {
                fusion = try withNamedDocuments(
                    fusion, priors.namedDocuments, state: state, vector: query.vector!, text: lexicalText!,
                    depth: depth,
                    ef: query.ef, ranking: ranking)
            }
            if priors.isActive {
                fusion = priors.apply(
                    fusion,
                    fields: { label in
                        let fields = state.fields[Int(label)]!
                        return (fields.documentID, fields.section)
                    },
                    states: { label, type in
                        Int(label) < state.quantities.count && state.quantities[Int(label)].contains(AnswerTypes(type))
                    })
            }
            if ranking.provisions {
                let lookup = ProvisionLookup(question: query.text)
                if lookup.isActive {
                    fusion = provisionsFirst(fusion, lookup, state: state, filter: filter, priors: priors)
                }
            }
            if ranking.definitions {
                let lookup = DefinitionLookup(question: query.text, vocabulary: ranking.vocabulary)
                if lookup.isActive {
                    fusion = definitionsFirst(fusion, lookup, state: state, filter: filter, priors: priors)
                }
            }
            return fusion.prefix(query.k).map {
                hit($0.id, $0.score, dense: denseRanks[$0.id], lexical: lexicalRanks[$0.id])
            }
        }
    }

    /// Pseudo-relevance feedback: the `count` terms of the `top` fused passages with the highest summed
    /// `tf * idf`, leaving out the query's own terms and numbers.
    private func feedbackTerms(_ state: IndexState, query: String, top: [UInt32], count: Int) -> [String] {
        let own = Set(tokenizer.tokens(query))
        var weights: [String: Float] = [:]
        for label in top {
            guard let fields = state.fields[Int(label)] else { continue }
            for token in tokenizer.tokens(fields.text) where !own.contains(token) && !token.contains(where: \.isNumber)
            {
                weights[token, default: 0] += state.bm25.idf(token)
            }
        }
        return weights.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(count).map(\.key)
    }

    /// `fused` merged with a hybrid search restricted to the named documents, each candidate keeping the better
    /// of its two fused scores, so the named documents' best passages are candidates even when the whole
    /// corpus ranks them below the fusion depth.
    private func withNamedDocuments(
        _ fused: [(id: UInt32, score: Double)], _ named: [String], state: IndexState, vector: [Float], text: String,
        depth: Int, ef: Int?, ranking: RankingOptions
    ) throws -> [(id: UInt32, score: Double)] {
        var documents = Set<String>()
        for fields in state.fields {
            if let fields, DocumentNames.matches(fields.documentID, named) { documents.insert(fields.documentID) }
        }
        guard !documents.isEmpty else { return fused }
        let filter = SearchFilter(documentIDs: documents)
        let dense = try denseSearch(state, vector, k: depth, ef: ef, filter: filter)
        let lexical = lexicalSearch(state, text, k: depth, filter: filter)
        let within = RankFusion.reciprocalRank(
            [dense.map(\.label), lexical.map(\.label)], k: ranking.fusionK, weights: [ranking.denseWeight, 1])
        var scores = Dictionary(fused.map { ($0.id, $0.score) }, uniquingKeysWith: max)
        for item in within { scores[item.id] = max(scores[item.id] ?? 0, item.score) }
        return scores.map { (id: $0.key, score: $0.value) }.sorted { lhs, rhs in
            lhs.score != rhs.score ? lhs.score > rhs.score : lhs.id < rhs.id
        }
    }

    /// `fused` with the passages that define the lookup's terms first (searched by BM25 on the terms, so a
    /// definition the fusion missed is found too), keeping the named-document restriction of `priors`.
    private func definitionsFirst(
        _ fused: [(id: UInt32, score: Double)], _ lookup: DefinitionLookup, state: IndexState,
        filter: SearchFilter?, priors: StructurePriors
    ) -> [(id: UInt32, score: Double)] {
        var definitions: [UInt32] = []
        for term in lookup.terms {
            for item in lexicalSearch(state, term + " means", k: 30, filter: filter) {
                let fields = state.fields[Int(item.label)]!
                if !priors.namedDocuments.isEmpty, !DocumentNames.matches(fields.documentID, priors.namedDocuments) {
                    continue
                }
                guard !definitions.contains(item.label) else { continue }
                let quoted = state.definitionTexts[item.label].map(lookup.defines(definitionText:)) ?? false
                if quoted || lookup.glossaryDefines(section: fields.section, text: fields.text) {
                    definitions.append(item.label)
                }
            }
        }
        return Self.placedFirst(Array(definitions.prefix(3)), in: fused)
    }

    /// `fused` with `ids` moved to the top in their order, scored above everything else.
    package static func placedFirst<ID: Hashable>(
        _ ids: [ID], in fused: [(id: ID, score: Double)]
    ) -> [(id: ID, score: Double)] {
        guard !ids.isEmpty else { return fused }
        let top = (fused.first?.score ?? 0) + 1
        let first = ids.enumerated().map { (id: $1, score: top - Double($0) * 1e-6) }
        let chosen = Set(ids)
        return first + fused.filter { !chosen.contains($0.id) }
    }

    /// `fused` with the passages of the named provisions first: per document, the provision's best fused
    /// passage (or its first, when the fusion did not reach it), at most two documents, those the question
    /// names (``StructurePriors/namedDocuments``) only when it names any.
    private func provisionsFirst(
        _ fused: [(id: UInt32, score: Double)], _ lookup: ProvisionLookup, state: IndexState,
        filter: SearchFilter?, priors: StructurePriors
    ) -> [(id: UInt32, score: Double)] {
        let fusedRank = Dictionary(fused.enumerated().map { ($1.id, $0) }, uniquingKeysWith: min)
        var best: [String: (label: UInt32, rank: Int)] = [:]
        for (index, fields) in state.fields.enumerated() {
            guard let fields, lookup.covers(section: fields.section) else { continue }
            if let filter, !filter.matches(fields) { continue }
            if !priors.namedDocuments.isEmpty, !DocumentNames.matches(fields.documentID, priors.namedDocuments) {
                continue
            }
            let label = UInt32(index)
            // Unreached passages rank after every fused one, in insertion order (a provision's first part first).
            let rank = fusedRank[label] ?? (fused.count + index)
            if let current = best[fields.documentID], current.rank <= rank { continue }
            best[fields.documentID] = (label, rank)
        }
        return Self.placedFirst(best.values.sorted { $0.rank < $1.rank }.prefix(2).map(\.label), in: fused)
    }

    /// Dense ranking: exact below the size threshold or for very selective filters, HNSW otherwise.
    private func denseSearch(
        _ state: IndexState, _ vector: [Float], k: Int, ef: Int?, filter: SearchFilter?
    ) throws -> [(label: UInt32, score: Float)] {
        let prepared = try state.graph.store.prepareQuery(vector)
        let metric = configuration.metric
        let live = state.liveCount
        let neighbors: [Neighbor] = prepared.withUnsafeBufferPointer { buffer in
            let query = buffer.baseAddress!
            let accept: (UInt32) -> Bool
            if let filter {
                accept = { label in state.isLive(label) && filter.matches(state.fields[Int(label)]!) }
            } else {
                accept = { label in state.isLive(label) }
            }
            if live < configuration.exactSearchThreshold {
                if filter == nil {
                    return state.live.withUnsafeBufferPointer { state.graph.exactPrepared(query, k: k, live: $0) }
                }
                return state.graph.exactPrepared(query, k: k, filter: accept)
            }
            if let filter,
                Double(state.estimatedMatches(filter)) <= configuration.selectiveFilterFraction * Double(live)
            {
                return state.graph.exactPrepared(query, k: k, rows: state.matchingLabels(filter))
            }
            return state.graph.searchPrepared(query, k: k, ef: ef, filter: accept)
        }
        return neighbors.map { (label: $0.label, score: metric.score(fromDistance: $0.distance)) }
    }

    /// Another engine's dense ranking (record ids with their cosine, e.g. from Qdrant) re-ordered by the window
    /// scoring local dense search applies (``RankingOptions/windowShare``), with the windows of this index; an
    /// id it does not hold keeps its score. Unchanged under l2 or with `share` 0.
    public func rescoredByWindows(
        _ dense: [(id: String, score: Float)], query: [Float], share: Double
    ) -> [(id: String, score: Float)] {
        guard share > 0, configuration.metric == .cosine else { return dense }
        return lock.withReadLock {
            let state = self.state
            return rescored(state, dense, query: query, share: share) { state.labels[$0] }
        }
    }

    /// `(1 - share) * chunkScore + share * best window cosine` of the record at `label`; `chunkScore` alone
    /// when it has no windows. `unit` is the query at unit length.
    private func windowScore(
        _ state: IndexState, label: UInt32, chunkScore: Float, unit: [Float], share: Double
    ) -> Float {
        let windows = state.fields[Int(label)]!.windows
        guard !windows.isEmpty else { return chunkScore }
        let dimension = configuration.dimension
        var best = -Float.infinity
        unit.withUnsafeBufferPointer { q in
            windows.withUnsafeBufferPointer { w in
                for start in stride(from: 0, to: w.count, by: dimension) {
                    best = max(best, dotProduct(q.baseAddress!, w.baseAddress! + start, dimension))
                }
            }
        }
        return Float(1 - share) * chunkScore + Float(share) * best
    }

    /// The dense candidates re-ordered by `(1 - share) * chunk cosine + share * best window cosine`: a chunk of
    /// several sentences embeds as their average, so a question matching one of them well scores below a chunk
    /// vaguely like all of them; its best window brings that sentence's match back. Candidates come from the
    /// chunk vectors as before (the same ones, re-ordered); a record without windows, or whose id `label` does
    /// not find, keeps its score. Caller holds the shared lock.
    private func rescored<ID>(
        _ state: IndexState, _ dense: [(id: ID, score: Float)], query: [Float], share: Double,
        label: (ID) -> UInt32?
    ) -> [(id: ID, score: Float)] {
        guard let unit = VectorMath.normalized(query) else { return dense }
        let rescored = dense.map { item -> (id: ID, score: Float) in
            guard let label = label(item.id) else { return item }
            return (item.id, windowScore(state, label: label, chunkScore: item.score, unit: unit, share: share))
        }
        return rescored.enumerated().sorted { lhs, rhs in
            lhs.element.score != rhs.element.score ? lhs.element.score > rhs.element.score : lhs.offset < rhs.offset
        }.map(\.element)
    }

    private func lexicalSearch(_ state: IndexState, _ text: String, k: Int, filter: SearchFilter?) -> [(
        label: UInt32, score: Float
    )] {
        if let filter {
            return state.bm25.search(text, k: k) { label in filter.matches(state.fields[Int(label)]!) }
        }
        return state.bm25.search(text, k: k)
    }

    // MARK: - Verification

    /// What ``verify()`` checked.
    public struct VerificationReport: Sendable, Equatable {
        /// Records that can be returned.
        public var liveRecords: Int
        /// Rows in the graph, tombstones included.
        public var graphRows: Int
        /// Tombstoned graph rows awaiting a rebuild.
        public var deletedRows: Int
        /// Size of the live snapshot file (0 in memory or before the first snapshot).
        public var segmentBytes: Int
        /// Writes in the log since the last snapshot.
        public var logRecords: Int
        /// Whether the graph is walked on byte codes (``IndexConfiguration/quantizeFromRows``).
        public var quantized = false
    }

    /// Checks that the id map, stored fields, BM25 index and graph agree on the live records; that every
    /// live record is reachable in the graph; and, when persisted, that the live segment and log pass their
    /// checksums.
    ///
    /// - Throws: ``RetrievalError`` with code `verificationFailed`, or a file error code.
    public func verify() throws -> VerificationReport {
        try writer.withLock {
            try lock.withReadLock {
                let graphRows = state.graph.count
                let deleted = state.graph.deletedCount
                let liveFields = state.fields.lazy.filter { $0 != nil }.count
                func fail(_ message: String) -> RetrievalError { RetrievalError(.verificationFailed, message) }
                guard state.fields.count == graphRows else {
                    throw fail("\(state.fields.count) stored records for \(graphRows) graph rows")
                }
                guard liveFields == state.liveCount, state.bm25.documentCount == state.liveCount,
                    graphRows - deleted == state.liveCount
                else {
                    throw fail(
                        "counts disagree: \(state.liveCount) ids, \(liveFields) records, \(state.bm25.documentCount) "
                            + "BM25 documents, \(graphRows - deleted) live graph rows")
                }
                for (id, label) in state.labels {
                    guard state.fields[Int(label)]?.id == id, !state.graph.isDeleted(label) else {
                        throw fail("id \(id) maps to label \(label), which does not hold it")
                    }
                }
                let unreachable = state.graph.unreachableLabels()
                guard unreachable.isEmpty else {
                    throw fail("\(unreachable.count) live rows unreachable in the graph, e.g. label \(unreachable[0])")
                }
                let files = try directory?.verifyFiles() ?? (segmentBytes: 0, logRecords: 0)
                return VerificationReport(
                    liveRecords: state.liveCount, graphRows: graphRows, deletedRows: deleted,
                    segmentBytes: files.segmentBytes, logRecords: files.logRecords, quantized: state.graph.isQuantized)
            }
        }
    }
}

import ConcurrencySupport
import Foundation
import Synchronization

/// Construction and search parameters of an HNSW graph.
public struct HNSWParameters: Sendable, Equatable, Codable {
    /// Links per node on the upper layers; layer 0 keeps twice as many.
    public var m: Int
    /// Breadth of the candidate list while inserting.
    public var efConstruction: Int
    /// Default breadth of the candidate list while searching; raised to `k` when smaller.
    public var efSearch: Int
    /// Seed of the level generator, so that builds are reproducible.
    public var seed: UInt64

    /// The defaults are the design values (ARCHITECTURE.md section 5).
    public init(m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64, seed: UInt64 = 0x5EED) {
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
        self.seed = seed
    }
}

/// A hierarchical navigable small world graph (Malkov & Yashunin, 2018) over float32 vectors.
///
/// Rows get dense labels `0, 1, 2, ...` in insertion order. Deletion is a tombstone: a deleted row is
/// still routed through (so the graph stays connected) but never returned; callers rebuild when many
/// rows are deleted. Searches run concurrently with each other and with an insert: writers take turns on a
/// writer lock, an insert works out its links while searches go on (they read a graph only the writer
/// changes, and nothing links to the new row yet), and the shared lock is taken exclusively only to append
/// the row and to publish its links, a few microseconds each, so an upload does not stall searches.
///
/// Layout (as in hnswlib): layer-0 links of all nodes live in one flat array with a fixed stride of
/// `1 + 2M` (a count, then the neighbour labels), so a search touches two arrays only: links and rows.
/// Upper-layer links, which only about `1/M` of nodes have, are allocated per node.
public final class HNSWIndex: @unchecked Sendable {
    // @unchecked: all mutable state below is written under `writer` and `lock`'s exclusive mode together, and
    // read under `lock`'s shared mode or `writer` (either excludes every write); the visited-set pool has its
    // own lock.

    /// Components per vector.
    public let dimension: Int
    /// How vectors are compared.
    public let metric: Metric
    /// Construction and default search parameters.
    public let parameters: HNSWParameters

    let lock = ReadWriteLock()
    /// Held by every write for its whole length, so only one writer changes the graph and it may read the
    /// graph without `lock` (see ``add(_:)-(UnsafePointer<Float>)``).
    private let writer = Lock()
    let store: VectorStore
    /// Byte codes of the rows once ``quantize(spillingRowsTo:)`` ran: searches walk the graph on them and rescore with `store`.
    var quantized: QuantizedRows?
    /// Byte codes of every row of a cosine graph the size of an exact scan (``scanCodeRows``), not ``quantized``:
    /// the exact scan reads them before the floats (``ExactSearch``), a quarter of the bytes, and scores the
    /// floats of only the rows they cannot rule out. Kept by every write (``extendScanCodes()``,
    /// ``retrainScanCodesIfDue()``); not part of a snapshot.
    private(set) var scanCodes: QuantizedRows?
    /// Rows ``scanCodes``' quantizer was trained on: they are retrained when the graph has doubled since, so
    /// rows added later are rarely clamped (a clamped row stays exact, its residual only widens its bound).
    /// Written under `lock` by the writer alone.
    private var scanCodesTrainedOn = 0
    let maxM: Int
    let maxM0: Int
    let levelMultiplier: Double
    var random: SplitMix64
    var capacity = 0
    var links0: UnsafeMutablePointer<UInt32>
    var upperLinks: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
    var levels: UnsafeMutablePointer<UInt8>
    var tombstones: UnsafeMutablePointer<Bool>
    var deletedTotal = 0
    var entryPoint: UInt32 = 0
    var maxLevel = -1
    private let visitedPool = VisitedSetPool()
    private let buildVisited = VisitedSet(capacity: 1024)
    /// Parallel inserts only (``add(contentsOf:count:threads:)``): every link-list read of a planning thread and
    /// every write of a publishing one holds its node's stripe, since those threads run outside `lock`.
    private let stripes = LinkStripes()
    /// Parallel inserts read the entry point under this lock (writes hold it and `lock` exclusively).
    private let entryLock = Lock()

    /// Creates an empty graph for vectors of `dimension` components.
    public init(dimension: Int, metric: Metric, parameters: HNSWParameters = .init(), capacity: Int = 0) {
        precondition(dimension > 0, "dimension must be positive")
        precondition(parameters.m >= 2, "M must be at least 2")
        self.dimension = dimension
        self.metric = metric
        self.parameters = parameters
        maxM = parameters.m
        maxM0 = 2 * parameters.m
        levelMultiplier = 1 / log(Double(parameters.m))
        random = SplitMix64(seed: parameters.seed)
        store = VectorStore(dimension: dimension, metric: metric, capacity: capacity)
        links0 = .allocate(capacity: 1)
        upperLinks = .allocate(capacity: 1)
        levels = .allocate(capacity: 1)
        tombstones = .allocate(capacity: 1)
        growGraph(to: max(capacity, 16))
    }

    deinit {
        for i in 0..<store.count { upperLinks[i]?.deallocate() }
        links0.deallocate()
        upperLinks.deallocate()
        levels.deallocate()
        tombstones.deallocate()
    }

    // MARK: - Public surface

    /// Number of rows ever inserted, deleted ones included (labels run from 0 to `count - 1`).
    public var count: Int { lock.withReadLock { store.count } }

    /// Number of rows marked deleted.
    public var deletedCount: Int { lock.withReadLock { deletedTotal } }

    /// Heap bytes held by vectors, codes (``quantized`` or ``scanCodes``) and links (float rows spilled into a file mapping are not counted:
    /// ``quantize(spillingRowsTo:)``).
    public var memoryBytes: Int {
        lock.withReadLock {
            var upper = 0
            for i in 0..<store.count where levels[i] > 0 { upper += Int(levels[i]) * (maxM + 1) * 4 }
            return store.bytes + (quantized?.bytes ?? 0) + (scanCodes?.bytes ?? 0)
                + capacity * ((maxM0 + 1) * 4 + MemoryLayout<UnsafeMutableRawPointer?>.stride + 2) + upper
        }
    }

    /// Reserves room for `rows` rows so a bulk load does not reallocate.
    public func reserveCapacity(_ rows: Int) {
        writer.withLock {
            lock.withWriteLock {
                store.reserve(rows)
                quantized?.reserve(rows)
                growGraph(to: rows)
            }
        }
    }

    /// Inserts a vector and returns its label. Under cosine the stored copy is normalised.
    @discardableResult
    public func add(_ vector: [Float]) throws(RetrievalError) -> UInt32 {
        guard vector.count == dimension else {
            throw RetrievalError(.dimensionMismatch, "vector has \(vector.count) dimensions, index has \(dimension)")
        }
        return try vector.withUnsafeBufferPointer { (buffer) throws(RetrievalError) -> UInt32 in
            try add(buffer.baseAddress!)
        }
    }

    /// Inserts a vector of `dimension` floats from a pointer and returns its label.
    ///
    /// Three steps under the writer lock: append the row and give it empty link lists (exclusive: the arrays
    /// may move); search for its neighbours and work out every changed link list (no lock: searches run on,
    /// and only this writer changes the graph); write those lists (exclusive). The graph comes out exactly as
    /// if the whole insert had held the lock: the new row is linked from nowhere until the last step, so the
    /// searches of the middle step see the graph as it was.
    @discardableResult
    public func add(_ vector: UnsafePointer<Float>) throws(RetrievalError) -> UInt32 {
        try writer.withLock { () throws(RetrievalError) -> UInt32 in
            let node = try lock.withWriteLock { () throws(RetrievalError) -> UInt32 in
                let label = try store.append(vector)
                quantized?.append(store.row(label))
                extendScanCodes()
                if label >= capacity { growGraph(to: max(label + 1, capacity * 2)) }
                prepare(UInt32(label))
                return UInt32(label)
            }
            let plan = planLinks(node, entry: entryPoint, top: maxLevel, visited: buildVisited)
            lock.withWriteLock { publish(plan) }
            retrainScanCodesIfDue()
            return node
        }
    }

    /// Inserts `count` vectors of `dimension` floats, stored one after another, linking them on `threads` threads
    /// (hnswlib's `add_items` with `num_threads`); returns their labels, consecutive.
    ///
    /// All rows are appended first (exclusive `lock`, a moment), then each thread takes the next unlinked row,
    /// works out its neighbours outside `lock` while searches and the other threads go on, and writes its links:
    /// the row's own lists, then each neighbour's list with the row added, re-selected from that neighbour's
    /// list as it is at that moment (so no thread overwrites another's link). Planning threads read link lists
    /// under per-node stripe locks and every write holds the stripe and `lock` exclusively, so searches (which
    /// read under `lock` shared) and planners both see whole lists. Rows inserted at the same time may not see
    /// each other, as in hnswlib, so the graph differs from a one-thread build's and from run to run: the
    /// first 1,024 rows of a graph are always linked one at a time, and `threads` 1 gives exactly the graph of
    /// ``add(_:)-(UnsafePointer<Float>)`` called row by row.
    ///
    /// - Throws: `invalidVector` for a non-finite or (cosine) zero row: the rows before it are added and
    ///   linked, none after it.
    @discardableResult
    public func add(contentsOf vectors: UnsafePointer<Float>, count: Int, threads: Int) throws(RetrievalError)
        -> Range<Int>
    {
        guard count > 0 else { return lock.withReadLock { store.count..<store.count } }
        return try writer.withLock { () throws(RetrievalError) -> Range<Int> in
            var failure: RetrievalError?
            let (first, end) = lock.withWriteLock { () -> (Int, Int) in
                let first = store.count
                store.reserve(first + count)
                quantized?.reserve(first + count)
                growGraph(to: first + count)
                for row in 0..<count {
                    do throws(RetrievalError) {
                        let label = try store.append(vectors + row &* dimension)
                        quantized?.append(store.row(label))
                        prepare(UInt32(label))
                    } catch {
                        failure = error
                        break
                    }
                }
                extendScanCodes()
                return (first, store.count)
            }
            // One at a time until the graph has some body: concurrent inserts into a near-empty graph would all
            // start from the same few nodes and link poorly.
            let sequentialEnd = threads <= 1 ? end : min(end, max(first, Self.sequentialPrefix))
            for node in first..<sequentialEnd {
                let plan = planLinks(UInt32(node), entry: entryPoint, top: maxLevel, visited: buildVisited)
                lock.withWriteLock { publish(plan) }
            }
            if sequentialEnd < end { linkInParallel(sequentialEnd..<end, threads: min(threads, end - sequentialEnd)) }
            retrainScanCodesIfDue()
            if let failure { throw failure }
            return first..<end
        }
    }

    /// A quantized search rescores its best `rescoreFactor × k` candidates on the floats (Qdrant's oversampling):
    /// the codes' error is a few thousandths of a distance, so the true `k` nearest are among them (recall within
    /// 0.008 of the float walk at every `ef` up to 1M rows, docs/BENCHMARKS.md "int8 vectors").
    static let rescoreFactor = 3

    /// The largest graph that keeps ``scanCodes``: exact scans are for graphs below
    /// ``IndexConfiguration/exactSearchThreshold`` (and for selective filters, which read listed rows only).
    static let scanCodeRows = 65_536

    /// The smallest: below it a full float scan is cheap, and codes trained on a handful of rows would clamp
    /// most rows added after them.
    static let scanCodeMinimumRows = 256

    /// Whether the graph keeps ``scanCodes``: cosine, not ``quantized``, and of a size an exact scan serves.
    private var scanCodesApply: Bool {
        metric == .cosine && quantized == nil && (Self.scanCodeMinimumRows...Self.scanCodeRows).contains(store.count)
    }

    /// Codes for the rows appended since the last call, or none where they no longer apply. A retraining that is
    /// due is left to ``retrainScanCodesIfDue()``: until it is done the codes lag the rows and exact scans read
    /// the floats. Caller holds `lock` exclusively.
    func extendScanCodes() {
        guard scanCodesApply else {
            scanCodes = nil
            return
        }
        guard let codes = scanCodes, store.count <= 2 * scanCodesTrainedOn else { return }
        while codes.count < store.count { codes.append(store.row(codes.count)) }
    }

    /// Trains ``scanCodes`` anew on every row when they apply and there are none yet, or the graph has doubled
    /// since they were trained. Encoded outside `lock`, as ``quantize(spillingRowsTo:)`` does, so searches go on
    /// meanwhile (on the floats); installed in a moment of it. Caller holds `writer` (or owns the graph alone), so
    /// no row changes under the encoding.
    func retrainScanCodesIfDue() {
        let (due, n) = lock.withReadLock {
            (scanCodesApply && (scanCodes == nil || store.count > 2 * scanCodesTrainedOn), store.count)
        }
        guard due else { return }
        let quantizer = ScalarQuantizer(training: store.rows, count: n, dimension: dimension)
        let codes = QuantizedRows(quantizer: quantizer, metric: metric, capacity: n)
        for row in 0..<n { codes.append(store.row(row)) }
        lock.withWriteLock {
            scanCodes = codes
            scanCodesTrainedOn = n
        }
    }

    /// Rows of a graph always linked one at a time by ``add(contentsOf:count:threads:)``.
    static let sequentialPrefix = 1024

    /// Bytes held by the byte codes (``quantize(spillingRowsTo:)``), nil before.
    public var quantizedBytes: Int? { lock.withReadLock { quantized?.bytes } }

    /// Whether searches walk the graph on byte codes (``quantize(spillingRowsTo:)``).
    public var isQuantized: Bool { lock.withReadLock { quantized != nil } }

    /// Encodes every row, and every row added later, as one byte per dimension (``ScalarQuantizer``, trained on
    /// the rows the graph holds now) and makes searches walk the graph on those codes, a quarter of the floats'
    /// bytes, re-ranking the candidates they keep on the float rows. Inserts still link on the floats, so the
    /// graph is the one a float build makes. Does nothing when the graph is empty or already quantized.
    ///
    /// With `spillPath`, the float rows then move from the heap into a mapping of a new file there (unlinked at
    /// once; see `VectorStore.spill(toFile:exclusively:)`): the heap keeps the codes and the links, and the float
    /// rows become file pages the kernel may reclaim and read back when rescoring needs them.
    ///
    /// The codes are not part of a snapshot: they are a pure function of the rows, so an owner calls this again
    /// after loading (a million rows of 384 dimensions: about 10 s, on the writer's thread while searches go on).
    ///
    /// - Throws: `io` when the spill file cannot be made; the graph is quantized all the same, its floats on the
    ///   heap.
    public func quantize(spillingRowsTo spillPath: String? = nil) throws(RetrievalError) {
        try writer.withLock { () throws(RetrievalError) in
            let count = lock.withReadLock { store.count }
            guard count > 0 else { return }
            if lock.withReadLock({ quantized == nil }) {
                // Encoded outside `lock`: the writer lock keeps the rows as they are, and searches go on meanwhile.
                let quantizer = ScalarQuantizer(training: store.rows, count: count, dimension: dimension)
                let rows = QuantizedRows(quantizer: quantizer, metric: metric, capacity: capacity)
                for row in 0..<count { rows.append(store.row(row)) }
                lock.withWriteLock {
                    quantized = rows
                    extendScanCodes()
                }
            }
            if let spillPath { try store.spill(toFile: spillPath) { body in lock.withWriteLock(body) } }
        }
    }

    /// Whether the float rows are mapped from a file rather than held on the heap (``quantize(spillingRowsTo:)``).
    public var rowsSpilled: Bool { lock.withReadLock { store.isSpilled } }

    /// Marks a row deleted; it stops appearing in results. Returns false if it already was.
    @discardableResult
    public func markDeleted(_ label: UInt32) -> Bool {
        writer.withLock {
            lock.withWriteLock {
                precondition(Int(label) < store.count, "label out of range")
                if tombstones[Int(label)] { return false }
                tombstones[Int(label)] = true
                deletedTotal += 1
                return true
            }
        }
    }

    /// Whether `label` is marked deleted.
    public func isDeleted(_ label: UInt32) -> Bool {
        lock.withReadLock { tombstones[Int(label)] }
    }

    /// The stored vector of `label` (normalised under cosine).
    public func vector(_ label: UInt32) -> [Float] {
        lock.withReadLock { Array(UnsafeBufferPointer(start: store.row(Int(label)), count: dimension)) }
    }

    /// The approximate `k` nearest live rows to `query`, nearest first.
    ///
    /// - Parameters:
    ///   - ef: candidate-list breadth (default ``HNSWParameters/efSearch``, at least `k`); larger is
    ///     slower and more exact.
    ///   - filter: when given, only labels it admits are returned; the search keeps expanding until it
    ///     holds `ef` admitted rows or runs out of candidates, so a very selective filter degenerates to
    ///     a walk of the whole graph (callers should search exactly over the admitted rows instead).
    public func search(
        _ query: [Float], k: Int, ef: Int? = nil, filter: ((UInt32) -> Bool)? = nil
    ) throws(RetrievalError) -> [Neighbor] {
        let prepared = try store.prepareQuery(query)
        return prepared.withUnsafeBufferPointer { searchPrepared($0.baseAddress!, k: k, ef: ef, filter: filter) }
    }

    /// The exact `k` nearest live rows to `query`, by brute force (BLAS).
    public func exactSearch(
        _ query: [Float], k: Int, filter: ((UInt32) -> Bool)? = nil
    ) throws(RetrievalError) -> [Neighbor] {
        let prepared = try store.prepareQuery(query)
        return prepared.withUnsafeBufferPointer { exactPrepared($0.baseAddress!, k: k, filter: filter) }
    }

    /// Exact `k` nearest rows for many queries at once (blocked `sgemm`); deleted rows are not excluded.
    public func exactBatchSearch(_ queries: [[Float]], k: Int) throws(RetrievalError) -> [[Neighbor]] {
        var flat = [Float]()
        flat.reserveCapacity(queries.count * dimension)
        for query in queries { flat += try store.prepareQuery(query) }
        return lock.withReadLock {
            flat.withUnsafeBufferPointer {
                ExactSearch.batchSearch(store: store, queries: $0.baseAddress!, queryCount: queries.count, k: k)
            }
        }
    }

    /// Labels of live rows that cannot be reached from the entry point by following links on any
    /// layer; empty for a healthy graph.
    public func unreachableLabels() -> [UInt32] {
        lock.withReadLock {
            let n = store.count
            guard n > 0 else { return [] }
            var seen = [Bool](repeating: false, count: n)
            var stack: [UInt32] = [entryPoint]
            seen[Int(entryPoint)] = true
            while let node = stack.popLast() {
                for level in 0...Int(levels[Int(node)]) {
                    let list = linkList(node, level)
                    for j in 0..<Int(list[0]) where !seen[Int(list[1 + j])] {
                        seen[Int(list[1 + j])] = true
                        stack.append(list[1 + j])
                    }
                }
            }
            return (0..<n).filter { !seen[$0] && !tombstones[$0] }.map { UInt32($0) }
        }
    }

    // MARK: - Search internals (caller holds no lock; these take the shared lock)

    func searchPrepared(
        _ query: UnsafePointer<Float>, k: Int, ef: Int?, filter: ((UInt32) -> Bool)?
    ) -> [Neighbor] {
        guard k > 0 else { return [] }
        return lock.withReadLock {
            guard maxLevel >= 0 else { return [] }
            let breadth = max(ef ?? parameters.efSearch, k)
            let exact = FloatScorer(metric: metric, query: query, rows: store.rows, dimension: dimension)
            guard let quantized else {
                var results = walk(exact, breadth: breadth, filter: filter)
                while results.count > k { results.pop() }
                return results.drainAscending().map { Neighbor(label: $0.id, distance: $0.key) }
            }
            // The walk ranks by byte codes; its best `rescoreFactor × k` rows are re-ranked on their floats, so a
            // code's rounding can only move a row within those, never return it with an approximate distance. The
            // rest of the `breadth` rows it keeps are not read: each float row read is a page the spilled store may
            // have to fault back in.
            let prepared = quantized.quantizer.prepare(query)
            var candidates = prepared.scaled.withUnsafeBufferPointer { scaled in
                walk(
                    QuantizedScorer(rows: quantized, query: prepared, scaled: scaled.baseAddress!), breadth: breadth,
                    filter: filter)
            }
            var rescored = candidates.drainAscending().prefix(Self.rescoreFactor * k).map {
                Neighbor(label: $0.id, distance: exact.distance($0.id))
            }
            rescored.sort { ($0.distance, $0.label) < ($1.distance, $1.label) }
            return Array(rescored.prefix(k))
        }
    }

    /// The descent through the upper layers and the search of layer 0 (the paper's K-NN-SEARCH) with `scorer`'s
    /// distances; a max-heap of at most `breadth` accepted rows. Caller holds `lock` shared.
    private func walk<Scorer: RowScorer>(_ scorer: Scorer, breadth: Int, filter: ((UInt32) -> Bool)?) -> DistanceHeap {
        var current = entryPoint
        var currentDistance = scorer.distance(current)
        if maxLevel > 0 {
            for level in stride(from: maxLevel, to: 0, by: -1) {
                (current, currentDistance) = greedyClosest(scorer, current, currentDistance, level: level)
            }
        }
        let needsCheck = filter != nil || deletedTotal > 0
        return visitedPool.withVisitedSet(count: store.count) { visited in
            searchLayer(
                scorer, entry: current, entryDistance: currentDistance, ef: breadth, level: 0,
                visited: visited, filter: filter, checkAcceptance: needsCheck)
        }
    }

    func exactPrepared(_ query: UnsafePointer<Float>, k: Int, filter: ((UInt32) -> Bool)?) -> [Neighbor] {
        lock.withReadLock {
            let tomb = tombstones
            if deletedTotal == 0, filter == nil {
                return ExactSearch.search(store: store, query: query, k: k, accept: nil)
            }
            return ExactSearch.search(store: store, query: query, k: k) { label in
                !tomb[Int(label)] && (filter?(label) ?? true)
            }
        }
    }

    /// The exact `k` nearest among the rows `live` marks (a caller's own record of which labels it serves).
    func exactPrepared(_ query: UnsafePointer<Float>, k: Int, live: UnsafeBufferPointer<Bool>) -> [Neighbor] {
        lock.withReadLock {
            if let codes = scanCodes, codes.count == store.count {
                return ExactSearch.search(
                    store: store, codes: codes, query: query, k: k, live: live, tombstones: tombstones)
            }
            return ExactSearch.search(store: store, query: query, k: k, live: live, tombstones: tombstones)
        }
    }

    func exactPrepared(_ query: UnsafePointer<Float>, k: Int, rows: [UInt32]) -> [Neighbor] {
        lock.withReadLock {
            ExactSearch.search(store: store, query: query, k: k, rows: rows.filter { !tombstones[Int($0)] })
        }
    }

    @inline(__always)
    private func distanceBetween(_ a: UInt32, _ b: UInt32) -> Float {
        distance(metric, store.rows + Int(a) &* dimension, store.rows + Int(b) &* dimension, dimension)
    }

    /// The link list of `node` on `level`: a count followed by up to M (2M on layer 0) labels.
    @inline(__always)
    func linkList(_ node: UInt32, _ level: Int) -> UnsafeMutablePointer<UInt32> {
        level == 0 ? links0 + Int(node) &* (maxM0 + 1) : upperLinks[Int(node)]! + (level - 1) * (maxM + 1)
    }

    /// Walks greedily towards `query` on one upper layer, returning the closest node found.
    private func greedyClosest<Scorer: RowScorer>(
        _ scorer: Scorer, _ start: UInt32, _ startDistance: Float, level: Int,
        stripes: LinkStripes? = nil
    ) -> (UInt32, Float) {
        var current = start
        var currentDistance = startDistance
        var changed = true
        while changed {
            changed = false
            let node = current
            func scan() {
                let list = linkList(node, level)
                for j in 0..<Int(list[0]) {
                    let candidate = list[1 + j]
                    let d = scorer.distance(candidate)
                    if d < currentDistance {
                        current = candidate
                        currentDistance = d
                        changed = true
                    }
                }
            }
            if let stripes { stripes.withLock(node, scan) } else { scan() }
        }
        return (current, currentDistance)
    }

    /// Best-first search of one layer (the paper's SEARCH-LAYER). Returns a max-heap of at most `ef`
    /// accepted nodes. Rejected nodes (deleted, or refused by `filter`) are still expanded, so they keep
    /// routing, but never enter the results; with `checkAcceptance` false every node is accepted.
    private func searchLayer<Scorer: RowScorer>(
        _ scorer: Scorer, entry: UInt32, entryDistance: Float, ef: Int, level: Int,
        visited: VisitedSet, filter: ((UInt32) -> Bool)?, checkAcceptance: Bool, stripes: LinkStripes? = nil
    ) -> DistanceHeap {
        var results = DistanceHeap(capacity: ef + 1)
        var candidates = DistanceHeap(capacity: 4 * ef)
        let tomb = tombstones
        @inline(__always) func accepted(_ label: UInt32) -> Bool {
            !checkAcceptance || (!tomb[Int(label)] && (filter?(label) ?? true))
        }
        _ = visited.testAndSet(entry)
        var bound = Float.infinity
        if accepted(entry) {
            results.push(entryDistance, entry)
            bound = entryDistance
        }
        candidates.push(-entryDistance, entry)
        // Unvisited neighbours of the node being expanded, scored together (see `distances8` in Distance.swift).
        let pending = UnsafeMutablePointer<UInt32>.allocate(capacity: maxM0 + 4)
        let pendingDistances = UnsafeMutablePointer<Float>.allocate(capacity: maxM0 + 4)
        defer {
            pending.deallocate()
            pendingDistances.deallocate()
        }
        while !candidates.isEmpty {
            if -candidates.topKey > bound && results.count >= ef { break }
            let current = candidates.pop().id
            var count = 0
            func gather() {
                let list = linkList(current, level)
                for j in 1..<(Int(list[0]) + 1) where !visited.testAndSet(list[j]) {
                    pending[count] = list[j]
                    count += 1
                }
            }
            if let stripes { stripes.withLock(current, gather) } else { gather() }
            scorer.distances(pending, count, into: pendingDistances)
            for i in 0..<count {
                let d = pendingDistances[i]
                if results.count < ef || d < bound {
                    let neighbor = pending[i]
                    candidates.push(-d, neighbor)
                    if accepted(neighbor) {
                        results.push(d, neighbor)
                        if results.count > ef { results.pop() }
                        bound = results.topKey
                    }
                }
            }
        }
        return results
    }

    // MARK: - Construction (caller holds `writer`; `lock` exclusively where said)

    private func randomLevel() -> Int {
        let uniform = Double(random.next() >> 11) * 0x1.0p-53
        let level = Int(-log(max(uniform, Double.leastNormalMagnitude)) * levelMultiplier)
        return min(level, Int(UInt8.max) - 1)
    }

    /// Gives a freshly appended row its level and empty link lists. Caller holds `lock` exclusively.
    private func prepare(_ node: UInt32) {
        let level = randomLevel()
        levels[Int(node)] = UInt8(level)
        tombstones[Int(node)] = false
        links0[Int(node) * (maxM0 + 1)] = 0
        if level > 0 {
            let block = UnsafeMutablePointer<UInt32>.allocate(capacity: level * (maxM + 1))
            block.initialize(repeating: 0, count: level * (maxM + 1))
            upperLinks[Int(node)] = block
        } else {
            upperLinks[Int(node)] = nil
        }
    }

    /// The link lists an insert writes: the new row's own per layer, and each neighbour's with the row added.
    private struct LinkPlan {
        var node: UInt32
        var lists: [(node: UInt32, layer: Int, links: [UInt32])] = []
    }

    /// Works out the links of a prepared row (the paper's INSERT) without writing any, from the graph's entry
    /// point `entry` on its top layer `top`.
    ///
    /// Without `stripes` the caller holds `writer` only: it reads the graph, which no one else changes
    /// meanwhile, and the plan holds the neighbours' new lists too. With `stripes` (parallel inserts) other
    /// threads write lists meanwhile, so every list is read under its stripe and the plan holds the row's own
    /// lists only; ``linkInParallel(_:threads:)`` works out the neighbours' lists as it writes them.
    private func planLinks(
        _ node: UInt32, entry: UInt32, top: Int, visited: VisitedSet, stripes: LinkStripes? = nil
    ) -> LinkPlan {
        var plan = LinkPlan(node: node)
        let level = Int(levels[Int(node)])
        guard top >= 0 else { return plan }
        let scorer = FloatScorer(
            metric: metric, query: UnsafePointer(store.row(Int(node))), rows: store.rows, dimension: dimension)
        var current = entry
        var currentDistance = scorer.distance(current)
        if level < top {
            for layer in stride(from: top, to: level, by: -1) {
                (current, currentDistance) = greedyClosest(
                    scorer, current, currentDistance, level: layer, stripes: stripes)
            }
        }
        for layer in stride(from: min(level, top), through: 0, by: -1) {
            visited.reset(count: store.count)
            var found = searchLayer(
                scorer, entry: current, entryDistance: currentDistance, ef: parameters.efConstruction,
                level: layer, visited: visited, filter: nil, checkAcceptance: false, stripes: stripes)
            let sorted = found.drainAscending()
            let chosen = selectNeighbors(sorted, limit: maxM)
            plan.lists.append((node, layer, chosen))
            // A neighbour's list changes once per layer at most (the chosen are distinct), and no layer's
            // search reads another layer's lists, so planning all before writing any gives the same graph.
            if stripes == nil {
                for neighbor in chosen {
                    plan.lists.append((neighbor, layer, linksAdding(node, to: neighbor, level: layer)))
                }
            }
            if let nearest = sorted.first {
                current = nearest.id
                currentDistance = nearest.key
            }
        }
        return plan
    }

    /// Writes a plan's link lists and makes the row the entry point when it is the highest. Caller holds `lock`
    /// exclusively.
    private func publish(_ plan: LinkPlan) {
        for (node, layer, links) in plan.lists { write(links, to: node, layer: layer) }
        raiseEntryPoint(to: plan.node)
    }

    /// Makes `node` the entry point when it is higher than the current one (or the graph had none). Caller holds
    /// `lock` exclusively; parallel inserts read the entry point under `entryLock`, so it is written under both.
    private func raiseEntryPoint(to node: UInt32) {
        let level = Int(levels[Int(node)])
        guard level > maxLevel else { return }
        entryLock.withLock {
            entryPoint = node
            maxLevel = level
        }
    }

    /// Links the appended, prepared rows `labels` on `threads` threads of their own (see
    /// ``add(contentsOf:count:threads:)``). Caller holds `writer`, so no row is appended meanwhile.
    private func linkInParallel(_ labels: Range<Int>, threads: Int) {
        let cursor = Cursor(labels.lowerBound)
        let done = DispatchGroup()
        for _ in 0..<threads {
            done.enter()
            let thread = Thread { [self] in
                defer { done.leave() }
                let visited = VisitedSet(capacity: store.count)
                while true {
                    let next = cursor.take()
                    guard next < labels.upperBound else { break }
                    link(UInt32(next), visited: visited)
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        done.wait()
    }

    /// One row of a parallel insert: plan from the current entry point, write the row's own lists, then each
    /// neighbour's, and raise the entry point when the row is the highest.
    private func link(_ node: UInt32, visited: VisitedSet) {
        let (entry, top) = entryLock.withLock { (entryPoint, maxLevel) }
        let plan = planLinks(node, entry: entry, top: top, visited: visited, stripes: stripes)
        for (_, layer, links) in plan.lists {
            stripes.withLock(node) { lock.withWriteLock { write(links, to: node, layer: layer) } }
        }
        for (_, layer, chosen) in plan.lists {
            for neighbor in chosen {
                // The neighbour's list as it is now, under its stripe until written: another thread may have
                // changed it since this row's search read it.
                stripes.withLock(neighbor) {
                    let links = linksAdding(node, to: neighbor, level: layer)
                    lock.withWriteLock { write(links, to: neighbor, layer: layer) }
                }
            }
        }
        if Int(levels[Int(node)]) > top { lock.withWriteLock { raiseEntryPoint(to: node) } }
    }

    @inline(__always)
    private func write(_ links: [UInt32], to node: UInt32, layer: Int) {
        let list = linkList(node, layer)
        list[0] = UInt32(links.count)
        for (j, label) in links.enumerated() { list[1 + j] = label }
    }

    /// The paper's neighbour-selection heuristic (its Algorithm 4, as hnswlib applies it): walking the
    /// candidates nearest first, keep one only if it is nearer to the base than to every neighbour kept
    /// so far. This keeps links spread in different directions, which is what lets clustered data stay
    /// connected.
    private func selectNeighbors(_ candidates: [(key: Float, id: UInt32)], limit: Int) -> [UInt32] {
        if candidates.count <= limit { return candidates.map(\.id) }
        var kept: [UInt32] = []
        kept.reserveCapacity(limit)
        for candidate in candidates {
            if kept.count >= limit { break }
            var diverse = true
            for other in kept where distanceBetween(candidate.id, other) < candidate.key {
                diverse = false
                break
            }
            if diverse { kept.append(candidate.id) }
        }
        return kept
    }

    /// `neighbor`'s links on `level` with `node` added; when the list is full, re-selected among the old links
    /// plus `node` with the heuristic.
    private func linksAdding(_ node: UInt32, to neighbor: UInt32, level: Int) -> [UInt32] {
        let limit = level == 0 ? maxM0 : maxM
        let list = linkList(neighbor, level)
        let degree = Int(list[0])
        let current = (0..<degree).map { list[1 + $0] }
        if degree < limit { return current + [node] }
        var candidates = [(key: Float, id: UInt32)]()
        candidates.reserveCapacity(degree + 1)
        candidates.append((distanceBetween(neighbor, node), node))
        for label in current { candidates.append((distanceBetween(neighbor, label), label)) }
        candidates.sort { $0.key < $1.key }
        return selectNeighbors(candidates, limit: limit)
    }

    func growGraph(to newCapacity: Int) {
        guard newCapacity > capacity else { return }
        let used = store.count
        let newLinks0 = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity * (maxM0 + 1))
        newLinks0.moveInitialize(from: links0, count: used * (maxM0 + 1))
        links0.deallocate()
        links0 = newLinks0
        let newUpper = UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>.allocate(capacity: newCapacity)
        newUpper.moveInitialize(from: upperLinks, count: used)
        (newUpper + used).initialize(repeating: nil, count: newCapacity - used)
        upperLinks.deallocate()
        upperLinks = newUpper
        let newLevels = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newLevels.moveInitialize(from: levels, count: used)
        levels.deallocate()
        levels = newLevels
        let newTombstones = UnsafeMutablePointer<Bool>.allocate(capacity: newCapacity)
        newTombstones.moveInitialize(from: tombstones, count: used)
        tombstones.deallocate()
        tombstones = newTombstones
        capacity = newCapacity
    }
}

/// Striped mutexes over nodes' link lists for parallel inserts: 4,096 of them, so two threads rarely wait for
/// the same one, at a fixed 160 KB whatever the graph's size (a mutex per node would cost 40 bytes a row).
final class LinkStripes: Sendable {
    /// A power of two, so a node's stripe is a mask of its label.
    private static let count = 4096
    private let locks: [Lock] = (0..<count).map { _ in Lock() }

    @inline(__always)
    func withLock<T>(_ node: UInt32, _ body: () -> T) -> T {
        locks[Int(node) & (Self.count - 1)].withLock(body)
    }
}

/// The next row to link, shared by the threads of a parallel insert.
private final class Cursor: Sendable {
    private let next: Atomic<Int>

    init(_ start: Int) { next = Atomic(start) }

    func take() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}

import ConcurrencySupport

/// An exact (brute-force) vector index: BLAS scoring of every row. The right choice below a few tens of
/// thousands of rows, and the ground truth that approximate search is measured against.
public final class FlatIndex: @unchecked Sendable {
    // @unchecked: `store` is read under the shared lock and appended to under the exclusive lock.
    /// Components per vector.
    public let dimension: Int
    /// How vectors are compared.
    public let metric: Metric
    private let lock = ReadWriteLock()
    private let store: VectorStore

    /// An empty index; `capacity` rows are reserved up front.
    public init(dimension: Int, metric: Metric, capacity: Int = 0) {
        precondition(dimension > 0, "dimension must be positive")
        self.dimension = dimension
        self.metric = metric
        store = VectorStore(dimension: dimension, metric: metric, capacity: capacity)
    }

    /// Number of rows.
    public var count: Int { lock.withReadLock { store.count } }

    /// Appends a row and returns its label (its position).
    @discardableResult
    public func add(_ vector: [Float]) throws(RetrievalError) -> UInt32 {
        guard vector.count == dimension else {
            throw RetrievalError(.dimensionMismatch, "vector has \(vector.count) dimensions, index has \(dimension)")
        }
        return try vector.withUnsafeBufferPointer { (buffer) throws(RetrievalError) -> UInt32 in
            try add(buffer.baseAddress!)
        }
    }

    /// Appends a row of `dimension` floats from a pointer and returns its label.
    @discardableResult
    public func add(_ vector: UnsafePointer<Float>) throws(RetrievalError) -> UInt32 {
        try lock.withWriteLock { () throws(RetrievalError) -> UInt32 in UInt32(try store.append(vector)) }
    }

    /// The exact `k` nearest rows to `query`, nearest first, among rows `filter` admits.
    public func search(_ query: [Float], k: Int, filter: ((UInt32) -> Bool)? = nil) throws(RetrievalError)
        -> [Neighbor]
    {
        let prepared = try store.prepareQuery(query)
        return lock.withReadLock {
            prepared.withUnsafeBufferPointer {
                ExactSearch.search(store: store, query: $0.baseAddress!, k: k, accept: filter)
            }
        }
    }

    /// The exact `k` nearest rows for each query, scored in blocks with `cblas_sgemm`.
    public func batchSearch(_ queries: [[Float]], k: Int) throws(RetrievalError) -> [[Neighbor]] {
        var flat = [Float]()
        flat.reserveCapacity(queries.count * dimension)
        for query in queries { flat += try store.prepareQuery(query) }
        return lock.withReadLock {
            flat.withUnsafeBufferPointer {
                ExactSearch.batchSearch(store: store, queries: $0.baseAddress!, queryCount: queries.count, k: k)
            }
        }
    }
}

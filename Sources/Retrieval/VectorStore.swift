/// Contiguous float32 rows of one dimension, growable, addressed by a dense row number.
///
/// Rows are stored as given for `l2` and L2-normalised for `cosine`. Not synchronised: the owner
/// (``HNSWIndex``) guards it with its lock, and growing reallocates, so no pointer may outlive a lock.
final class VectorStore {
    let dimension: Int
    let metric: Metric
    private(set) var count = 0
    private(set) var capacity = 0
    private(set) var rows: UnsafeMutablePointer<Float>
    /// Squared norms of the rows under `l2`, so exact search can use one matrix-vector product:
    /// |q - x|^2 = |q|^2 + |x|^2 - 2 q.x. Empty under cosine, where every norm is 1.
    private(set) var squaredNorms: [Float] = []

    init(dimension: Int, metric: Metric, capacity: Int = 0) {
        self.dimension = dimension
        self.metric = metric
        self.capacity = max(capacity, 16)
        rows = .allocate(capacity: self.capacity * dimension)
    }

    deinit { rows.deallocate() }

    var bytes: Int { capacity * dimension * MemoryLayout<Float>.stride + squaredNorms.capacity * 4 }

    @inline(__always)
    func row(_ index: Int) -> UnsafeMutablePointer<Float> { rows + index * dimension }

    func reserve(_ minimumCapacity: Int) {
        guard minimumCapacity > capacity else { return }
        let newCapacity = max(minimumCapacity, capacity + capacity / 2)
        let newRows = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity * dimension)
        newRows.moveInitialize(from: rows, count: count * dimension)
        rows.deallocate()
        rows = newRows
        capacity = newCapacity
    }

    /// Appends a row (normalising it under cosine) and returns its row number.
    func append(_ vector: UnsafePointer<Float>) throws(RetrievalError) -> Int {
        for i in 0..<dimension where !vector[i].isFinite {
            throw RetrievalError(.invalidVector, "vector component \(i) is not finite")
        }
        if count == capacity { reserve(count + 1) }
        let target = row(count)
        target.update(from: vector, count: dimension)
        if metric == .cosine && !normalize(target, dimension) {
            throw RetrievalError(.invalidVector, "a zero vector has no direction under the cosine metric")
        }
        if metric == .l2 { squaredNorms.append(dotProduct(target, target, dimension)) }
        count += 1
        return count - 1
    }

    /// Appends `rowCount` rows exactly as stored (already normalised), for loading a snapshot.
    func appendStored(_ source: UnsafePointer<Float>, rowCount: Int) {
        reserve(count + rowCount)
        row(count).update(from: source, count: rowCount * dimension)
        if metric == .l2 {
            for i in 0..<rowCount { squaredNorms.append(dotProduct(row(count + i), row(count + i), dimension)) }
        }
        count += rowCount
    }

    /// A query prepared for this store: a copy, normalised under cosine.
    func prepareQuery(_ query: [Float]) throws(RetrievalError) -> [Float] {
        guard query.count == dimension else {
            throw RetrievalError(.dimensionMismatch, "query has \(query.count) dimensions, index has \(dimension)")
        }
        guard query.allSatisfy(\.isFinite) else {
            throw RetrievalError(.invalidVector, "query has a non-finite component")
        }
        if metric == .cosine {
            guard let unit = VectorMath.normalized(query) else {
                throw RetrievalError(.invalidVector, "a zero query vector has no direction under the cosine metric")
            }
            return unit
        }
        return query
    }
}

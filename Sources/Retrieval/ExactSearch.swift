import CBLAS

/// Brute-force nearest neighbours: the answer for small indexes, for very selective filters, and the
/// oracle HNSW recall is measured against.
enum ExactSearch {
    /// The `k` nearest rows of `store` to a prepared `query`, among rows `accept` admits.
    ///
    /// Scores every row with one `cblas_sgemv` (memory-bound, so BLAS's blocking beats a row loop), then
    /// keeps a bounded heap.
    static func search(
        store: VectorStore, query: UnsafePointer<Float>, k: Int, accept: ((UInt32) -> Bool)?
    ) -> [Neighbor] {
        let n = store.count
        guard n > 0, k > 0 else { return [] }
        let dim = store.dimension
        let products = UnsafeMutablePointer<Float>.allocate(capacity: n)
        defer { products.deallocate() }
        cblas_sgemv(
            CblasRowMajor, CblasNoTrans, Int32(n), Int32(dim), 1, store.rows, Int32(dim), query, 1, 0,
            products, 1)
        let queryNorm = store.metric == .l2 ? dotProduct(query, query, dim) : 0
        var heap = DistanceHeap(capacity: k + 1)
        store.squaredNorms.withUnsafeBufferPointer { norms in
            for i in 0..<n {
                if let accept, !accept(UInt32(i)) { continue }
                let d: Float =
                    store.metric == .cosine ? 1 - products[i] : max(0, queryNorm + norms[i] - 2 * products[i])
                if heap.count < k {
                    heap.push(d, UInt32(i))
                } else if d < heap.topKey {
                    heap.pop()
                    heap.push(d, UInt32(i))
                }
            }
        }
        return heap.drainAscending().map { Neighbor(label: $0.id, distance: $0.key) }
    }

    /// The `k` nearest among the listed rows only, scored one by one with the SIMD kernel; used when a
    /// filter admits so few rows that a full matrix-vector product would be wasted.
    static func search(store: VectorStore, query: UnsafePointer<Float>, k: Int, rows: [UInt32]) -> [Neighbor] {
        guard k > 0 else { return [] }
        var heap = DistanceHeap(capacity: k + 1)
        for label in rows {
            let d = distance(store.metric, query, store.row(Int(label)), store.dimension)
            if heap.count < k {
                heap.push(d, label)
            } else if d < heap.topKey {
                heap.pop()
                heap.push(d, label)
            }
        }
        return heap.drainAscending().map { Neighbor(label: $0.id, distance: $0.key) }
    }

    /// The `k` nearest rows for each of `queryCount` prepared queries laid out row by row, scored in blocks
    /// with `cblas_sgemm` so memory stays bounded (a block of base rows times all queries).
    static func batchSearch(
        store: VectorStore, queries: UnsafePointer<Float>, queryCount: Int, k: Int, blockRows: Int = 8192
    ) -> [[Neighbor]] {
        let n = store.count
        let dim = store.dimension
        guard n > 0, k > 0, queryCount > 0 else { return Array(repeating: [], count: queryCount) }
        var heaps = (0..<queryCount).map { _ in DistanceHeap(capacity: k + 1) }
        let block = min(blockRows, n)
        let products = UnsafeMutablePointer<Float>.allocate(capacity: queryCount * block)
        defer { products.deallocate() }
        let queryNorms = (0..<queryCount).map { dotProduct(queries + $0 * dim, queries + $0 * dim, dim) }
        var start = 0
        while start < n {
            let rowsInBlock = min(block, n - start)
            // products[q][r] = query q . row (start + r)
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(queryCount), Int32(rowsInBlock), Int32(dim), 1,
                queries, Int32(dim), store.row(start), Int32(dim), 0, products, Int32(rowsInBlock))
            store.squaredNorms.withUnsafeBufferPointer { norms in
                for q in 0..<queryCount {
                    let line = products + q * rowsInBlock
                    for r in 0..<rowsInBlock {
                        let d: Float =
                            store.metric == .cosine
                            ? 1 - line[r] : max(0, queryNorms[q] + norms[start + r] - 2 * line[r])
                        if heaps[q].count < k {
                            heaps[q].push(d, UInt32(start + r))
                        } else if d < heaps[q].topKey {
                            heaps[q].pop()
                            heaps[q].push(d, UInt32(start + r))
                        }
                    }
                }
            }
            start += rowsInBlock
        }
        return heaps.indices.map { q in heaps[q].drainAscending().map { Neighbor(label: $0.id, distance: $0.key) } }
    }
}

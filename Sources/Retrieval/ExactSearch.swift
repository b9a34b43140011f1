import CBLAS

/// Brute-force nearest neighbours: the answer for small indexes, for very selective filters, and the
/// oracle HNSW recall is measured against.
enum ExactSearch {
    /// The `k` nearest rows of `store` to a prepared `query`, among rows `accept` admits.
    static func search(
        store: VectorStore, query: UnsafePointer<Float>, k: Int, accept: ((UInt32) -> Bool)?
    ) -> [Neighbor] {
        scan(store: store, query: query, k: k, rows: store.count) { accept?(UInt32($0)) ?? true }
    }

    /// The `k` nearest rows of `store` to a prepared `query` among the rows marked in `live` and not in
    /// `tombstones`: the unfiltered search of a live index, where a per-row closure (two indirect calls and a
    /// retain of the caller's state for each of thousands of rows) cost half as much as the product itself.
    static func search(
        store: VectorStore, query: UnsafePointer<Float>, k: Int, live: UnsafeBufferPointer<Bool>,
        tombstones: UnsafePointer<Bool>
    ) -> [Neighbor] {
        scan(store: store, query: query, k: k, rows: min(store.count, live.count)) { live[$0] && !tombstones[$0] }
    }

    /// Scores every row with one `cblas_sgemv` (memory-bound, so BLAS's blocking beats a row loop), then keeps
    /// the `k` nearest of the first `rows` rows that `admit` admits in a bounded heap. Inlined into each caller,
    /// so a predicate on plain buffers costs a load per row.
    @inline(__always)
    private static func scan(
        store: VectorStore, query: UnsafePointer<Float>, k: Int, rows: Int, admit: (Int) -> Bool
    ) -> [Neighbor] {
        guard rows > 0, k > 0 else { return [] }
        let dim = store.dimension
        let products = UnsafeMutablePointer<Float>.allocate(capacity: store.count)
        defer { products.deallocate() }
        cblas_sgemv(
            CblasRowMajor, CblasNoTrans, Int32(store.count), Int32(dim), 1, store.rows, Int32(dim), query, 1, 0,
            products, 1)
        let queryNorm = store.metric == .l2 ? dotProduct(query, query, dim) : 0
        let cosine = store.metric == .cosine
        var heap = DistanceHeap(capacity: k + 1)
        store.squaredNorms.withUnsafeBufferPointer { norms in
            for i in 0..<rows where admit(i) {
                let d: Float = cosine ? 1 - products[i] : max(0, queryNorm + norms[i] - 2 * products[i])
                heap.keep(d, UInt32(i), nearest: k)
            }
        }
        return heap.drainAscending().map { Neighbor(label: $0.id, distance: $0.key) }
    }

    /// The same answer as ``search(store:query:k:live:tombstones:)`` under cosine, reading each row's byte codes
    /// (a quarter of its floats) first and the floats of only the rows the codes cannot rule out.
    ///
    /// A row's code distance `d̃` and true distance `d` differ by at most `B = |q| × |x − x̂| + ε` (its residual,
    /// ``QuantizedRows/residuals``, by Cauchy–Schwarz; `ε` covers float rounding in both sums). Let `U` be the
    /// `k`-th smallest `d̃ + B` over the admitted rows: those `k` rows are all within `U`, so the true `k`-th
    /// distance is at most `U`, and a row of the true answer has `d̃ − B ≤ d ≤ U`. Rows with `d̃ − B > U` can
    /// therefore be skipped; the others are scored on their floats, in label order as the full scan scores them,
    /// so ties fall as they do there. With codes of a few thousandths, that is `k` plus a few dozen rows.
    static func search(
        store: VectorStore, codes: QuantizedRows, query: UnsafePointer<Float>, k: Int,
        live: UnsafeBufferPointer<Bool>, tombstones: UnsafePointer<Bool>
    ) -> [Neighbor] {
        precondition(store.metric == .cosine && codes.metric == .cosine, "the code bound is for inner products")
        let n = min(store.count, live.count, codes.count)
        guard n > 0, k > 0 else { return [] }
        let dim = store.dimension
        let prepared = codes.quantizer.prepare(query)
        let queryNorm = prepared.squaredNorm.squareRoot()
        let labels = UnsafeMutablePointer<UInt32>.allocate(capacity: n)
        defer { labels.deallocate() }
        var admitted = 0
        for i in 0..<n where live[i] && !tombstones[i] {
            labels[admitted] = UInt32(i)
            admitted += 1
        }
        guard admitted > 0 else { return [] }
        let approximate = UnsafeMutablePointer<Float>.allocate(capacity: admitted)
        defer { approximate.deallocate() }
        prepared.scaled.withUnsafeBufferPointer { scaled in
            codes.distances(prepared, scaled.baseAddress!, labels, admitted, into: approximate)
        }
        let residuals = codes.residuals
        @inline(__always) func bound(_ j: Int) -> Float { queryNorm * residuals[Int(labels[j])] + slack }
        var upper = DistanceHeap(capacity: k + 1)
        for j in 0..<admitted {
            let key = approximate[j] + bound(j)
            upper.keep(key, labels[j], nearest: k)
        }
        let limit = upper.count < k ? Float.infinity : upper.topKey
        var heap = DistanceHeap(capacity: k + 1)
        for j in 0..<admitted where approximate[j] - bound(j) <= limit {
            let label = labels[j]
            heap.keep(distance(.cosine, query, store.row(Int(label)), dim), label, nearest: k)
        }
        return heap.drainAscending().map { Neighbor(label: $0.id, distance: $0.key) }
    }

    /// What float rounding may add to a distance computed either way (sums of 384 products of magnitude below
    /// one differ in the sixth decimal at most); generous, since it only widens the rows rescored.
    static let slack: Float = 1e-3

    /// The `k` nearest among the listed rows only, scored one by one with the SIMD kernel; used when a
    /// filter admits so few rows that a full matrix-vector product would be wasted.
    static func search(store: VectorStore, query: UnsafePointer<Float>, k: Int, rows: [UInt32]) -> [Neighbor] {
        guard k > 0 else { return [] }
        var heap = DistanceHeap(capacity: k + 1)
        for label in rows {
            heap.keep(distance(store.metric, query, store.row(Int(label)), store.dimension), label, nearest: k)
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
                        heaps[q].keep(d, UInt32(start + r), nearest: k)
                    }
                }
            }
            start += rowsInBlock
        }
        return heaps.indices.map { q in heaps[q].drainAscending().map { Neighbor(label: $0.id, distance: $0.key) } }
    }
}

/// Distances from one query to rows of a graph, as a graph walk asks for them: one row, or a batch of a node's
/// unvisited neighbours. ``HNSWIndex`` walks with float rows (``FloatScorer``) or byte codes
/// (``QuantizedScorer``); the walk is generic over this so each is specialised with its kernels inlined.
protocol RowScorer {
    /// The distance to row `label`; smaller is nearer.
    func distance(_ label: UInt32) -> Float
    /// The distances to `count` rows, written to `out` in order.
    func distances(_ labels: UnsafePointer<UInt32>, _ count: Int, into out: UnsafeMutablePointer<Float>)
}

/// Exact distances over float rows (``VectorStore``). The pointers are valid while the caller holds the graph's
/// lock (or, building, its writer lock), since growing the store moves its rows.
struct FloatScorer: RowScorer {
    let metric: Metric
    let query: UnsafePointer<Float>
    let rows: UnsafePointer<Float>
    let dimension: Int

    init(metric: Metric, query: UnsafePointer<Float>, rows: UnsafeMutablePointer<Float>, dimension: Int) {
        self.metric = metric
        self.query = query
        self.rows = UnsafePointer(rows)
        self.dimension = dimension
    }

    @inline(__always)
    func distance(_ label: UInt32) -> Float {
        Retrieval.distance(metric, query, rows + Int(label) &* dimension, dimension)
    }

    /// Eight rows at a time, then four, then one (see `distances8` in Distance.swift).
    @inline(__always)
    func distances(_ labels: UnsafePointer<UInt32>, _ count: Int, into out: UnsafeMutablePointer<Float>) {
        let dim = dimension
        var i = 0
        while i + 8 <= count {
            distances8(metric, query, rows, labels + i, dim, into: out + i)
            i += 8
        }
        while i + 4 <= count {
            let d = distances4(
                metric, query, rows + Int(labels[i]) &* dim, rows + Int(labels[i + 1]) &* dim,
                rows + Int(labels[i + 2]) &* dim, rows + Int(labels[i + 3]) &* dim, dim)
            out[i] = d[0]
            out[i + 1] = d[1]
            out[i + 2] = d[2]
            out[i + 3] = d[3]
            i += 4
        }
        while i < count {
            out[i] = distance(labels[i])
            i += 1
        }
    }
}

/// Approximate distances over byte codes (``QuantizedRows``); valid under the graph's lock, as ``FloatScorer``.
struct QuantizedScorer: RowScorer {
    unowned(unsafe) let rows: QuantizedRows
    let query: QuantizedQuery
    let scaled: UnsafePointer<Float>

    @inline(__always)
    func distance(_ label: UInt32) -> Float { rows.distance(query, scaled, label) }

    @inline(__always)
    func distances(_ labels: UnsafePointer<UInt32>, _ count: Int, into out: UnsafeMutablePointer<Float>) {
        rows.distances(query, scaled, labels, count, into: out)
    }
}

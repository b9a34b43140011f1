/// The byte codes of a graph's rows (``ScalarQuantizer``), growable, addressed by row number like
/// ``VectorStore``: a quarter of the float rows' bytes, which is what a graph walk reads.
///
/// Not synchronised: ``HNSWIndex`` guards it with its lock, and growing reallocates.
final class QuantizedRows {
    let quantizer: ScalarQuantizer
    let metric: Metric
    private(set) var count = 0
    private(set) var capacity = 0
    private(set) var codes: UnsafeMutablePointer<UInt8>
    /// Decoded squared norm per row, for `l2` (``ScalarQuantizer``); unused under cosine.
    private(set) var squaredNorms: UnsafeMutablePointer<Float>
    /// `|x − x̂|` per row: by Cauchy–Schwarz no query `q` has `q · x` and `q · x̂` further apart than
    /// `|q| × |x − x̂|`, which is what lets ``ExactSearch`` read codes first and still return the exact answer.
    private(set) var residuals: UnsafeMutablePointer<Float>

    var dimension: Int { quantizer.dimension }

    init(quantizer: ScalarQuantizer, metric: Metric, capacity: Int) {
        self.quantizer = quantizer
        self.metric = metric
        self.capacity = max(capacity, 16)
        codes = .allocate(capacity: self.capacity * quantizer.dimension)
        squaredNorms = .allocate(capacity: self.capacity)
        residuals = .allocate(capacity: self.capacity)
    }

    deinit {
        codes.deallocate()
        squaredNorms.deallocate()
        residuals.deallocate()
    }

    var bytes: Int { capacity * (dimension + 2 * MemoryLayout<Float>.stride) }

    func reserve(_ minimumCapacity: Int) {
        guard minimumCapacity > capacity else { return }
        let newCapacity = max(minimumCapacity, capacity + capacity / 2)
        let newCodes = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity * dimension)
        newCodes.moveInitialize(from: codes, count: count * dimension)
        codes.deallocate()
        codes = newCodes
        let newNorms = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity)
        newNorms.moveInitialize(from: squaredNorms, count: count)
        squaredNorms.deallocate()
        squaredNorms = newNorms
        let newResiduals = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity)
        newResiduals.moveInitialize(from: residuals, count: count)
        residuals.deallocate()
        residuals = newResiduals
        capacity = newCapacity
    }

    /// Encodes the next row (already normalised under cosine).
    func append(_ row: UnsafePointer<Float>) {
        if count == capacity { reserve(count + 1) }
        let measured = quantizer.encode(row, into: codes + count &* dimension)
        squaredNorms[count] = measured.squaredNorm
        residuals[count] = measured.residual
        count += 1
    }

    /// Distances from a prepared query to `count` rows, eight at a time; the same scale as the float distances
    /// (`1 − q · x̂` under cosine, `|q − x̂|²` under `l2`).
    @inline(__always)
    func distances(
        _ query: QuantizedQuery, _ scaled: UnsafePointer<Float>, _ labels: UnsafePointer<UInt32>, _ count: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        let dim = dimension
        var i = 0
        while i + 8 <= count {
            quantizedDots8(scaled, codes, labels + i, dim, into: out + i)
            i += 8
        }
        while i < count {
            out[i] = quantizedDot(scaled, codes + Int(labels[i]) &* dim, dim)
            i += 1
        }
        for j in 0..<count {
            let dot = query.offset + out[j]
            out[j] =
                metric == .cosine ? 1 - dot : query.squaredNorm + squaredNorms[Int(labels[j])] - 2 * dot
        }
    }

    /// The distance from a prepared query to one row.
    @inline(__always)
    func distance(_ query: QuantizedQuery, _ scaled: UnsafePointer<Float>, _ label: UInt32) -> Float {
        let dot = query.offset + quantizedDot(scaled, codes + Int(label) &* dimension, dimension)
        return metric == .cosine ? 1 - dot : query.squaredNorm + squaredNorms[Int(label)] - 2 * dot
    }
}

/// `Σ scaled[d] × codes[d]`: bytes widened to floats sixteen at a time (with AVX2, two `vpmovzxbd` and
/// `vcvtdq2ps` per FMA pair), so a row costs 384 bytes of memory traffic instead of 1,536.
@inline(__always) @_optimize(speed)
func quantizedDot(_ scaled: UnsafePointer<Float>, _ codes: UnsafePointer<UInt8>, _ count: Int) -> Float {
    var acc = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
        let bytes = UnsafeRawPointer(codes + i).loadUnaligned(as: SIMD16<UInt8>.self)
        acc = acc.addingProduct(
            UnsafeRawPointer(scaled + i).loadUnaligned(as: SIMD16<Float>.self), SIMD16<Float>(bytes))
        i += 16
    }
    var sum = acc.sum()
    while i < count {
        sum += scaled[i] * Float(codes[i])
        i += 1
    }
    return sum
}

/// `quantizedDot` for eight rows at once, as ``distances8(_:_:_:_:_:into:)`` does for floats: eight independent
/// memory streams, the query loaded once per step for all of them.
@inline(__always) @_optimize(speed)
func quantizedDots8(
    _ scaled: UnsafePointer<Float>, _ codes: UnsafePointer<UInt8>, _ labels: UnsafePointer<UInt32>,
    _ dimension: Int, into out: UnsafeMutablePointer<Float>
) {
    let r0 = codes + Int(labels[0]) &* dimension
    let r1 = codes + Int(labels[1]) &* dimension
    let r2 = codes + Int(labels[2]) &* dimension
    let r3 = codes + Int(labels[3]) &* dimension
    let r4 = codes + Int(labels[4]) &* dimension
    let r5 = codes + Int(labels[5]) &* dimension
    let r6 = codes + Int(labels[6]) &* dimension
    let r7 = codes + Int(labels[7]) &* dimension
    var a0 = SIMD8<Float>()
    var a1 = SIMD8<Float>()
    var a2 = SIMD8<Float>()
    var a3 = SIMD8<Float>()
    var a4 = SIMD8<Float>()
    var a5 = SIMD8<Float>()
    var a6 = SIMD8<Float>()
    var a7 = SIMD8<Float>()
    @inline(__always) func load(_ p: UnsafePointer<UInt8>, _ i: Int) -> SIMD8<Float> {
        SIMD8<Float>(UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<UInt8>.self))
    }
    var i = 0
    while i + 8 <= dimension {
        let qv = UnsafeRawPointer(scaled + i).loadUnaligned(as: SIMD8<Float>.self)
        a0 = a0.addingProduct(qv, load(r0, i))
        a1 = a1.addingProduct(qv, load(r1, i))
        a2 = a2.addingProduct(qv, load(r2, i))
        a3 = a3.addingProduct(qv, load(r3, i))
        a4 = a4.addingProduct(qv, load(r4, i))
        a5 = a5.addingProduct(qv, load(r5, i))
        a6 = a6.addingProduct(qv, load(r6, i))
        a7 = a7.addingProduct(qv, load(r7, i))
        i += 8
    }
    var s0 = SIMD4<Float>(a0.sum(), a1.sum(), a2.sum(), a3.sum())
    var s1 = SIMD4<Float>(a4.sum(), a5.sum(), a6.sum(), a7.sum())
    while i < dimension {
        let qs = SIMD4(repeating: scaled[i])
        s0 = s0.addingProduct(qs, SIMD4(Float(r0[i]), Float(r1[i]), Float(r2[i]), Float(r3[i])))
        s1 = s1.addingProduct(qs, SIMD4(Float(r4[i]), Float(r5[i]), Float(r6[i]), Float(r7[i])))
        i += 1
    }
    for j in 0..<4 {
        out[j] = s0[j]
        out[4 + j] = s1[j]
    }
}

// Distance kernels over raw float pointers. They are written with `SIMD16<Float>.addingProduct` so that a
// build for a CPU with FMA (`-Xswiftc -target-cpu -Xswiftc haswell`) turns each step into one vector FMA;
// a portable build still works, only slower. Two accumulators hide the FMA latency. `@_optimize(speed)`
// keeps them optimised in debug builds too, where generic SIMD code is otherwise ~50x slower and would
// dominate the test suite's run time.

/// Inner product of two `count`-long float arrays.
@inline(__always) @_optimize(speed)
func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
    var acc0 = SIMD16<Float>()
    var acc1 = SIMD16<Float>()
    var i = 0
    while i + 32 <= count {
        acc0 = acc0.addingProduct(
            UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self),
            UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self))
        acc1 = acc1.addingProduct(
            UnsafeRawPointer(a + i + 16).loadUnaligned(as: SIMD16<Float>.self),
            UnsafeRawPointer(b + i + 16).loadUnaligned(as: SIMD16<Float>.self))
        i += 32
    }
    if i + 16 <= count {
        acc0 = acc0.addingProduct(
            UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self),
            UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self))
        i += 16
    }
    var sum = (acc0 + acc1).sum()
    while i < count {
        sum += a[i] * b[i]
        i += 1
    }
    return sum
}

/// Squared Euclidean distance between two `count`-long float arrays.
@inline(__always) @_optimize(speed)
func squaredL2(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
    var acc0 = SIMD16<Float>()
    var acc1 = SIMD16<Float>()
    var i = 0
    while i + 32 <= count {
        let d0 =
            UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            - UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
        let d1 =
            UnsafeRawPointer(a + i + 16).loadUnaligned(as: SIMD16<Float>.self)
            - UnsafeRawPointer(b + i + 16).loadUnaligned(as: SIMD16<Float>.self)
        acc0 = acc0.addingProduct(d0, d0)
        acc1 = acc1.addingProduct(d1, d1)
        i += 32
    }
    if i + 16 <= count {
        let d0 =
            UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            - UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
        acc0 = acc0.addingProduct(d0, d0)
        i += 16
    }
    var sum = (acc0 + acc1).sum()
    while i < count {
        let d = a[i] - b[i]
        sum += d * d
        i += 1
    }
    return sum
}

/// The internal distance for `metric`: smaller is nearer. For cosine both vectors are already unit length.
@inline(__always)
func distance(_ metric: Metric, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
    switch metric {
    case .cosine: return 1 - dotProduct(a, b, count)
    case .l2: return squaredL2(a, b, count)
    }
}

/// Scales `vector` in place to unit length; returns false (leaving it unchanged) for a zero or
/// non-finite vector, which has no direction.
func normalize(_ vector: UnsafeMutablePointer<Float>, _ count: Int) -> Bool {
    let norm2 = dotProduct(vector, vector, count)
    guard norm2.isFinite, norm2 > 0 else { return false }
    let scale = 1 / norm2.squareRoot()
    for i in 0..<count { vector[i] *= scale }
    return true
}

/// Public entry points to the kernels, for callers (benchmarks, tests) that score vectors themselves.
public enum VectorMath {
    /// Inner product of two equal-length vectors.
    public static func dot(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "vectors of different lengths")
        if a.isEmpty { return 0 }
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in dotProduct(pa.baseAddress!, pb.baseAddress!, a.count) }
        }
    }

    /// Squared Euclidean distance of two equal-length vectors.
    public static func squaredDistance(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "vectors of different lengths")
        if a.isEmpty { return 0 }
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in squaredL2(pa.baseAddress!, pb.baseAddress!, a.count) }
        }
    }

    /// `vector` scaled to unit length, or nil for a zero or non-finite vector.
    public static func normalized(_ vector: [Float]) -> [Float]? {
        var copy = vector
        if copy.isEmpty { return nil }
        let ok = copy.withUnsafeMutableBufferPointer { normalize($0.baseAddress!, $0.count) }
        return ok ? copy : nil
    }
}

/// Distances from one query to four rows at once. Graph search is bound by memory latency, not
/// arithmetic: one row at a time leaves a single cache-miss stream in flight, while four independent
/// streams let the memory system overlap them (and the query is loaded once per step for all four).
@inline(__always) @_optimize(speed)
func distances4(
    _ metric: Metric, _ q: UnsafePointer<Float>, _ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>,
    _ r2: UnsafePointer<Float>, _ r3: UnsafePointer<Float>, _ count: Int
) -> SIMD4<Float> {
    var a0 = SIMD16<Float>()
    var a1 = SIMD16<Float>()
    var a2 = SIMD16<Float>()
    var a3 = SIMD16<Float>()
    var i = 0
    if metric == .cosine {
        while i + 16 <= count {
            let qv = UnsafeRawPointer(q + i).loadUnaligned(as: SIMD16<Float>.self)
            a0 = a0.addingProduct(qv, UnsafeRawPointer(r0 + i).loadUnaligned(as: SIMD16<Float>.self))
            a1 = a1.addingProduct(qv, UnsafeRawPointer(r1 + i).loadUnaligned(as: SIMD16<Float>.self))
            a2 = a2.addingProduct(qv, UnsafeRawPointer(r2 + i).loadUnaligned(as: SIMD16<Float>.self))
            a3 = a3.addingProduct(qv, UnsafeRawPointer(r3 + i).loadUnaligned(as: SIMD16<Float>.self))
            i += 16
        }
        var s = SIMD4<Float>(a0.sum(), a1.sum(), a2.sum(), a3.sum())
        while i < count {
            s = s.addingProduct(SIMD4(repeating: q[i]), SIMD4(r0[i], r1[i], r2[i], r3[i]))
            i += 1
        }
        return 1 - s
    }
    while i + 16 <= count {
        let qv = UnsafeRawPointer(q + i).loadUnaligned(as: SIMD16<Float>.self)
        let d0 = qv - UnsafeRawPointer(r0 + i).loadUnaligned(as: SIMD16<Float>.self)
        let d1 = qv - UnsafeRawPointer(r1 + i).loadUnaligned(as: SIMD16<Float>.self)
        let d2 = qv - UnsafeRawPointer(r2 + i).loadUnaligned(as: SIMD16<Float>.self)
        let d3 = qv - UnsafeRawPointer(r3 + i).loadUnaligned(as: SIMD16<Float>.self)
        a0 = a0.addingProduct(d0, d0)
        a1 = a1.addingProduct(d1, d1)
        a2 = a2.addingProduct(d2, d2)
        a3 = a3.addingProduct(d3, d3)
        i += 16
    }
    var s = SIMD4<Float>(a0.sum(), a1.sum(), a2.sum(), a3.sum())
    while i < count {
        let d = SIMD4(repeating: q[i]) - SIMD4(r0[i], r1[i], r2[i], r3[i])
        s = s.addingProduct(d, d)
        i += 1
    }
    return s
}

/// Distances from one query to eight rows at once: the same idea as `distances4` with twice the
/// independent memory streams, on 8-lane accumulators so that all sixteen stay in registers.
@inline(__always) @_optimize(speed)
func distances8(
    _ metric: Metric, _ q: UnsafePointer<Float>, _ rows: UnsafePointer<Float>, _ labels: UnsafePointer<UInt32>,
    _ dimension: Int, into out: UnsafeMutablePointer<Float>
) {
    let r0 = rows + Int(labels[0]) &* dimension
    let r1 = rows + Int(labels[1]) &* dimension
    let r2 = rows + Int(labels[2]) &* dimension
    let r3 = rows + Int(labels[3]) &* dimension
    let r4 = rows + Int(labels[4]) &* dimension
    let r5 = rows + Int(labels[5]) &* dimension
    let r6 = rows + Int(labels[6]) &* dimension
    let r7 = rows + Int(labels[7]) &* dimension
    var a0 = SIMD8<Float>()
    var a1 = SIMD8<Float>()
    var a2 = SIMD8<Float>()
    var a3 = SIMD8<Float>()
    var a4 = SIMD8<Float>()
    var a5 = SIMD8<Float>()
    var a6 = SIMD8<Float>()
    var a7 = SIMD8<Float>()
    @inline(__always) func load(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD8<Float> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
    }
    var i = 0
    if metric == .cosine {
        while i + 8 <= dimension {
            let qv = load(q, i)
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
    } else {
        while i + 8 <= dimension {
            let qv = load(q, i)
            var d = qv - load(r0, i)
            a0 = a0.addingProduct(d, d)
            d = qv - load(r1, i)
            a1 = a1.addingProduct(d, d)
            d = qv - load(r2, i)
            a2 = a2.addingProduct(d, d)
            d = qv - load(r3, i)
            a3 = a3.addingProduct(d, d)
            d = qv - load(r4, i)
            a4 = a4.addingProduct(d, d)
            d = qv - load(r5, i)
            a5 = a5.addingProduct(d, d)
            d = qv - load(r6, i)
            a6 = a6.addingProduct(d, d)
            d = qv - load(r7, i)
            a7 = a7.addingProduct(d, d)
            i += 8
        }
    }
    var s0 = SIMD4<Float>(a0.sum(), a1.sum(), a2.sum(), a3.sum())
    var s1 = SIMD4<Float>(a4.sum(), a5.sum(), a6.sum(), a7.sum())
    while i < dimension {
        let qs = SIMD4(repeating: q[i])
        let x0 = SIMD4(r0[i], r1[i], r2[i], r3[i])
        let x1 = SIMD4(r4[i], r5[i], r6[i], r7[i])
        if metric == .cosine {
            s0 = s0.addingProduct(qs, x0)
            s1 = s1.addingProduct(qs, x1)
        } else {
            s0 = s0.addingProduct(qs - x0, qs - x0)
            s1 = s1.addingProduct(qs - x1, qs - x1)
        }
        i += 1
    }
    if metric == .cosine {
        s0 = 1 - s0
        s1 = 1 - s1
    }
    for j in 0..<4 {
        out[j] = s0[j]
        out[4 + j] = s1[j]
    }
}

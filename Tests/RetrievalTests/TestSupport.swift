import Foundation
import Retrieval

/// Shared helpers: reference (naive) computations written independently of the code under test.
enum Naive {
    /// Exact top-k by a plain double loop in Double precision; returns labels nearest first.
    static func topK(
        _ rows: [[Float]], _ query: [Float], k: Int, metric: Metric, where admit: (Int) -> Bool = { _ in true }
    )
        -> [Int]
    {
        func unit(_ v: [Float]) -> [Double] {
            let norm = v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            return v.map { Double($0) / norm }
        }
        let q = metric == .cosine ? unit(query) : query.map(Double.init)
        var scored: [(Int, Double)] = []
        for (i, row) in rows.enumerated() where admit(i) {
            let r = metric == .cosine ? unit(row) : row.map(Double.init)
            var d = 0.0
            for j in 0..<r.count {
                if metric == .cosine { d -= q[j] * r[j] } else { d += (q[j] - r[j]) * (q[j] - r[j]) }
            }
            scored.append((i, d))
        }
        return scored.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(k).map(\.0)
    }
}

/// Deterministic pseudo-random floats (xorshift), so tests do not depend on the library's generators.
struct TestRandom {
    var state: UInt64
    init(_ seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    mutating func float() -> Float { Float(next() >> 40) / Float(1 << 24) * 2 - 1 }
    mutating func vector(_ dimension: Int) -> [Float] { (0..<dimension).map { _ in float() } }
}

/// Rows split out of a flat array.
func rowsOf(_ flat: [Float], dimension: Int) -> [[Float]] {
    stride(from: 0, to: flat.count, by: dimension).map { Array(flat[$0..<($0 + dimension)]) }
}

/// A fresh empty directory under the system temporary directory.
func temporaryDirectory(_ name: String = #function) -> String {
    let path = NSTemporaryDirectory() + "retrieval-tests-\(name.filter(\.isLetter))-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The code of the ``RetrievalError`` `body` throws; nil if it throws nothing or another error.
func errorCode(_ body: () throws -> Void) -> RetrievalError.Code? {
    do {
        try body()
        return nil
    } catch {
        return (error as? RetrievalError)?.code
    }
}

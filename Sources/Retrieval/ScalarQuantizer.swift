/// Per-dimension affine 8-bit codes for the rows of a graph (ARCHITECTURE.md section 5, "int8 vectors").
///
/// Dimension `d` of a row is stored as one byte `c` with `x ≈ lower[d] + c × step[d]`, the range
/// `lower[d] ... lower[d] + 255 × step[d]` being the dimension's range over the rows the quantizer was trained on
/// (values outside it are clamped). Per-dimension ranges matter for embeddings: some dimensions of MiniLM's unit
/// vectors span ten times the range of others, and one global scale would give those few all 256 levels.
///
/// A graph walk compares a float query with byte codes without decoding a row (asymmetric distance, as Qdrant's
/// and FAISS's scalar quantizers do): the query is scaled once, `scaled[d] = q[d] × step[d]`, and
/// `q · x̂ = Σ q[d] × lower[d] + Σ scaled[d] × c[d]`, where the first sum is one number per query. Under `l2`
/// the row's decoded squared norm, kept beside its codes, gives `|q − x̂|² = |q|² + |x̂|² − 2 q · x̂`.
struct ScalarQuantizer: Sendable {
    let dimension: Int
    /// The lowest value of each dimension that a code represents exactly (code 0).
    let lower: [Float]
    /// The distance between neighbouring codes per dimension; positive.
    let step: [Float]

    /// Levels of a code: 0 ... 255.
    static let levels: Float = 255

    /// The ranges of `count` rows of `dimension` floats stored one after another; a dimension that is constant
    /// over them gets a tiny positive step so that every code decodes to a finite value.
    init(training rows: UnsafePointer<Float>, count: Int, dimension: Int) {
        precondition(count > 0 && dimension > 0, "a quantizer needs rows to train on")
        var low = [Float](repeating: .infinity, count: dimension)
        var high = [Float](repeating: -.infinity, count: dimension)
        Self.ranges(rows, count: count, dimension: dimension, low: &low, high: &high)
        self.dimension = dimension
        lower = low
        step = zip(low, high).map { max(($1 - $0) / Self.levels, Float.leastNormalMagnitude * 1024) }
    }

    @_optimize(speed)
    private static func ranges(
        _ rows: UnsafePointer<Float>, count: Int, dimension: Int, low: inout [Float], high: inout [Float]
    ) {
        low.withUnsafeMutableBufferPointer { low in
            high.withUnsafeMutableBufferPointer { high in
                for r in 0..<count {
                    let row = rows + r &* dimension
                    for d in 0..<dimension {
                        low[d] = min(low[d], row[d])
                        high[d] = max(high[d], row[d])
                    }
                }
            }
        }
    }

    /// The codes of one row, written to `codes`; returns the decoded row's squared norm and `|x − x̂|`, the
    /// distance between the row and what its codes decode to (clamped values included).
    @discardableResult @_optimize(speed)
    func encode(_ row: UnsafePointer<Float>, into codes: UnsafeMutablePointer<UInt8>) -> (
        squaredNorm: Float, residual: Float
    ) {
        var norm: Float = 0
        var residual: Float = 0
        lower.withUnsafeBufferPointer { lower in
            step.withUnsafeBufferPointer { step in
                for d in 0..<dimension {
                    let level = ((row[d] - lower[d]) / step[d]).rounded()
                    let code = UInt8(min(max(level, 0), Self.levels))
                    codes[d] = code
                    let decoded = lower[d] + Float(code) * step[d]
                    norm += decoded * decoded
                    residual += (row[d] - decoded) * (row[d] - decoded)
                }
            }
        }
        return (norm, residual.squareRoot())
    }

    /// The float value a code of dimension `d` stands for.
    @inline(__always)
    func decode(_ code: UInt8, dimension d: Int) -> Float { lower[d] + Float(code) * step[d] }

    /// `query` (already normalised under cosine) scaled for ``QuantizedRows`` distances.
    func prepare(_ query: UnsafePointer<Float>) -> QuantizedQuery {
        var scaled = [Float](repeating: 0, count: dimension)
        var offset: Float = 0
        var norm: Float = 0
        for d in 0..<dimension {
            scaled[d] = query[d] * step[d]
            offset += query[d] * lower[d]
            norm += query[d] * query[d]
        }
        return QuantizedQuery(scaled: scaled, offset: offset, squaredNorm: norm)
    }
}

/// A float query ready to be compared with byte codes (see ``ScalarQuantizer``).
struct QuantizedQuery: Sendable {
    /// `q[d] × step[d]`.
    var scaled: [Float]
    /// `Σ q[d] × lower[d]`, the part of every inner product that does not depend on the row.
    var offset: Float
    /// `|q|²`, for `l2`.
    var squaredNorm: Float
}

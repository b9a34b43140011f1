import Foundation

/// Reproducible synthetic data for tests and benchmarks.
public enum SyntheticVectors {
    /// `rows` base vectors and `queries` query vectors (not base rows), each a random one of `clusters`
    /// unit centres plus isotropic Gaussian noise of total norm about `spread`, row after row in flat
    /// arrays. Sentence embeddings are clustered by topic like this, which is what makes graph search
    /// work on them; uniform random vectors would be a much harder and unrealistic case.
    public static func clusteredPair(
        rows: Int, queries: Int, dimension: Int, clusters: Int, spread: Float = 0.6, seed: UInt64 = 1
    ) -> (base: [Float], queries: [Float]) {
        var random = SplitMix64(seed: seed)
        let centres = (0..<max(clusters, 1)).map { _ -> [Float] in
            let v = (0..<dimension).map { _ in gaussian(&random) }
            return VectorMath.normalized(v) ?? v
        }
        let base = points(rows: rows, dimension: dimension, centres: centres, spread: spread, random: &random)
        let query = points(rows: queries, dimension: dimension, centres: centres, spread: spread, random: &random)
        return (base, query)
    }

    private static func points(
        rows: Int, dimension: Int, centres: [[Float]], spread: Float, random: inout SplitMix64
    ) -> [Float] {
        var out = [Float]()
        out.reserveCapacity(rows * dimension)
        let scale = spread / Float(dimension).squareRoot()
        for _ in 0..<rows {
            let centre = centres[Int(random.next() % UInt64(centres.count))]
            for d in 0..<dimension { out.append(centre[d] + scale * gaussian(&random)) }
        }
        return out
    }

    /// A standard normal sample (Box-Muller).
    private static func gaussian(_ random: inout SplitMix64) -> Float {
        let u1 = max(Double(random.next() >> 11) * 0x1.0p-53, 1e-300)
        let u2 = Double(random.next() >> 11) * 0x1.0p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}

/// How two vectors are compared.
public enum Metric: String, Sendable, Codable, CaseIterable {
    /// Cosine similarity. Vectors are L2-normalised on insert and on query, so cosine is a dot product;
    /// the internal distance is `1 - dot` and reported scores are the cosine similarity.
    case cosine
    /// Euclidean distance on raw (unnormalised) vectors; the internal distance is the squared L2
    /// distance and reported scores are its negation, so that a higher score is always better.
    case l2
}

extension Metric {
    /// Turns an internal distance (smaller is nearer) into a score (larger is better).
    @inline(__always)
    func score(fromDistance distance: Float) -> Float {
        switch self {
        case .cosine: return 1 - distance
        case .l2: return -distance
        }
    }
}

/// A cross-encoder's judgement of one (query, passage) pair.
public struct Relevance: Sendable, Equatable {
    /// The classifier's raw output: rank by this (it never saturates).
    public var logit: Float
    /// The logit through the model's activation (sigmoid unless the model says otherwise): what is reported.
    public var score: Float

    public init(logit: Float, score: Float) {
        self.logit = logit
        self.score = score
    }
}

/// Scores passages against a query by reading each pair together. Implementations are safe to call from
/// many tasks at once.
public protocol PassageScorer: Sendable {
    /// One relevance per passage, in order.
    func relevance(query: String, passages: [String]) async throws -> [Relevance]
}

/// Turns texts into vectors. Implementations are safe to call from many tasks at once.
public protocol Embedder: Sendable {
    /// The length of every vector returned.
    var dimension: Int { get }
    /// Identifies the model and its settings: vectors from different fingerprints are not comparable.
    var fingerprint: String { get }
    /// One vector per text, in order.
    func embed(_ texts: [String]) async throws -> [[Float]]
}

/// An embedder that computes on the calling thread. ``BatchingEmbedder`` runs such a model on threads of its own:
/// a pass over a batch holds its thread for milliseconds, and on Dispatch's shared pool (as wide as the machine has
/// cores) it would hold back every other piece of blocking work queued there, the searches' index and store calls
/// among them.
public protocol SynchronousEmbedder: Embedder {
    /// One vector per text, in order, computed before returning.
    func embedBlocking(_ texts: [String]) -> [[Float]]
}

/// Turns texts into vectors. Implementations are safe to call from many tasks at once.
public protocol Embedder: Sendable {
    /// The length of every vector returned.
    var dimension: Int { get }
    /// Identifies the model and its settings: vectors from different fingerprints are not comparable.
    var fingerprint: String { get }
    /// One vector per text, in order.
    func embed(_ texts: [String]) async throws -> [[Float]]
}

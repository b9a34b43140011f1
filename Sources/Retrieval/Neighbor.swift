/// One result of a vector search: a row label and its internal distance (smaller is nearer; `1 - cosine`
/// under ``Metric/cosine``, the squared Euclidean distance under ``Metric/l2``).
public struct Neighbor: Sendable, Equatable, Hashable {
    /// Row label (insertion order).
    public var label: UInt32
    /// Internal distance to the query.
    public var distance: Float

    /// A result for `label` at `distance`.
    public init(label: UInt32, distance: Float) {
        self.label = label
        self.distance = distance
    }
}

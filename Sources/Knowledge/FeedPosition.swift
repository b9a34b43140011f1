import Foundation
import Synchronization

/// How far this replica's index has followed the store's change feed (docs/ARCHITECTURE.md, "Replicas follow the
/// store"). Only the follow step moves it, under the knowledge base's write gate; `/ready` reads it.
public struct FeedPosition: Sendable, Equatable {
    /// Every feed entry up to this sequence number is applied to the index.
    public var applied: Int64 = 0
    /// When the last poll finished without error; nil before the first.
    public var lastPollAt: Date?
    /// The last poll's failure (secret-free), cleared by the next success.
    public var lastError: String?
    /// Full reconciliations since start, each forced by entries pruned before this replica read them.
    public var reconciliations = 0

    /// The position of a replica that has applied nothing yet.
    public init() {}
}

/// The mutable ``FeedPosition`` a knowledge base carries.
final class FeedPositionBox: Sendable {
    private let value = Mutex(FeedPosition())

    var current: FeedPosition { value.withLock { $0 } }

    func update(_ body: (inout FeedPosition) -> Void) {
        value.withLock { body(&$0) }
    }
}

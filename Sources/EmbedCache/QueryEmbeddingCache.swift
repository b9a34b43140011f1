import Synchronization

/// A bounded in-memory least-recently-used map from text keys to query vectors.
///
/// Search questions come from the public: persisting each one would let anyone grow the disk and force an
/// `fdatasync` per request, so their vectors live here instead, within a fixed byte budget, and are gone when
/// the process ends. The budget counts the keys (32 bytes each) and the vectors (4 bytes per float); the
/// bookkeeping around them is a small constant per entry.
public final class QueryEmbeddingCache: Sendable {
    /// Counters since this cache was created.
    public struct Statistics: Sendable, Equatable {
        public var entries: Int
        /// Bytes of keys and vectors held.
        public var bytes: Int
        public var hits: Int
        public var misses: Int
        public var evictions: Int
    }

    /// The most bytes of keys and vectors held at once.
    public let capacityBytes: Int

    private struct Node {
        var key: EmbeddingCache.Key
        var vector: [Float]
        var newer: Int?
        var older: Int?
    }

    /// A doubly linked recency list threaded through an array, so a hit moves an entry without allocating.
    private struct State {
        var slotsByKey: [EmbeddingCache.Key: Int] = [:]
        var nodes: [Node] = []
        var free: [Int] = []
        var newest: Int?
        var oldest: Int?
        var bytes = 0
        var hits = 0
        var misses = 0
        var evictions = 0
    }

    private let state = Mutex(State())

    /// A cache holding at most `capacityBytes` of keys and vectors; 0 holds nothing.
    public init(capacityBytes: Int) {
        self.capacityBytes = max(0, capacityBytes)
    }

    /// The bytes one entry counts against the budget.
    public static func cost(dimension: Int) -> Int { 32 + dimension * MemoryLayout<Float>.size }

    /// The vector of `key`, marking it most recently used; nil when absent.
    public func lookup(_ key: EmbeddingCache.Key) -> [Float]? {
        state.withLock { state in
            guard let slot = state.slotsByKey[key] else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            Self.unlink(slot, in: &state)
            Self.pushNewest(slot, in: &state)
            return state.nodes[slot].vector
        }
    }

    /// Stores `vector` under `key` as the most recently used entry, evicting the least recently used ones
    /// until the budget holds. A vector larger than the whole budget is not stored.
    public func insert(_ key: EmbeddingCache.Key, _ vector: [Float]) {
        let cost = Self.cost(dimension: vector.count)
        guard cost <= capacityBytes else { return }
        state.withLock { state in
            if let slot = state.slotsByKey[key] {
                state.bytes += cost - Self.cost(dimension: state.nodes[slot].vector.count)
                state.nodes[slot].vector = vector
                Self.unlink(slot, in: &state)
                Self.pushNewest(slot, in: &state)
            } else {
                let node = Node(key: key, vector: vector, newer: nil, older: nil)
                let slot: Int
                if let reused = state.free.popLast() {
                    slot = reused
                    state.nodes[slot] = node
                } else {
                    slot = state.nodes.count
                    state.nodes.append(node)
                }
                state.slotsByKey[key] = slot
                state.bytes += cost
                Self.pushNewest(slot, in: &state)
            }
            while state.bytes > capacityBytes, let oldest = state.oldest {
                Self.unlink(oldest, in: &state)
                state.slotsByKey[state.nodes[oldest].key] = nil
                state.bytes -= Self.cost(dimension: state.nodes[oldest].vector.count)
                // Drop the vector now, not when the slot is reused, so evicted memory is returned.
                state.nodes[oldest].vector = []
                state.free.append(oldest)
                state.evictions += 1
            }
        }
    }

    /// Entries, bytes held, hits, misses and evictions.
    public var statistics: Statistics {
        state.withLock { state in
            Statistics(
                entries: state.slotsByKey.count, bytes: state.bytes, hits: state.hits, misses: state.misses,
                evictions: state.evictions)
        }
    }

    private static func unlink(_ slot: Int, in state: inout State) {
        let node = state.nodes[slot]
        if let newer = node.newer { state.nodes[newer].older = node.older } else { state.newest = node.older }
        if let older = node.older { state.nodes[older].newer = node.newer } else { state.oldest = node.newer }
        state.nodes[slot].newer = nil
        state.nodes[slot].older = nil
    }

    private static func pushNewest(_ slot: Int, in state: inout State) {
        state.nodes[slot].older = state.newest
        state.nodes[slot].newer = nil
        if let newest = state.newest { state.nodes[newest].newer = slot }
        state.newest = slot
        if state.oldest == nil { state.oldest = slot }
    }
}

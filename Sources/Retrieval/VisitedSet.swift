import ConcurrencySupport

/// A "seen" marker per node that is cleared in O(1) by bumping a generation counter, so one allocation
/// serves many searches. A node is visited when its mark equals the current generation.
final class VisitedSet {
    private(set) var capacity: Int
    private var marks: UnsafeMutablePointer<UInt16>
    private var generation: UInt16 = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        marks = .allocate(capacity: self.capacity)
        marks.initialize(repeating: 0, count: self.capacity)
    }

    deinit { marks.deallocate() }

    /// Starts a new search over at least `count` nodes.
    func reset(count: Int) {
        if count > capacity {
            marks.deallocate()
            capacity = max(count, capacity * 2)
            marks = .allocate(capacity: capacity)
            marks.initialize(repeating: 0, count: capacity)
            generation = 0
        }
        generation &+= 1
        if generation == 0 {
            // Wrapped around: old marks could collide with the new generation.
            marks.update(repeating: 0, count: capacity)
            generation = 1
        }
    }

    /// Marks `id` visited and returns whether it already was.
    @inline(__always)
    func testAndSet(_ id: UInt32) -> Bool {
        let slot = marks + Int(id)
        if slot.pointee == generation { return true }
        slot.pointee = generation
        return false
    }
}

/// Visited sets for concurrent searches: each search borrows one and gives it back.
final class VisitedSetPool: @unchecked Sendable {
    private let lock = Lock()
    private var free: [VisitedSet] = []

    func withVisitedSet<T>(count: Int, _ body: (VisitedSet) throws -> T) rethrows -> T {
        let set = lock.withLock { free.popLast() } ?? VisitedSet(capacity: count)
        set.reset(count: count)
        defer { lock.withLock { free.append(set) } }
        return try body(set)
    }
}

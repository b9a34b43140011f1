/// A binary max-heap of `(distance, id)` pairs on a contiguous buffer.
///
/// HNSW keeps two heaps per search: the current results (max-heap, so the worst is evicted) and the
/// candidates to expand (a min-heap, obtained here by pushing negated distances, as hnswlib does).
struct DistanceHeap {
    private(set) var keys: ContiguousArray<Float> = []
    private(set) var ids: ContiguousArray<UInt32> = []

    init(capacity: Int = 0) {
        keys.reserveCapacity(capacity)
        ids.reserveCapacity(capacity)
    }

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }
    var topKey: Float { keys[0] }
    var topID: UInt32 { ids[0] }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
    }

    mutating func push(_ key: Float, _ id: UInt32) {
        keys.append(key)
        ids.append(id)
        keys.withUnsafeMutableBufferPointer { k in
            ids.withUnsafeMutableBufferPointer { v in
                var child = k.count - 1
                while child > 0 {
                    let parent = (child - 1) >> 1
                    if k[parent] >= key { break }
                    k[child] = k[parent]
                    v[child] = v[parent]
                    child = parent
                }
                k[child] = key
                v[child] = id
            }
        }
    }

    /// Keeps the `count` smallest keys offered: pushes while there is room, then replaces the largest by a
    /// smaller one (a max-heap of the `count` nearest so far).
    @inline(__always)
    mutating func keep(_ key: Float, _ id: UInt32, nearest count: Int) {
        if self.count < count {
            push(key, id)
        } else if key < topKey {
            pop()
            push(key, id)
        }
    }

    @discardableResult
    mutating func pop() -> (key: Float, id: UInt32) {
        let top = (keys[0], ids[0])
        let lastKey = keys.removeLast()
        let lastID = ids.removeLast()
        let n = keys.count
        if n > 0 {
            keys.withUnsafeMutableBufferPointer { k in
                ids.withUnsafeMutableBufferPointer { v in
                    var parent = 0
                    while true {
                        var child = 2 * parent + 1
                        if child >= n { break }
                        if child + 1 < n && k[child + 1] > k[child] { child += 1 }
                        if k[child] <= lastKey { break }
                        k[parent] = k[child]
                        v[parent] = v[child]
                        parent = child
                    }
                    k[parent] = lastKey
                    v[parent] = lastID
                }
            }
        }
        return top
    }

    /// The contents sorted by ascending key; empties the heap.
    mutating func drainAscending() -> [(key: Float, id: UInt32)] {
        var out = [(key: Float, id: UInt32)]()
        out.reserveCapacity(count)
        while !isEmpty { out.append(pop()) }
        out.reverse()
        return out
    }
}

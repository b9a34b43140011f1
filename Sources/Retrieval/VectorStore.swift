#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Contiguous float32 rows of one dimension, growable, addressed by a dense row number.
///
/// Rows are stored as given for `l2` and L2-normalised for `cosine`. Not synchronised: the owner
/// (``HNSWIndex``) guards it with its lock, and growing reallocates, so no pointer may outlive a lock.
///
/// The rows live on the heap until ``spill(toFile:exclusively:)`` moves them into a shared mapping of a file: a quantized
/// graph (``QuantizedRows``) reads the floats only to rescore a search's few candidates, so they need not stay
/// in memory, and pages of a file mapping are the kernel's to drop and read back, where heap pages (with no swap)
/// stay resident for good.
final class VectorStore {
    let dimension: Int
    let metric: Metric
    private(set) var count = 0
    private(set) var capacity = 0
    private(set) var rows: UnsafeMutablePointer<Float>
    /// Squared norms of the rows under `l2`, so exact search can use one matrix-vector product:
    /// |q - x|^2 = |q|^2 + |x|^2 - 2 q.x. Empty under cosine, where every norm is 1.
    private(set) var squaredNorms: [Float] = []

    /// The descriptor of the file the rows are mapped from after ``spill(toFile:exclusively:)``; -1 while they are on
    /// the heap.
    private var file: Int32 = -1

    init(dimension: Int, metric: Metric, capacity: Int = 0) {
        self.dimension = dimension
        self.metric = metric
        self.capacity = max(capacity, 16)
        rows = .allocate(capacity: self.capacity * dimension)
    }

    deinit {
        if file >= 0 {
            munmap(rows, capacity * dimension * MemoryLayout<Float>.stride)
            close(file)
        } else {
            rows.deallocate()
        }
    }

    /// Whether the rows are mapped from a file (``spill(toFile:exclusively:)``).
    var isSpilled: Bool { file >= 0 }

    /// Moves the rows into a shared mapping of a new file at `path`, which is unlinked at once (it is scratch
    /// space: snapshots hold the rows); reads fault them in from the page cache or the file. Does nothing when
    /// already spilled.
    ///
    /// The copy into the file happens before `exclusively` is called; `exclusively` runs the switch of the rows'
    /// pointer (the owner passes its lock's exclusive mode, since readers hold that pointer).
    ///
    /// - Throws: `io` when the file cannot be made or mapped; the rows then stay on the heap.
    func spill(toFile path: String, exclusively: (() -> Void) -> Void) throws(RetrievalError) {
        guard file < 0 else { return }
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.ioError("cannot create \(path)") }
        unlink(path)
        // Written, not copied into the mapping: written pages go to the page cache without entering this process's
        // resident set, so the heap copy and the file copy are never both counted against it.
        var written = 0
        let total = count * dimension * MemoryLayout<Float>.stride
        let source = UnsafeRawPointer(rows)
        while written < total {
            let result = pwrite(descriptor, source + written, min(total - written, 1 << 26), off_t(written))
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                let error = Self.ioError("cannot write \(total) bytes to \(path)")
                close(descriptor)
                throw error
            }
            written += result
        }
        let length = capacity * dimension * MemoryLayout<Float>.stride
        guard let mapped = Self.map(descriptor, length: length) else {
            let error = Self.ioError("cannot map \(length) bytes of \(path)")
            close(descriptor)
            throw error
        }
        let heap = rows
        exclusively {
            rows = mapped
            file = descriptor
        }
        heap.deallocate()
    }

    /// `length` bytes of `descriptor` mapped shared and read-write, the file grown to that length first. Marked
    /// for random access: a quantized search reads a few scattered rows, so reading ahead of a row that is not in
    /// the page cache would fetch rows no one asked for. (Rows that are in the page cache are still mapped 64 KB
    /// at a time by the kernel's fault-around, so the process's file-backed resident set grows back towards the
    /// file's size as searches run; those pages are the kernel's to reclaim, unlike the heap's.)
    private static func map(_ descriptor: Int32, length: Int) -> UnsafeMutablePointer<Float>? {
        guard ftruncate(descriptor, off_t(length)) == 0 else { return nil }
        let address = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0)
        guard let address, address != MAP_FAILED else { return nil }
        madvise(address, length, MADV_RANDOM)
        return address.bindMemory(to: Float.self, capacity: length / MemoryLayout<Float>.stride)
    }

    private static func ioError(_ message: String) -> RetrievalError {
        RetrievalError(.io, "\(message): \(String(cString: strerror(errno)))")
    }

    /// Heap bytes: the rows until they are spilled into a file mapping, and the norms.
    var bytes: Int { (isSpilled ? 0 : capacity * dimension * MemoryLayout<Float>.stride) + squaredNorms.capacity * 4 }

    @inline(__always)
    func row(_ index: Int) -> UnsafeMutablePointer<Float> { rows + index * dimension }

    func reserve(_ minimumCapacity: Int) {
        guard minimumCapacity > capacity else { return }
        let newCapacity = max(minimumCapacity, capacity + capacity / 2)
        if file >= 0 {
            // The file keeps the rows; only the mapping is made anew at the larger size. When the file cannot grow
            // (a full disk), the rows go back to the heap: more memory, nothing lost.
            let stride = dimension * MemoryLayout<Float>.stride
            if let mapped = Self.map(file, length: newCapacity * stride) {
                munmap(rows, capacity * stride)
                rows = mapped
                capacity = newCapacity
                return
            }
            let heap = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity * dimension)
            heap.update(from: rows, count: count * dimension)
            munmap(rows, capacity * stride)
            close(file)
            file = -1
            rows = heap
            capacity = newCapacity
            return
        }
        let newRows = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity * dimension)
        newRows.moveInitialize(from: rows, count: count * dimension)
        rows.deallocate()
        rows = newRows
        capacity = newCapacity
    }

    /// Appends a row (normalising it under cosine) and returns its row number.
    func append(_ vector: UnsafePointer<Float>) throws(RetrievalError) -> Int {
        for i in 0..<dimension where !vector[i].isFinite {
            throw RetrievalError(.invalidVector, "vector component \(i) is not finite")
        }
        if count == capacity { reserve(count + 1) }
        let target = row(count)
        target.update(from: vector, count: dimension)
        if metric == .cosine && !normalize(target, dimension) {
            throw RetrievalError(.invalidVector, "a zero vector has no direction under the cosine metric")
        }
        if metric == .l2 { squaredNorms.append(dotProduct(target, target, dimension)) }
        count += 1
        return count - 1
    }

    /// Appends `rowCount` rows exactly as stored (already normalised), for loading a snapshot.
    func appendStored(_ source: UnsafePointer<Float>, rowCount: Int) {
        reserve(count + rowCount)
        row(count).update(from: source, count: rowCount * dimension)
        if metric == .l2 {
            for i in 0..<rowCount { squaredNorms.append(dotProduct(row(count + i), row(count + i), dimension)) }
        }
        count += rowCount
    }

    /// A query prepared for this store: a copy, normalised under cosine.
    func prepareQuery(_ query: [Float]) throws(RetrievalError) -> [Float] {
        guard query.count == dimension else {
            throw RetrievalError(.dimensionMismatch, "query has \(query.count) dimensions, index has \(dimension)")
        }
        guard query.allSatisfy(\.isFinite) else {
            throw RetrievalError(.invalidVector, "query has a non-finite component")
        }
        if metric == .cosine {
            guard let unit = VectorMath.normalized(query) else {
                throw RetrievalError(.invalidVector, "a zero query vector has no direction under the cosine metric")
            }
            return unit
        }
        return query
    }
}

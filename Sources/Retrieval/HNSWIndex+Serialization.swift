import Foundation

/// Snapshot encoding of an ``HNSWIndex``: parameters, then rows, levels, tombstones and links as raw
/// little-endian arrays, so loading is a few bulk copies rather than a rebuild.
extension HNSWIndex {
    func write<S: BinarySink>(to sink: inout S) throws {
        try lock.withReadLock {
            let n = store.count
            try sink.appendInteger(UInt32(dimension))
            try sink.appendInteger(UInt8(metric == .cosine ? 0 : 1))
            try sink.appendInteger(UInt32(parameters.m))
            try sink.appendInteger(UInt32(parameters.efConstruction))
            try sink.appendInteger(UInt32(parameters.efSearch))
            try sink.appendInteger(parameters.seed)
            try sink.appendInteger(UInt64(n))
            try sink.appendInteger(Int32(maxLevel))
            try sink.appendInteger(entryPoint)
            if n == 0 { return }
            try sink.appendFloats(store.rows, count: n * dimension)
            try sink.append(UnsafeRawBufferPointer(start: levels, count: n))
            try sink.append(UnsafeRawBufferPointer(start: tombstones, count: n))
            try sink.append(UnsafeRawBufferPointer(start: links0, count: n * (maxM0 + 1) * 4))
            for i in 0..<n where levels[i] > 0 {
                try sink.append(UnsafeRawBufferPointer(start: upperLinks[i]!, count: Int(levels[i]) * (maxM + 1) * 4))
            }
        }
    }

    /// Reads a graph written by `write(to:)`, checking that every link stays in range.
    static func read(from reader: inout ByteReader) throws -> HNSWIndex {
        func inconsistent(_ what: String) -> RetrievalError {
            RetrievalError(.checksumMismatch, "\(reader.fileName): inconsistent graph (\(what))")
        }
        let dimension = Int(try reader.integer(UInt32.self))
        let metricCode = try reader.integer(UInt8.self)
        let m = Int(try reader.integer(UInt32.self))
        let efConstruction = Int(try reader.integer(UInt32.self))
        let efSearch = Int(try reader.integer(UInt32.self))
        let seed = try reader.integer(UInt64.self)
        let n = Int(try reader.integer(UInt64.self))
        let maxLevel = Int(try reader.integer(Int32.self))
        let entryPoint = try reader.integer(UInt32.self)
        guard dimension > 0, metricCode <= 1, m >= 2, m < 4096, n >= 0 else { throw inconsistent("header") }
        let parameters = HNSWParameters(m: m, efConstruction: efConstruction, efSearch: efSearch, seed: seed)
        let index = HNSWIndex(
            dimension: dimension, metric: metricCode == 0 ? .cosine : .l2, parameters: parameters, capacity: n)
        if n == 0 { return index }
        guard Int(entryPoint) < n, maxLevel >= 0 else { throw inconsistent("entry point") }
        let rows = try reader.bytes(n * dimension * 4)
        index.store.appendStored(rows.assumingMemoryBound(to: Float.self), rowCount: n)
        let levels = try reader.bytes(n)
        let tombstones = try reader.bytes(n)
        let links0 = try reader.bytes(n * (index.maxM0 + 1) * 4)
        index.levels.update(from: levels.assumingMemoryBound(to: UInt8.self), count: n)
        var deleted = 0
        for i in 0..<n {
            let flag = tombstones.load(fromByteOffset: i, as: UInt8.self)
            guard flag <= 1 else { throw inconsistent("tombstone flag") }
            index.tombstones[i] = flag == 1
            deleted += Int(flag)
        }
        memcpy(index.links0, links0, n * (index.maxM0 + 1) * 4)
        for i in 0..<n {
            let level = Int(index.levels[i])
            guard level <= maxLevel else { throw inconsistent("level above the top") }
            if level == 0 {
                index.upperLinks[i] = nil
                continue
            }
            let count = level * (index.maxM + 1)
            let block = UnsafeMutablePointer<UInt32>.allocate(capacity: count)
            memcpy(block, try reader.bytes(count * 4), count * 4)
            index.upperLinks[i] = block
        }
        // Links are followed without bounds checks while searching, so check them all once here.
        for i in 0..<n {
            for level in 0...Int(index.levels[i]) {
                let list = index.linkList(UInt32(i), level)
                let limit = level == 0 ? index.maxM0 : index.maxM
                guard Int(list[0]) <= limit else { throw inconsistent("link count") }
                for j in 0..<Int(list[0]) where Int(list[1 + j]) >= n {
                    throw inconsistent("link out of range")
                }
            }
        }
        index.maxLevel = maxLevel
        index.entryPoint = entryPoint
        index.deletedTotal = deleted
        index.random = SplitMix64(seed: seed ^ UInt64(n))
        index.retrainScanCodesIfDue()
        return index
    }
}

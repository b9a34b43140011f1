import Testing

@testable import Retrieval

/// The exact scan that reads byte codes first (`ExactSearch.search(store:codes:...)`) must return what the scan of
/// every float row returns, on data where the codes' error is far larger than the gaps between neighbours.
@Suite struct ExactCodeScanTests {
    /// 300 random rows (the codes are trained on these), then a tight cluster of 400 rows a thousandth apart
    /// and 40 rows far outside the trained ranges (their codes clamp), with every seventh row deleted.
    static func graph() throws -> (HNSWIndex, [[Float]]) {
        var random = TestRandom(11)
        let dimension = 48
        let graph = HNSWIndex(
            dimension: dimension, metric: .cosine, parameters: HNSWParameters(m: 8, efConstruction: 32))
        var rows: [[Float]] = []
        for _ in 0..<300 { rows.append(random.vector(dimension)) }
        for row in rows { try graph.add(row) }
        let centre = random.vector(dimension)
        for _ in 0..<400 { rows.append(centre.map { $0 + 0.001 * random.float() }) }
        for i in 0..<40 {
            var row = random.vector(dimension).map { $0 * 0.01 }
            row[i % dimension] = 5
            rows.append(row)
        }
        for row in rows[300...] { try graph.add(row) }
        for label in stride(from: 0, to: rows.count, by: 7) { _ = graph.markDeleted(UInt32(label)) }
        return (graph, rows)
    }

    /// Every admitted row scored on its floats with the kernel the code scan rescores with, nearest first
    /// (label order among equal distances, as a scan in label order keeps them).
    static func reference(
        _ graph: HNSWIndex, _ query: UnsafePointer<Float>, k: Int, live: [Bool]
    ) -> [Neighbor] {
        var scored: [Neighbor] = []
        for label in 0..<graph.store.count where live[label] && !graph.tombstones[label] {
            scored.append(
                Neighbor(
                    label: UInt32(label),
                    distance: distance(.cosine, query, graph.store.row(label), graph.dimension)))
        }
        return Array(
            scored.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.label < $1.label }.prefix(k))
    }

    @Test func codesFirstReturnsEveryRowsAnswer() throws {
        let (graph, rows) = try Self.graph()
        let codes = try #require(graph.scanCodes, "a cosine graph of 740 rows keeps scan codes")
        #expect(codes.count == rows.count)
        var random = TestRandom(5)
        var live = [Bool](repeating: true, count: rows.count)
        for label in stride(from: 3, to: rows.count, by: 11) { live[label] = false }
        // Random queries, and queries inside the cluster, where hundreds of rows lie closer together than the
        // codes can tell apart.
        let queries =
            (0..<20).map { _ in random.vector(48) } + rows[310..<330].map { $0.map { $0 + 0.0005 } }
            + rows[700..<710].map { $0 }
        for vector in queries {
            let query = try graph.store.prepareQuery(vector)
            for k in [1, 10, 100] {
                let (fast, expected) = query.withUnsafeBufferPointer { q in
                    live.withUnsafeBufferPointer { mask in
                        graph.lock.withReadLock {
                            (
                                ExactSearch.search(
                                    store: graph.store, codes: codes, query: q.baseAddress!, k: k, live: mask,
                                    tombstones: graph.tombstones),
                                Self.reference(graph, q.baseAddress!, k: k, live: live)
                            )
                        }
                    }
                }
                // Rows at equal distances (the cluster has many) may come in either order, as in any scan.
                #expect(fast.map(\.distance) == expected.map(\.distance), "k \(k)")
                let last = expected.last?.distance
                let byPosition = fast.sorted {
                    $0.distance != $1.distance ? $0.distance < $1.distance : $0.label < $1.label
                }
                #expect(
                    byPosition.filter { $0.distance != last }.map(\.label)
                        == expected.filter { $0.distance != last }.map(\.label), "k \(k)")
            }
        }
    }

    @Test func codesFirstAgreesWithTheMatrixProductScan() throws {
        var random = TestRandom(23)
        let graph = HNSWIndex(dimension: 64, metric: .cosine, parameters: HNSWParameters(m: 8, efConstruction: 32))
        for _ in 0..<1_000 { try graph.add(random.vector(64)) }
        let codes = try #require(graph.scanCodes)
        let live = [Bool](repeating: true, count: 1_000)
        for _ in 0..<30 {
            let query = try graph.store.prepareQuery(random.vector(64))
            let (fast, full) = query.withUnsafeBufferPointer { q in
                live.withUnsafeBufferPointer { mask in
                    (
                        ExactSearch.search(
                            store: graph.store, codes: codes, query: q.baseAddress!, k: 50, live: mask,
                            tombstones: graph.tombstones),
                        ExactSearch.search(
                            store: graph.store, query: q.baseAddress!, k: 50, live: mask, tombstones: graph.tombstones)
                    )
                }
            }
            #expect(fast.map(\.label) == full.map(\.label))
            for (a, b) in zip(fast, full) { #expect(abs(a.distance - b.distance) < 1e-5) }
        }
    }

    @Test func codesFollowTheGraphAndStepAsideWhenTheyDoNotApply() throws {
        let (graph, rows) = try Self.graph()
        #expect(graph.scanCodes?.count == rows.count)
        try graph.add([Float](repeating: 1, count: 48))
        #expect(graph.scanCodes?.count == rows.count + 1)
        // Codes are not in a snapshot: a loaded graph trains its own.
        var snapshot = Retrieval.ByteBuffer()
        try graph.write(to: &snapshot)
        let loaded = try snapshot.bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw, fileName: "snapshot")
            return try HNSWIndex.read(from: &reader)
        }
        #expect(loaded.scanCodes?.count == rows.count + 1)
        try graph.quantize()
        #expect(graph.scanCodes == nil)
        let small = HNSWIndex(dimension: 4, metric: .cosine)
        for i in 0..<10 { try small.add([1, Float(i), 0, 1]) }
        #expect(small.scanCodes == nil)
        let l2 = HNSWIndex(dimension: 4, metric: .l2)
        for i in 0..<300 { try l2.add([1, Float(i), 0, 1]) }
        #expect(l2.scanCodes == nil)
    }
}

import Foundation
import Testing

@testable import Retrieval

/// int8 vectors (issue 20 item 3): `ScalarQuantizer` codes stay within half a step of the rows, a graph walked on
/// codes and rescored on floats finds what the float walk finds, and the retrieval index switches to codes at its
/// configured size and again after it is reopened.
@Suite struct QuantizationTests {
    static let parameters = HNSWParameters(m: 16, efConstruction: 64)

    @Test func codesDecodeWithinHalfAStepAndClampOutsideTheTrainedRange() {
        var random = SplitMix64(seed: 3)
        let dimension = 24
        var rows: [[Float]] = []
        for _ in 0..<200 {
            var row: [Float] = []
            for d in 0..<dimension {
                let uniform = Float(Double(random.next() >> 11) * 0x1.0p-53)
                row.append(uniform * Float(d + 1) - Float(d) / 2)
            }
            rows.append(row)
        }
        let flat = rows.flatMap { $0 }
        let quantizer = flat.withUnsafeBufferPointer {
            ScalarQuantizer(training: $0.baseAddress!, count: rows.count, dimension: dimension)
        }
        var codes = [UInt8](repeating: 0, count: dimension)
        for row in rows {
            let measured = row.withUnsafeBufferPointer { source in
                codes.withUnsafeMutableBufferPointer { quantizer.encode(source.baseAddress!, into: $0.baseAddress!) }
            }
            var decodedNorm: Float = 0
            var residual: Float = 0
            for d in 0..<dimension {
                let decoded = quantizer.decode(codes[d], dimension: d)
                #expect(abs(decoded - row[d]) <= quantizer.step[d] * 0.5001, "dimension \(d)")
                decodedNorm += decoded * decoded
                residual += (decoded - row[d]) * (decoded - row[d])
            }
            #expect(abs(measured.squaredNorm - decodedNorm) <= Float(1e-4) * max(1, decodedNorm))
            #expect(abs(measured.residual - residual.squareRoot()) <= 1e-5)
        }
        // Beyond the trained range a value takes the nearest end's code.
        let outside = (0..<dimension).map { d in d % 2 == 0 ? Float(1_000) : -1_000 }
        outside.withUnsafeBufferPointer { source in
            codes.withUnsafeMutableBufferPointer { _ = quantizer.encode(source.baseAddress!, into: $0.baseAddress!) }
        }
        #expect(codes.enumerated().allSatisfy { $0.element == ($0.offset % 2 == 0 ? 255 : 0) })
    }

    @Test func aConstantDimensionDecodesToItsValue() {
        let rows: [Float] = [0.5, 1, 0.5, -1, 0.5, 0.25]
        let quantizer = rows.withUnsafeBufferPointer {
            ScalarQuantizer(training: $0.baseAddress!, count: 3, dimension: 2)
        }
        #expect(quantizer.step[0] > 0)
        #expect(quantizer.decode(0, dimension: 0) == 0.5)
        #expect(quantizer.decode(255, dimension: 0).isFinite)
    }

    /// Recall@10 of a graph walked on codes, against the same graph walked on floats, on clustered vectors.
    @Test(arguments: [Metric.cosine, Metric.l2])
    func theWalkOnCodesFindsWhatTheFloatWalkFinds(metric: Metric) throws {
        let dimension = 64
        let rows = 6_000
        let data = SyntheticVectors.clusteredPair(
            rows: rows, queries: 200, dimension: dimension, clusters: 60, spread: 0.6, seed: 8)
        let graph = HNSWIndex(dimension: dimension, metric: metric, parameters: Self.parameters)
        let flat = FlatIndex(dimension: dimension, metric: metric)
        try data.base.withUnsafeBufferPointer { buffer in
            try graph.add(contentsOf: buffer.baseAddress!, count: rows, threads: 1)
            for r in 0..<rows { try flat.add(buffer.baseAddress! + r * dimension) }
        }
        let queries = rowsOf(data.queries, dimension: dimension)
        let truth = try flat.batchSearch(queries, k: 10)
        func recall(ef: Int) throws -> Double {
            var hits = 0
            for (query, expected) in zip(queries, truth) {
                let found = Set(try graph.search(query, k: 10, ef: ef).map(\.label))
                hits += expected.filter { found.contains($0.label) }.count
            }
            return Double(hits) / Double(10 * queries.count)
        }
        let floats = try [20, 40, 80].map(recall(ef:))
        #expect(!graph.isQuantized)
        try graph.quantize()
        #expect(graph.isQuantized)
        let codes = try [20, 40, 80].map(recall(ef:))
        for (float, code) in zip(floats, codes) {
            #expect(code >= float - 0.01, "\(metric) recall@10 floats \(floats), codes \(codes)")
        }
        // The distances returned are the floats', not the codes' approximations.
        for query in queries.prefix(20) {
            for hit in try graph.search(query, k: 5, ef: 40) {
                let row = graph.vector(hit.label)
                let prepared = metric == .cosine ? VectorMath.normalized(query)! : query
                let exact =
                    metric == .cosine
                    ? 1 - VectorMath.dot(prepared, row) : VectorMath.squaredDistance(prepared, row)
                #expect(abs(hit.distance - exact) <= 1e-5 * max(1, abs(exact)))
            }
        }
    }

    @Test func rowsAddedAfterQuantizingAreEncodedAndFound() throws {
        let dimension = 32
        let data = SyntheticVectors.clusteredPair(
            rows: 3_000, queries: 50, dimension: dimension, clusters: 30, spread: 0.6, seed: 5)
        let graph = HNSWIndex(dimension: dimension, metric: .cosine, parameters: Self.parameters)
        try data.base.withUnsafeBufferPointer { buffer in
            try graph.add(contentsOf: buffer.baseAddress!, count: 2_000, threads: 1)
            try graph.quantize()
            // One by one and as a parallel batch; both paths must encode what they append.
            for r in 2_000..<2_100 { try graph.add(buffer.baseAddress! + r * dimension) }
            try graph.add(contentsOf: buffer.baseAddress! + 2_100 * dimension, count: 900, threads: 2)
        }
        #expect(graph.quantized?.count == 3_000)
        let base = rowsOf(data.base, dimension: dimension)
        for label in stride(from: 1_999, to: 3_000, by: 41) {
            let hit = try #require(try graph.search(base[label], k: 1, ef: 40).first)
            #expect(hit.label == UInt32(label))
            #expect(abs(hit.distance) < 1e-5)
        }
    }

    /// The floats moved into a mapped file answer as they did on the heap, and rows added later grow the mapping.
    @Test func spilledRowsAnswerAsOnTheHeapAndKeepGrowing() throws {
        let dimension = 48
        let data = SyntheticVectors.clusteredPair(
            rows: 3_000, queries: 40, dimension: dimension, clusters: 30, spread: 0.6, seed: 12)
        let graph = HNSWIndex(dimension: dimension, metric: .l2, parameters: Self.parameters)
        try data.base.withUnsafeBufferPointer { buffer in
            _ = try graph.add(contentsOf: buffer.baseAddress!, count: 1_000, threads: 1)
        }
        let queries = rowsOf(data.queries, dimension: dimension)
        try graph.quantize()
        let onHeap = try queries.map { try graph.search($0, k: 10, ef: 40) }
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spill = directory + "/rows"
        #expect(!graph.rowsSpilled)
        try graph.quantize(spillingRowsTo: spill)
        #expect(graph.rowsSpilled)
        #expect(!FileManager.default.fileExists(atPath: spill), "the scratch file is unlinked at once")
        #expect(try queries.map { try graph.search($0, k: 10, ef: 40) } == onHeap)
        // Past the capacity the graph was made with, so the mapping has to grow, several times.
        let base = rowsOf(data.base, dimension: dimension)
        for label in 1_000..<3_000 { try graph.add(base[label]) }
        for label in stride(from: 0, to: 3_000, by: 37) {
            #expect(try graph.search(base[label], k: 1, ef: 40).first?.label == UInt32(label))
            #expect(graph.vector(UInt32(label)) == base[label])
        }
        // A second spill is refused quietly (already mapped); a spill where no file can be made throws.
        try graph.quantize(spillingRowsTo: spill)
        let other = HNSWIndex(dimension: dimension, metric: .l2, parameters: Self.parameters)
        try other.add(base[0])
        #expect(errorCode { try other.quantize(spillingRowsTo: directory + "/missing/rows") } == .io)
        #expect(other.isQuantized && !other.rowsSpilled)
        #expect(try other.search(base[0], k: 1).first?.label == 0)
    }

    @Test func deletedRowsAndFiltersStillHoldOnCodes() throws {
        let dimension = 32
        let data = SyntheticVectors.clusteredPair(
            rows: 2_000, queries: 20, dimension: dimension, clusters: 20, spread: 0.6, seed: 9)
        let graph = HNSWIndex(dimension: dimension, metric: .cosine, parameters: Self.parameters)
        try data.base.withUnsafeBufferPointer { buffer in
            _ = try graph.add(contentsOf: buffer.baseAddress!, count: 2_000, threads: 1)
        }
        try graph.quantize()
        let base = rowsOf(data.base, dimension: dimension)
        graph.markDeleted(7)
        #expect(try graph.search(base[7], k: 10, ef: 40).allSatisfy { $0.label != 7 })
        let even = try graph.search(base[10], k: 10, ef: 80) { $0 % 2 == 0 }
        #expect(even.count == 10 && even.allSatisfy { $0.label % 2 == 0 })
        #expect(even.first?.label == 10)
    }

    @Test func theRetrievalIndexQuantizesAtItsSizeAndAgainWhenReopened() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = IndexConfiguration(dimension: 16, hnsw: Self.parameters, exactSearchThreshold: 50)
        configuration.quantizeFromRows = 300
        let data = SyntheticVectors.clusteredPair(rows: 400, queries: 1, dimension: 16, clusters: 8, seed: 4)
        let vectors = rowsOf(data.base, dimension: 16)
        let records = vectors.enumerated().map { IndexRecord(id: "r\($0.offset)", vector: $0.element) }
        do {
            let index = try RetrievalIndex.open(directory: directory, configuration: configuration)
            try index.upsert(Array(records.prefix(299)))
            #expect(try index.verify().quantized == false)
            try index.upsert([records[299]])
            #expect(try index.verify().quantized)
            try index.upsert(Array(records.suffix(100)))
            let hits = try index.search(SearchQuery(vector: vectors[350], mode: .dense, k: 3))
            #expect(hits.first?.id == "r350")
        }
        let reopened = try RetrievalIndex.open(directory: directory, configuration: configuration)
        #expect(try reopened.verify().quantized)
        #expect(try reopened.search(SearchQuery(vector: vectors[123], mode: .dense, k: 3)).first?.id == "r123")
        var never = configuration
        never.quantizeFromRows = nil
        #expect(try RetrievalIndex.open(directory: directory, configuration: never).verify().quantized == false)
    }
}

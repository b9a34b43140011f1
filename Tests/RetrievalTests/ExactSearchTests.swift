import Retrieval
import Testing

@Suite struct ExactSearchTests {
    @Test(arguments: [Metric.cosine, Metric.l2])
    func exactSearchEqualsNaiveLoop(metric: Metric) throws {
        var random = TestRandom(7)
        let dimension = 37  // not a multiple of 16: exercises the SIMD remainder loop
        let rows = (0..<1500).map { _ in random.vector(dimension) }
        let flat = FlatIndex(dimension: dimension, metric: metric)
        let graph = HNSWIndex(
            dimension: dimension, metric: metric, parameters: HNSWParameters(m: 8, efConstruction: 32))
        for row in rows {
            try flat.add(row)
            try graph.add(row)
        }
        for _ in 0..<20 {
            let query = random.vector(dimension)
            let expected = Naive.topK(rows, query, k: 10, metric: metric)
            #expect(try flat.search(query, k: 10).map { Int($0.label) } == expected)
            #expect(try graph.exactSearch(query, k: 10).map { Int($0.label) } == expected)
            // With ef as large as the index the graph search visits every row, so it is exact too; this
            // checks the batched SIMD distance kernels, remainder lanes included (37 = 4 * 8 + 5).
            #expect(try graph.search(query, k: 10, ef: 1500).map { Int($0.label) } == expected)
        }
        let queries = (0..<9).map { _ in random.vector(dimension) }
        let batch = try flat.batchSearch(queries, k: 5)
        for (query, result) in zip(queries, batch) {
            #expect(result.map { Int($0.label) } == Naive.topK(rows, query, k: 5, metric: metric))
        }
    }

    @Test func distancesAreTheMetric() throws {
        let flat = FlatIndex(dimension: 3, metric: .l2)
        try flat.add([1, 2, 3])
        try flat.add([0, 0, 0])
        let result = try flat.search([1, 0, 0], k: 2)
        #expect(result.map(\.label) == [1, 0])
        #expect(abs(result[0].distance - 1) < 1e-5)
        #expect(abs(result[1].distance - 13) < 1e-4)
        let cosine = FlatIndex(dimension: 2, metric: .cosine)
        try cosine.add([3, 0])
        try cosine.add([1, 1])
        let hits = try cosine.search([2, 0], k: 2)
        #expect(hits.map(\.label) == [0, 1])
        #expect(abs(hits[0].distance) < 1e-6)
        #expect(abs(hits[1].distance - (1 - 1 / Float(2).squareRoot())) < 1e-5)
    }

    @Test func filteredExactSearchOnlyReturnsAdmittedRows() throws {
        var random = TestRandom(3)
        let rows = (0..<500).map { _ in random.vector(16) }
        let flat = FlatIndex(dimension: 16, metric: .cosine)
        for row in rows { try flat.add(row) }
        let query = random.vector(16)
        let result = try flat.search(query, k: 10) { $0 % 7 == 0 }
        #expect(result.map { Int($0.label) } == Naive.topK(rows, query, k: 10, metric: .cosine) { $0 % 7 == 0 })
    }

    @Test func badVectorsAreRefused() {
        let flat = FlatIndex(dimension: 4, metric: .cosine)
        #expect(throws: RetrievalError.self) { try flat.add([1, 2, 3]) }
        #expect(errorCode { try flat.add([0, 0, 0, 0]) } == .invalidVector)
        #expect(errorCode { try flat.add([1, .nan, 0, 0]) } == .invalidVector)
        #expect(errorCode { _ = try flat.search([1, 2], k: 1) } == .dimensionMismatch)
    }
}

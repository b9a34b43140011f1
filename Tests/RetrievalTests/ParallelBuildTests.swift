import Foundation
import Synchronization
import Testing

@testable import Retrieval

/// `HNSWIndex.add(contentsOf:count:threads:)` (issue 20 item 4): rows linked on several threads make a graph as
/// good as one thread's, with whole, valid link lists, while searches run; and the retrieval index uses it for
/// large writes and rebuilds. More threads than this machine's two cores are used on purpose: the threads then
/// interleave at arbitrary points, which is where lost or torn links would show.
@Suite struct ParallelBuildTests {
    static let parameters = HNSWParameters(m: 16, efConstruction: 64)

    /// Every list within its layer's limit, no self link, no repeated or out-of-range label, upper lists only
    /// for nodes that have the layer; nil when all hold, else the first fault.
    static func linkFault(_ graph: HNSWIndex) -> String? {
        graph.lock.withReadLock {
            let count = graph.store.count
            for node in 0..<count {
                for layer in 0...Int(graph.levels[node]) {
                    let list = graph.linkList(UInt32(node), layer)
                    let degree = Int(list[0])
                    let limit = layer == 0 ? graph.maxM0 : graph.maxM
                    guard degree <= limit else { return "node \(node) layer \(layer): \(degree) links" }
                    let links = (0..<degree).map { Int(list[1 + $0]) }
                    guard Set(links).count == degree else { return "node \(node) layer \(layer): repeated link" }
                    for link in links {
                        guard link != node else { return "node \(node) links itself" }
                        guard link < count else { return "node \(node) links \(link) of \(count)" }
                        guard Int(graph.levels[link]) >= layer else {
                            return "node \(node) links \(link) on layer \(layer) it does not have"
                        }
                    }
                }
            }
            return nil
        }
    }

    static func recall(_ graph: HNSWIndex, queries: [[Float]], truth: [[Neighbor]]) throws -> Double {
        var hits = 0
        for (query, expected) in zip(queries, truth) {
            let found = Set(try graph.search(query, k: 10, ef: 64).map(\.label))
            hits += expected.filter { found.contains($0.label) }.count
        }
        return Double(hits) / Double(10 * queries.count)
    }

    @Test func fourThreadsBuildAGraphAsGoodAsOne() throws {
        let dimension = 32
        let rows = 8_000
        let data = SyntheticVectors.clusteredPair(
            rows: rows, queries: 200, dimension: dimension, clusters: 80, spread: 0.6, seed: 21)
        let one = HNSWIndex(dimension: dimension, metric: .cosine, parameters: Self.parameters)
        let four = HNSWIndex(dimension: dimension, metric: .cosine, parameters: Self.parameters)
        let flat = FlatIndex(dimension: dimension, metric: .cosine)
        try data.base.withUnsafeBufferPointer { buffer in
            for r in 0..<rows {
                try one.add(buffer.baseAddress! + r * dimension)
                try flat.add(buffer.baseAddress! + r * dimension)
            }
            #expect(try four.add(contentsOf: buffer.baseAddress!, count: rows, threads: 4) == 0..<rows)
        }
        let queries = rowsOf(data.queries, dimension: dimension)
        let truth = try flat.batchSearch(queries, k: 10)
        let alone = try Self.recall(one, queries: queries, truth: truth)
        let together = try Self.recall(four, queries: queries, truth: truth)
        #expect(together >= 0.95 && together >= alone - 0.02, "recall@10 one thread \(alone), four \(together)")
        #expect(four.count == rows)
        #expect(four.unreachableLabels().isEmpty)
        #expect(Self.linkFault(four) == nil)
        // Each row is found as its own nearest neighbour.
        let base = rowsOf(data.base, dimension: dimension)
        for label in stride(from: 0, to: rows, by: 97) {
            #expect(try four.search(base[label], k: 1, ef: 64).first?.label == UInt32(label))
        }
    }

    /// One thread, or a batch within the first 1,024 rows of a graph, links row by row in order: the graph of
    /// `add` called per row, search for search.
    @Test func oneThreadOrASmallGraphGivesTheRowByRowGraph() throws {
        var random = TestRandom(5)
        let dimension = 16
        let rows = (0..<1_500).map { _ in random.vector(dimension) }
        let queries = (0..<50).map { _ in random.vector(dimension) }
        let parameters = HNSWParameters(m: 8, efConstruction: 40)
        let byRow = HNSWIndex(dimension: dimension, metric: .cosine, parameters: parameters)
        for row in rows { try byRow.add(row) }
        let oneThread = HNSWIndex(dimension: dimension, metric: .cosine, parameters: parameters)
        let flat = rows.flatMap { $0 }
        try flat.withUnsafeBufferPointer { buffer in
            _ = try oneThread.add(contentsOf: buffer.baseAddress!, count: rows.count, threads: 1)
        }
        let small = HNSWIndex(dimension: dimension, metric: .cosine, parameters: parameters)
        try flat.withUnsafeBufferPointer { buffer in
            _ = try small.add(contentsOf: buffer.baseAddress!, count: 1_000, threads: 4)
        }
        let smallByRow = HNSWIndex(dimension: dimension, metric: .cosine, parameters: parameters)
        for row in rows.prefix(1_000) { try smallByRow.add(row) }
        for query in queries {
            #expect(try oneThread.search(query, k: 10, ef: 50) == byRow.search(query, k: 10, ef: 50))
            #expect(try small.search(query, k: 10, ef: 50) == smallByRow.search(query, k: 10, ef: 50))
        }
    }

    @Test func searchesDuringAParallelBuildGetWellFormedAnswers() async throws {
        let dimension = 24
        let rows = 6_000
        let data = SyntheticVectors.clusteredPair(
            rows: rows, queries: 64, dimension: dimension, clusters: 60, spread: 0.6, seed: 8)
        let graph = HNSWIndex(dimension: dimension, metric: .cosine, parameters: Self.parameters)
        // A body first, so the batch below is linked on threads from its first row.
        try data.base.withUnsafeBufferPointer { buffer in
            _ = try graph.add(contentsOf: buffer.baseAddress!, count: 1_024, threads: 1)
        }
        let queries = rowsOf(data.queries, dimension: dimension)
        let finished = Finished()
        let searches = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                try data.base.withUnsafeBufferPointer { buffer in
                    _ = try graph.add(
                        contentsOf: buffer.baseAddress! + 1_024 * dimension, count: rows - 1_024, threads: 3)
                }
                finished.value.store(true, ordering: .releasing)
                return 0
            }
            group.addTask {
                var count = 0
                while !finished.value.load(ordering: .acquiring) || count == 0 {
                    let found = try graph.search(queries[count % queries.count], k: 10, ef: 32)
                    #expect(found.count == 10 && found.allSatisfy { Int($0.label) < rows })
                    #expect(Set(found.map(\.label)).count == found.count)
                    #expect(zip(found, found.dropFirst()).allSatisfy { $0.distance <= $1.distance })
                    count += 1
                }
                return count
            }
            return try await group.reduce(0, +)
        }
        #expect(searches > 0)
        #expect(graph.count == rows && graph.unreachableLabels().isEmpty)
        #expect(Self.linkFault(graph) == nil)
    }

    @Test func aBadRowStopsTheBatchAfterLinkingTheRowsBeforeIt() throws {
        let dimension = 16
        var data = SyntheticVectors.clusteredPair(
            rows: 2_000, queries: 1, dimension: dimension, clusters: 20, seed: 3
        ).base
        data[1_500 * dimension + 7] = .nan
        let graph = HNSWIndex(dimension: dimension, metric: .cosine, parameters: Self.parameters)
        let code = errorCode {
            try data.withUnsafeBufferPointer { buffer in
                _ = try graph.add(contentsOf: buffer.baseAddress!, count: 2_000, threads: 2)
            }
        }
        #expect(code == .invalidVector)
        #expect(graph.count == 1_500 && graph.unreachableLabels().isEmpty)
        #expect(Self.linkFault(graph) == nil)
        let row = Array(data[(1_400 * dimension)..<(1_401 * dimension)])
        #expect(try graph.search(row, k: 1).first?.label == 1_400)
    }

    /// A write of at least `parallelInsertRows` records and a rebuild after many deletions both link on threads;
    /// every live record is then found by its own vector, and no deleted one is.
    @Test func theRetrievalIndexLinksLargeWritesAndRebuildsOnThreads() throws {
        let dimension = 16
        let count = 1_600
        let data = SyntheticVectors.clusteredPair(
            rows: count, queries: 1, dimension: dimension, clusters: 16, seed: 4
        ).base
        let vectors = rowsOf(data, dimension: dimension)
        var configuration = IndexConfiguration(
            dimension: dimension, hnsw: HNSWParameters(m: 8, efConstruction: 48), exactSearchThreshold: 0)
        configuration.insertThreads = 3
        let index = RetrievalIndex(configuration: configuration)
        try index.upsert(
            vectors.enumerated().map { IndexRecord(id: "r\($0.offset)", vector: $0.element, text: "row \($0.offset)") })
        func nearest(_ row: Int) throws -> String? {
            try index.search(SearchQuery(vector: vectors[row], mode: .dense, k: 1)).first?.id
        }
        for row in stride(from: 0, to: count, by: 37) { #expect(try nearest(row) == "r\(row)") }
        #expect(try index.verify().graphRows == count)
        // Deleting 30% of the rows makes the next write rebuild the graph from the live ones.
        let deleted = (0..<count).filter { $0 % 10 < 3 }
        #expect(try index.delete(ids: deleted.map { "r\($0)" }) == deleted.count)
        try index.upsert([IndexRecord(id: "r0", vector: vectors[0], text: "row 0 again")])
        let report = try index.verify()
        #expect(report.graphRows == count - deleted.count + 1 && report.deletedRows == 0)
        for row in stride(from: 0, to: count, by: 37) where row % 10 >= 3 || row == 0 {
            #expect(try nearest(row) == "r\(row)")
        }
        let found = try index.search(SearchQuery(vector: vectors[1], mode: .dense, k: 50)).map(\.id)
        #expect(!found.contains { id in deleted.contains { "r\($0)" == id && $0 != 0 } })
    }
}

/// Set once the parallel build of the concurrent-search test has returned.
private final class Finished: Sendable {
    let value = Atomic(false)
}
